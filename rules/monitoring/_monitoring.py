"""What the Prometheus Operator rules share: where a `ServiceMonitor` or `PodMonitor`
(monitoring.coreos.com/v1) looks (`namespaceSelector`), what its `selector` selects there, and
the ports its endpoints name.

The monitors are custom resources: netlint has no schema for them and judges only what it can
read. Values of the wrong shape are skipped (the CRD's schema, in the cluster, rejects them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from netlint.api import Diagnostic, Inventory, Manifest, Node, PodTemplate, Severity
from netlint.k8s import (
    APPLY_NAMESPACE,
    ByNamespace,
    LabelSelector,
    as_int,
    as_list,
    as_map,
    as_str,
    capped,
    compatible,
    dig,
    label_list,
    namespace_phrase,
    parse_label_selector,
    string_map,
)

from .._similar import looks_like_slip
from ..networkpolicy._networkpolicy import (
    MAX_EXAMINED,
    is_empty,
    namespace_templates,
    selected_templates,
    selector_text,
    selects,
    slips,
)
from ..service._service import string_selector

T = TypeVar("T")

API_DOCS = "https://prometheus-operator.dev/docs/api-reference/api/"
SERVICE_MONITOR_DOCS = API_DOCS + "#monitoring.coreos.com/v1.ServiceMonitor"
POD_MONITOR_DOCS = API_DOCS + "#monitoring.coreos.com/v1.PodMonitor"


@dataclass(frozen=True, slots=True)
class Namespaces:
    """Where a monitor discovers its targets, as the Prometheus Operator's
    `getNamespacesFromNamespaceSelector` reads `namespaceSelector`: every namespace with
    `any: true`, else those of `matchNames`, else the monitor's own."""

    any: bool
    names: tuple[str, ...]  # when not `any`
    listed: bool  # `matchNames` named them (else the monitor's own namespace)

    def text(self) -> str:
        """`any namespace`, `namespace shop`, `namespaces a, b` for messages."""
        if self.any:
            return "any namespace"
        if len(self.names) == 1:
            return namespace_phrase(self.names[0])
        return f"namespaces {capped(list(self.names), len(self.names))}"

    def admits(self, namespace: str | None) -> bool:
        """Whether an object in `namespace` may be in one of these once applied."""
        return self.any or any(compatible(namespace, name) for name in self.names)

    def members(self, index: ByNamespace[T]) -> list[T]:
        """The members of `index` that may be in these namespaces, each once."""
        if self.any:
            return list(index.compatible_with(APPLY_NAMESPACE))
        seen: set[int] = set()
        found: list[T] = []
        for name in self.names:
            for member in index.compatible_with(name):
                if id(member) not in seen:
                    seen.add(id(member))
                    found.append(member)
        return found


def monitor_namespaces(manifest: Manifest) -> Namespaces:
    """The namespaces `spec.namespaceSelector` of a monitor selects."""
    node = dig(manifest.data, "spec", "namespaceSelector")
    if dig(node, "any") is True:
        return Namespaces(any=True, names=(), listed=False)
    names = tuple(
        name for name in (as_str(item) for item in as_list(dig(node, "matchNames")) or []) if name
    )
    if names:
        return Namespaces(any=False, names=tuple(dict.fromkeys(names)), listed=True)
    return Namespaces(any=False, names=(manifest.namespace or APPLY_NAMESPACE,), listed=False)


def monitor_selector(manifest: Manifest) -> LabelSelector | None:
    """`spec.selector`; None when it is not a mapping or its `matchLabels` holds a value that is
    not a string (the CRD rejects it: judging the rest would judge another selector)."""
    node = dig(manifest.data, "spec", "selector")
    labels = as_map(dig(node, "matchLabels"))
    if labels is not None and not all(isinstance(value, str) for value in labels.values()):
        return None
    return parse_label_selector(node)


