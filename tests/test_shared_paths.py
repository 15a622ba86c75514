"""Derived facts kept for the whole run share one copy of each path (`model.shared_paths`):
the same values as before, one object per distinct path."""

from __future__ import annotations

from netlint.input.loader import load_yaml
from netlint.model import shared_paths
from netlint.model.inventory import BUILTIN_WORKLOADS, pod_templates
from netlint.model.manifest import Manifest, objects_of
from netlint.traffic.ingresses import http_paths
from netlint.traffic.services import ports_of
from tests.helpers import lint_text

TEXT = """\
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {ports: [{port: 80}, {port: 81}]}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a}
spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: b}
spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}]}}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: {template: {spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b}
spec: {template: {spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}}
"""


def _objects() -> list[Manifest]:
    return objects_of(load_yaml(TEXT, "x.yaml").documents).manifests


def test_equal_paths_of_different_objects_are_one_tuple() -> None:
    services, ingresses, deployments = (_objects()[i : i + 2] for i in (0, 2, 4))
    first, second = (ports_of(service)[0].path for service in services)
    assert first == ("spec", "ports", 0) and first is second
    assert ports_of(services[0])[1].path == ("spec", "ports", 1)
    a, b = (http_paths(ingress)[0] for ingress in ingresses)
    assert a.item_path == ("spec", "rules", 0, "http", "paths", 0) and a.item_path is b.item_path
    assert a.backend is not None and b.backend is not None
    assert a.backend.port_path == (*a.item_path, "backend", "service", "port", "number")
    assert a.backend.port_path is b.backend.port_path
    assert a.backend.service_path is b.backend.service_path
    ports = [pod_templates(d, BUILTIN_WORKLOADS)[0].ports[0].path for d in deployments]
    assert ports[0] == ("spec", "template", "spec", "containers", 0, "ports", 0)
    assert ports[0] is ports[1]


def test_equal_texts_of_different_objects_are_one_string() -> None:
    _, ingresses, deployments = (_objects()[i : i + 2] for i in (0, 2, 4))
    a, b = (http_paths(ingress)[0] for ingress in ingresses)
    assert a.path == "/" and a.path_type == "Prefix" and a.path_type is b.path_type
    first, second = (pod_templates(d, BUILTIN_WORKLOADS)[0].ports[0] for d in deployments)
    assert first.container == "c" and first.container is second.container
    long = "x" * 100
    assert shared_paths.shared_text(long) is long  # not kept: long texts rarely repeat
    assert shared_paths.shared_text(None) is None
    labels = shared_paths.shared_strings({"app": "".join(["w", "eb"])})
    again = shared_paths.shared_strings({"app": "".join(["w", "eb"])})
    assert labels == again == {"app": "web"} and labels["app"] is again["app"]


def test_past_the_limit_paths_are_kept_as_given() -> None:
    saved = dict(shared_paths._PATHS)  # pyright: ignore[reportPrivateUsage]
    try:
        shared_paths._PATHS.clear()  # pyright: ignore[reportPrivateUsage]
        for number in range(shared_paths._LIMIT):  # pyright: ignore[reportPrivateUsage]
            shared_paths.shared(("x", number))
        late, again = ("x", -1), ("x", int("-1"))  # equal, and two tuples
        assert shared_paths.shared(late) is late
        assert shared_paths.shared(again) is again  # `late` was not kept
        assert shared_paths.shared(("x", 0)) == ("x", 0)
    finally:
        shared_paths._PATHS.clear()  # pyright: ignore[reportPrivateUsage]
        shared_paths._PATHS.update(saved)  # pyright: ignore[reportPrivateUsage]


def test_a_run_forgets_its_tables() -> None:
    shared_paths.shared(("spec", "x"))
    shared_paths.shared_text("x")
    lint_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n")
    assert not shared_paths._PATHS  # pyright: ignore[reportPrivateUsage]
    assert not shared_paths._TEXTS  # pyright: ignore[reportPrivateUsage]
