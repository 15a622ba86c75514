"""A validated configuration file's data -> the typed `Config`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from netlint.api import ExternalObjects, IngressController
from netlint.findings import Severity
from netlint.model.inventory import WorkloadKind
from netlint.model.manifest import api_group
from netlint.run.config import Config, ConfigError
from netlint.run.config_files import Located, as_mapping
from netlint.run.config_values import (
    PathStep,
    parse_kube_version,
    parse_node_port_range,
    parse_template_path,
)

# The `external:` keys that list objects (the others, `namespaces`, hold labels).
EXTERNAL_CATEGORIES = ("secrets", "services", "ingressClasses", "gatewayClasses", "gateways")


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in cast("list[object]", value) if isinstance(item, str))


def _unquoted_version(raw: object, display: str) -> str:
    """The message for `kube-version: 1.30`, which YAML and TOML read as the number 1.3."""
    meant = str(raw)
    if isinstance(raw, float) and len(meant.partition(".")[2]) == 1:
        meant += "0"  # 1.30 was read as 1.3; Kubernetes 1.3 is long gone
    toml = display.endswith(".toml")
    written = f'kube-version = "{meant}"' if toml else f'kube-version: "{meant}"'
    return (
        f"kube-version: {'TOML' if toml else 'YAML'} reads the unquoted {raw!r} as a number, "
        f"not a version: quote it, as {written}"
    )


def _ingress_controllers(
    data: dict[str, object], fail: Callable[[tuple[PathStep, ...], str], ConfigError]
) -> tuple[IngressController, ...]:
    """`traffic.ingress-controllers` (already checked against the schema)."""
    raw = as_mapping(data.get("traffic")).get("ingress-controllers")
    found: list[IngressController] = []
    for index, raw_entry in enumerate(cast("list[object]", raw) if isinstance(raw, list) else ()):
        entry = as_mapping(raw_entry)
        if not entry.get("classes") and not entry.get("controllers"):
            raise fail(
                ("traffic", "ingress-controllers", index),
                f"traffic.ingress-controllers[{index}]: entry {str(entry.get('name'))!r} serves "
                "no class: give its `classes` (IngressClass or GatewayClass names) or "
                "`controllers` (IngressClass spec.controller, GatewayClass spec.controllerName)",
            )
        found.append(
            IngressController(
                name=str(entry.get("name", "")),
                namespace=str(entry.get("namespace", "")),
                pod_labels={
                    str(key): str(value)
                    for key, value in as_mapping(entry.get("pod-labels")).items()
                },
                classes=_strings(entry.get("classes")),
                controllers=_strings(entry.get("controllers")),
                host_network=entry.get("host-network") is True,
            )
        )
    return tuple(found)


def build(located: Located, path: Path, display: str) -> Config:
    data = as_mapping(located.data)

    def fail(key_path: tuple[PathStep, ...], message: str) -> ConfigError:
        return ConfigError(f"{display}:{located.line_of(key_path, False)}: {message}")

    kube_version: str | None = None
    if "kube-version" in data:
        raw = data["kube-version"]
        try:
            # An unquoted 1.34 reads as the number 1.34, which still says which version; 1.30
            # reads as 1.3, which does not: that one gets the hint to quote it.
            kube_version = parse_kube_version(raw if isinstance(raw, str) else repr(raw))
        except ValueError as error:
            message = str(error) if isinstance(raw, str) else _unquoted_version(raw, display)
            raise fail(("kube-version",), message) from None

    node_port_range: tuple[int, int] | None = None
    raw_range = data.get("node-port-range")
    if isinstance(raw_range, str):
        try:
            node_port_range = parse_node_port_range(raw_range)
        except ValueError as error:
            raise fail(("node-port-range",), str(error)) from None

    workloads: list[WorkloadKind] = []
    raw_workloads = data.get("workloads")
    for index, raw_entry in enumerate(
        cast("list[object]", raw_workloads) if isinstance(raw_workloads, list) else ()
    ):
        entry = as_mapping(raw_entry)
        kind = str(entry.get("kind", ""))
        template_text = entry.get("template", "spec.template")
        try:
            template = parse_template_path(str(template_text))
        except ValueError as error:
            raise fail(("workloads", index, "template"), str(error)) from None
        group: str | None = None
        if isinstance(entry.get("group"), str):
            group = str(entry["group"])
        elif isinstance(entry.get("apiVersion"), str):
            group = api_group(str(entry["apiVersion"]))
        workloads.append(WorkloadKind(kind, template, group))

    external = as_mapping(data.get("external"))
    patterns = {
        category: _strings(external[category])
        for category in EXTERNAL_CATEGORIES
        if category in external
    }
    namespace_labels = {
        namespace: {key: str(value) for key, value in as_mapping(labels).items()}
        for namespace, labels in as_mapping(external.get("namespaces")).items()
    }

    fail_on = data.get("fail-on")
    max_file_size = data.get("max-file-size")
    default_namespace = data.get("default-namespace")
    respect_gitignore = data.get("respect-gitignore")
    render = as_mapping(data.get("render"))
    render_helm = render.get("helm")
    render_kustomize = render.get("kustomize")
    return Config(
        path=path,
        base_dir=path.parent,
        select=_strings(data["select"]) if "select" in data else None,
        extend_select=_strings(data.get("extend-select")),
        ignore=_strings(data.get("ignore")),
        severity={
            rule_id: Severity.parse(str(value))
            for rule_id, value in as_mapping(data.get("severity")).items()
        },
        fail_on=Severity.parse(fail_on) if isinstance(fail_on, str) else None,
        exclude=_strings(data.get("exclude")),
        per_file_ignores={
            glob: _strings(entries)
            for glob, entries in as_mapping(data.get("per-file-ignores")).items()
        },
        paths=_strings(data["paths"]) if "paths" in data else None,
        context=_strings(data.get("context")),
        scopes=_strings(data.get("scopes")),
        default_namespace=default_namespace if isinstance(default_namespace, str) else None,
        kube_version=kube_version,
        node_port_range=node_port_range,
        workloads=tuple(workloads),
        external=ExternalObjects(patterns=patterns, namespace_labels=namespace_labels),
        ingress_controllers=_ingress_controllers(data, fail),
        rules=_strings(data.get("rules")),
        crds=_strings(data.get("crds")),
        params={
            key: dict(as_mapping(value)) for key, value in as_mapping(data.get("params")).items()
        },
        max_file_size=max_file_size if isinstance(max_file_size, int) else None,
        respect_gitignore=respect_gitignore if isinstance(respect_gitignore, bool) else None,
        render_helm=render_helm if isinstance(render_helm, str) else None,
        render_helm_values=_strings(render.get("helm-values")),
        render_kustomize=render_kustomize if isinstance(render_kustomize, str) else None,
        display=display,
        line_of=located.line_of,
    )