def selector_label_path(selector: LabelSelector, labels: Mapping[str, str]) -> tuple[str, ...]:
    """Where in `spec.selector` the look-alike label is, else `spec.selector` itself."""
    for key, value in selector.match_labels.items():
        has = labels.get(key)
        if has is not None and has != value:
            return ("spec", "selector", "matchLabels", key)
    return ("spec", "selector")


# -- Services --------------------------------------------------------------------------------


def _services_by_namespace(inventory: Inventory) -> ByNamespace[Manifest]:
    """Core Services by namespace, one copy of each (an `Inventory.memo` index)."""
    index = ByNamespace[Manifest]()
    seen: set[str] = set()
    for service in inventory.of_kind("Service"):
        ref = str(service.ref)
        if ref not in seen:
            seen.add(ref)
            index.add(service.namespace, service)
    return index


def services_in(inventory: Inventory, namespaces: Namespaces) -> list[Manifest]:
    """The Services of the input that may be in `namespaces` once applied."""
    return namespaces.members(inventory.memo("monitoring:services", _services_by_namespace))


def selects_service(selector: LabelSelector, service: Manifest) -> bool | None:
    """Whether a ServiceMonitor's selector selects the Service by its own metadata labels; None
    for an expression the API rejects. An empty selector selects every Service."""
    return selector.verdict(string_map(service.labels))  # pyright: ignore[reportArgumentType]


@dataclass(frozen=True, slots=True)
class Selected(Generic[T]):
    """What a monitor's selector selects in its namespaces."""

    candidates: list[T]  # the Services (pod templates) of the selected namespaces
    selected: list[T]  # those the selector selects
    complete: bool  # False when some candidate could not be judged


def selected_services(
    selector: LabelSelector, namespaces: Namespaces, inventory: Inventory
) -> Selected[Manifest]:
    candidates = services_in(inventory, namespaces)
    selected: list[Manifest] = []
    complete = len(candidates) <= MAX_EXAMINED
    for service in candidates[:MAX_EXAMINED]:
        verdict = selects_service(selector, service)
        if verdict is None:
            complete = False
        elif verdict:
            selected.append(service)
    return Selected(candidates, selected, complete)


def services_elsewhere(
    selector: LabelSelector, namespaces: Namespaces, inventory: Inventory
) -> list[Manifest]:
    """Services the selector selects in namespaces the monitor does not look in."""
    if namespaces.any:
        return []
    every = services_in(inventory, Namespaces(any=True, names=(), listed=False))
    return [
        service
        for service in every[:MAX_EXAMINED]
        if not namespaces.admits(service.namespace) and selects_service(selector, service)
    ]


def near_services(selector: LabelSelector, candidates: Sequence[Manifest]) -> list[Manifest]:
    """Services that carry a key the selector reads, look-alikes first."""
    keys = selector.keys()
    near = [
        service
        for service in candidates[:MAX_EXAMINED]
        if keys & string_map(service.labels).keys()  # pyright: ignore[reportArgumentType]
    ]
    return sorted(
        near,
        key=lambda service: not slips(selector, string_map(service.labels)),  # pyright: ignore[reportArgumentType]
    )


def service_templates(services: Sequence[Manifest], inventory: Inventory) -> list[PodTemplate]:
    """The pod templates the Services select (the pods behind their endpoints)."""
    found: list[PodTemplate] = []
    for service in services:
        selector = string_selector(service)
        if selector:
            found.extend(inventory.matching_templates(selector, service.namespace))
    return found


# -- pod templates ---------------------------------------------------------------------------


def selected_pod_templates(
    selector: LabelSelector, namespaces: Namespaces, inventory: Inventory
) -> Selected[PodTemplate]:
    """The pod templates of `namespaces` that a PodMonitor's selector selects."""
    spaces = (APPLY_NAMESPACE,) if namespaces.any else namespaces.names
    candidates: dict[int, PodTemplate] = {}
    templates: dict[int, PodTemplate] = {}
    complete = True
    for space in spaces:
        for template in namespace_templates(inventory, space):
            candidates.setdefault(id(template), template)
        selection = selected_templates(selector, space, inventory)
        complete = complete and selection.complete
        for template in selection.templates:
            templates.setdefault(id(template), template)
    return Selected(list(candidates.values()), list(templates.values()), complete)


