"""`service-readiness-probe` (off by default): a workload whose pods a Service selects, while none
of their containers has a readiness probe."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from netlint.api import (
    Diagnostic,
    Inventory,
    Manifest,
    Path,
    PodTemplate,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import as_str, capped, compatible, dig, pod_templates, spec_of

from ..service._service import EXTERNAL_NAME, service_type, string_selector
from ._workload import pod_spec_path, running_containers

_NAMED = 3  # Services a message names before it counts the rest
READINESS_DOCS = (
    "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/"
    "#readiness-probe"
)


@dataclass(frozen=True, slots=True)
class _Selecting:
    """A Service whose endpoints are only the ready pods it selects."""

    namespace: str | None
    selector: dict[str, str]
    ref: str


class _SelectorIndex:
    """The Services of the input by the first label of their selector (in key order), so that
    finding the ones a template's pods may match costs what their candidates cost."""

    def __init__(self) -> None:
        self._by_pair: dict[tuple[str, str], list[_Selecting]] = defaultdict(list)
        self._by_key: dict[str, list[_Selecting]] = defaultdict(list)

    def add(self, service: _Selecting) -> None:
        key = min(service.selector)
        self._by_pair[(key, service.selector[key])].append(service)
        self._by_key[key].append(service)

    def selecting(self, template: PodTemplate) -> list[_Selecting]:
        candidates = [
            service for pair in template.labels.items() for service in self._by_pair.get(pair, ())
        ]
        # Labels a controller adds (a StatefulSet's pod name, a Deployment's hash).
        candidates += [s for key in template.added_labels for s in self._by_key.get(key, ())]
        found: dict[str, _Selecting] = {}
        for service in candidates:
            if compatible(service.namespace, template.namespace) and template.matches(
                service.selector
            ):
                found.setdefault(service.ref, service)
        return sorted(found.values(), key=lambda service: service.ref)


def _services(inventory: Inventory) -> _SelectorIndex:
    def build(inv: Inventory) -> _SelectorIndex:
        index = _SelectorIndex()
        for service in inv.of_kind("Service"):
            kind = service_type(service)
            selector = string_selector(service)
            if kind is None or kind == EXTERNAL_NAME or not selector:
                continue
            if spec_of(service).get("publishNotReadyAddresses") is True:
                continue  # its endpoints include pods that are not ready
            index.add(_Selecting(service.namespace, dict(selector), str(service.ref)))
        return index

    return inventory.memo("service-readiness-probe:services", build)


class ServiceReadinessProbe(Rule):
    meta = RuleMeta(
        id="service-readiness-probe",
        severity=Severity.INFO,
        summary="A Service selects pods none of whose containers has a readinessProbe",
        what=(
            "Reports a workload (a Pod, or any kind that holds a pod template: Deployments, "
            "StatefulSets, DaemonSets, configured `workloads:` ...) whose pods a Service of the "
            "input selects (not ExternalName, not `publishNotReadyAddresses: true`), while none "
            "of the template's `containers` has a `readinessProbe`. The pod is judged as a "
            "whole: it is ready when all its containers are, so one container with a readiness "
            "probe gates it, and a helper container without one is not reported. Init "
            "containers do not serve traffic and are not looked at; sidecars (init containers "
            "with `restartPolicy: Always`) neither count nor are reported: their readiness "
            "says that the proxy or agent is up, not that the application is. Off by default: "
            "advice teams turn on (kube-score's `pod-probes`, kube-linter's "
            "`no-readiness-probe`); select it with `--select service-readiness-probe`."
        ),
        why=(
            "Without a readiness probe a container counts as ready as soon as it starts, so "
            "the Service sends requests to a pod that is still loading, warming caches or "
            "migrating, and keeps sending them to one that is overloaded or has lost its "
            "database: errors during every rollout and every restart."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
            "  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
            "      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n"
            "        image: nginx\n        ports: [{name: http, containerPort: 8080}]\n"
        ),
        fix=(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
            "      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n"
            "        image: nginx\n        ports: [{name: http, containerPort: 8080}]\n"
            "        readinessProbe:\n          httpGet: {path: /ready, port: http}\n"
        ),
        help_uri=READINESS_DOCS,
        tags=("workload", "reference"),
        enabled_by_default=False,
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        spec_path = pod_spec_path(manifest, ctx.settings)
        if spec_path is None:
            return
        containers = [
            (path, container)
            for path, container in running_containers(manifest, spec_path)
            if path[len(spec_path)] == "containers"
        ]
        if not containers or any(dig(c, "readinessProbe") is not None for _, c in containers):
            return
        templates = pod_templates(manifest, ctx.settings.workloads)
        if not templates:
            return
        services = _services(ctx.inventory).selecting(templates[0])
        if not services:
            return
        refs = [service.ref for service in services]
        names = [as_str(dig(c, "name")) or "" for _, c in containers]
        first_path, _ = containers[0]
        at: Path = (*first_path, "name") if names[0] else first_path
        which = (
            f"its container {names[0]!r} has no readinessProbe"
            if len(containers) == 1
            else f"none of its containers ({', '.join(repr(n) for n in names if n)}) has a "
            "readinessProbe"
        )
        selects = "selects" if len(refs) == 1 else "select"
        yield Diagnostic(
            at,
            f"{manifest.ref}: {capped(refs[:_NAMED], len(refs))} {selects} its pods, but "
            f"{which}: each pod gets traffic as soon as its containers start, before the "
            "application is ready, and keeps getting it while it cannot serve",
            hint=(
                f"add a readinessProbe to container {names[0]!r} (an httpGet on a health "
                "endpoint, or a tcpSocket on the port it serves)"
                if names[0]
                else "add a readinessProbe to the container that serves the Service's port"
            ),
        )