def templates_elsewhere(
    selector: LabelSelector, namespaces: Namespaces, inventory: Inventory
) -> list[PodTemplate]:
    """Pod templates the selector selects in namespaces the monitor does not look in."""
    if namespaces.any:
        return []
    every = namespace_templates(inventory, APPLY_NAMESPACE)
    return [
        template
        for template in every[:MAX_EXAMINED]
        if not namespaces.admits(template.namespace) and selects(selector, template)
    ]


# -- selector findings -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seen:
    """An object a monitor's selector was compared with, as its findings name it."""

    ref: str  # `Service shop/web`; for pods, their workload: `Deployment shop/web`
    namespace: str | None
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Wording:
    """How a selector rule names what it selects."""

    one: str  # `Service`, `pods`: "selects no ..."
    many: str  # `Services`, `pods`: "the ... with selector"
    none: str  # `no Service in {where} has labels matching`: no match among the candidates
    outside: str  # why nothing close may still be right
    hint: str


def no_match(
    manifest: Manifest,
    selector: LabelSelector,
    namespaces: Namespaces,
    elsewhere: Sequence[Seen],
    near: Sequence[Seen],
    wording: Wording,
) -> Diagnostic:
    """The finding of a monitor whose selector selects nothing in `namespaces`: what it selects
    in other namespaces (warning), else the candidates that carry its keys, look-alikes first
    (warning when one is a slip, info otherwise)."""
    ref, wanted, where = manifest.ref, selector_text(selector), namespaces.text()
    if elsewhere:
        refs = list(dict.fromkeys(seen.ref for seen in elsewhere))
        spaces = sorted({seen.namespace or "" for seen in elsewhere})
        label = "namespace" if len(spaces) == 1 else "namespaces"
        looks = (
            "its namespaceSelector names"
            if namespaces.listed
            else "without a namespaceSelector it looks only in"
        )
        return Diagnostic(
            ("spec", "selector"),
            f"{ref} selects no {wording.one} in {where}: the {wording.many} with selector {wanted} "
            f"are in {label} {capped(spaces, len(spaces))} ({capped(refs, len(refs))}), and "
            f"{looks} {where}",
            on_key=True,
            hint=f"add namespaceSelector: {{matchNames: [{', '.join(spaces)}]}}, or move {ref} "
            f"to namespace {spaces[0]}",
        )
    slipped = [seen for seen in near if slips(selector, seen.labels)]
    keys = selector.keys()
    shown = [
        f"{seen.ref} has {label_list({k: v for k, v in seen.labels.items() if k in keys})}"
        for seen in (slipped or near)[:3]
    ]
    nearest = f"; nearest: {'; '.join(shown)}" if shown else ""
    if slipped:
        severity, why = Severity.WARNING, ""
        path = selector_label_path(selector, dict(slipped[0].labels))
    else:
        severity, path, why = Severity.INFO, ("spec", "selector"), f" ({wording.outside})"
    return Diagnostic(
        path,
        f"{ref} selects no {wording.one}: {wording.none.format(where=where)} selector "
        f"{wanted}{nearest}; Prometheus gets no targets from it{why}",
        severity=severity,
        on_key=True,
        hint=wording.hint,
    )


def seen_service(service: Manifest) -> Seen:
    labels = string_map(service.labels)  # pyright: ignore[reportArgumentType]
    return Seen(str(service.ref), service.namespace, labels)


def seen_template(template: PodTemplate) -> Seen:
    return Seen(str(template.owner.ref), template.namespace, template.labels)


@dataclass(frozen=True, slots=True)
class Targets(Generic[T]):
    """What a kind of monitor selects (Services, pod templates) and how to read them."""

    select: Callable[[LabelSelector, Namespaces, Inventory], Selected[T]]
    elsewhere: Callable[[LabelSelector, Namespaces, Inventory], list[T]]
    near: Callable[[LabelSelector, Sequence[T]], list[T]]
    seen: Callable[[T], Seen]
    wording: Wording


def selector_no_match(
    manifest: Manifest, inventory: Inventory, targets: Targets[T]
) -> Iterator[Diagnostic]:
    """A monitor whose selector selects nothing of the input in its namespaces, although the
    input has candidates there (or what it selects is in other namespaces)."""
    selector = monitor_selector(manifest)
    if selector is None or is_empty(selector):
        return  # absent (the CRD requires it) or empty: everything
    namespaces = monitor_namespaces(manifest)
    selection = targets.select(selector, namespaces, inventory)
    if selection.selected or not selection.complete:
        return
    elsewhere = targets.elsewhere(selector, namespaces, inventory)
    if not elsewhere and not selection.candidates:
        return  # nothing there in the input: nothing to judge against
    yield no_match(
        manifest,
        selector,
        namespaces,
        [targets.seen(item) for item in elsewhere],
        [targets.seen(item) for item in targets.near(selector, selection.candidates)],
        targets.wording,
    )


# -- endpoints -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EndpointPort:
    """The port a monitor's endpoint scrapes, from the field that takes precedence."""

    field: str  # `port`, `portNumber` or `targetPort`
    value: int | str
    path: tuple[str | int, ...]

    @property
    def is_name(self) -> bool:
        return isinstance(self.value, str)

    def text(self) -> str:
        return f"{self.field} {self.value!r}" if self.is_name else f"{self.field} {self.value}"


def endpoint_ports(
    manifest: Manifest, section: str, fields: Sequence[str]
) -> Iterator[tuple[int, EndpointPort]]:
    """(index, port) of each item of `spec.<section>` that names a port: the first of `fields`
    that is set wins (the Prometheus Operator's precedence); `port` and `portNumber` must be a
    name and a number, `targetPort` may be either."""
    for index, item in enumerate(as_list(dig(manifest.data, "spec", section)) or []):
        endpoint = as_map(item)
        if endpoint is None:
            continue
        for field in fields:
            node: Node = endpoint.get(field)
            if node is None or node == "":
                continue
            number = as_int(node)
            name = as_str(node)
            value: int | str | None = (
                name if field == "port" else number if field == "portNumber" else number or name
            )
            if value is not None and value != 0:
                yield index, EndpointPort(field, value, ("spec", section, index, field))
            break


def declared_ports(templates: Sequence[PodTemplate], named: bool) -> str:
    """`http, metrics` (names) or `8080, 9090` (numbers) the templates' containers declare."""
    if named:
        names = sorted({p.name for t in templates for p in t.ports if p.name})
        return ", ".join(names) if names else "no named ports"
    numbers = sorted({p.number for t in templates for p in t.ports if p.number is not None})
    return ", ".join(str(n) for n in numbers) if numbers else "no ports"


def container_declares(templates: Sequence[PodTemplate], port: EndpointPort) -> bool:
    if isinstance(port.value, str):
        return any(p.name == port.value for t in templates for p in t.ports)
    return any(p.number == port.value for t in templates for p in t.ports)


def look_alike(wanted: str, names: Sequence[str]) -> str | None:
    """The name among `names` that looks like a slip for `wanted`, if any."""
    return next((name for name in names if looks_like_slip(wanted, name)), None)


def owners(templates: Sequence[PodTemplate]) -> str:
    """`Deployment shop/web, StatefulSet shop/db` (each workload once, capped)."""
    refs = list(dict.fromkeys(str(t.owner.ref) for t in templates))
    return capped(refs, len(refs))
