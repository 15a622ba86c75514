"""A Service as the API server sees it after defaulting (DESIGN §4), and the pods behind it.

Missing or empty `type` is ClusterIP, missing or empty `protocol` is TCP, and a `targetPort` that
is absent, 0 or "" means `port` (reference §1, "Defaulting"). Values of the wrong type are the
`schema` rule's problem: they come back as None here and callers skip them. The Service rules
(`rules/service/_service.py` re-exports these) and the traffic paths read Services this way.
"""

from __future__ import annotations

from netlint.api import ContainerPort, Manifest, Node, Path, PodTemplate
from netlint.k8s import as_int, as_map, as_str, items_at, spec_of
from netlint.model.shared_paths import shared, shared_strings, shared_text
from netlint.pickling import tuple_pickled
from netlint.records import record

CLUSTER_IP = "ClusterIP"
NODE_PORT = "NodePort"
LOAD_BALANCER = "LoadBalancer"
EXTERNAL_NAME = "ExternalName"
# Types whose nodePorts the allocator takes from the cluster-wide pool.
NODE_PORT_TYPES = frozenset({NODE_PORT, LOAD_BALANCER})


def service_type(manifest: Manifest) -> str | None:
    """The defaulted `spec.type`; None when it is not a string (a `schema` finding)."""
    node = spec_of(manifest).get("type")
    if node is None:
        return CLUSTER_IP
    value = as_str(node)
    if value is None:
        return None
    return value or CLUSTER_IP


@tuple_pickled  # a fact of its Service (`Manifest.fact`), pickled with it
@record(frozen=True, slots=True)
class ServicePort:
    """One `spec.ports` item, defaulted."""

    index: int
    path: Path  # ("spec", "ports", index)
    name: str | None  # None: absent, empty or not a string
    has_name_node: bool  # a `name` key with a non-empty value of any type
    port: int | None
    protocol: str | None  # defaulted to TCP; None when not a string
    # int, or a non-empty string; the defaulted value (port) when absent, 0 or "".
    target: int | str | None
    target_given: bool  # targetPort written with a non-default value
    node_port: int | None  # None: absent or 0 (auto-allocated)

    @property
    def target_path(self) -> Path:
        """Where the effective targetPort is written: targetPort, else port."""
        return (*self.path, "targetPort") if self.target_given else (*self.path, "port")

    @property
    def node_port_path(self) -> Path:
        return (*self.path, "nodePort")

    def label(self) -> str:
        """`port 80/TCP ("http")` for messages; a port whose number or protocol is not a value
        netlint can read (the schema's finding) is named by its place instead, never as
        `None`: `spec.ports[1] ("http")`, `port 80`."""
        if self.port is None:
            text = f"spec.ports[{self.index}]"
        elif self.protocol is None:
            text = f"port {self.port}"
        else:
            text = f"port {self.port}/{self.protocol}"
        return f'{text} ("{self.name}")' if self.name else text


def ports_of(manifest: Manifest) -> tuple[ServicePort, ...]:
    """The Service's ports (items that are not mappings are skipped: `schema` reports them).

    Most Service rules read them, so they are parsed once per object."""
    return manifest.fact("service:ports", _parse_ports)


def _parse_ports(manifest: Manifest) -> tuple[ServicePort, ...]:
    result: list[ServicePort] = []
    for index, item in items_at(manifest.data, "spec", "ports"):
        if not isinstance(item, dict):
            continue
        name_node = item.get("name")
        port = as_int(item.get("port"))
        protocol_node = item.get("protocol")
        protocol = (
            "TCP"
            if protocol_node is None or protocol_node == ""
            else shared_text(as_str(protocol_node))
        )
        target_node = item.get("targetPort")
        target_number = as_int(target_node)
        target: int | str | None
        if target_node is None or target_number == 0 or target_node == "":
            target, target_given = port, False
        else:
            # A bool or a float comes out as None: the schema's problem.
            target = (
                target_number if target_number is not None else shared_text(as_str(target_node))
            )
            target_given = True
        result.append(
            ServicePort(
                index=index,
                path=shared(("spec", "ports", index)),
                name=shared_text(as_str(name_node)) or None,
                has_name_node=name_node is not None and name_node != "",
                port=port,
                protocol=protocol,
                target=target,
                target_given=target_given,
                node_port=as_int(item.get("nodePort")) or None,
            )
        )
    return tuple(result)


def selector_node(manifest: Manifest) -> dict[str, Node] | None:
    return as_map(spec_of(manifest).get("selector"))


def string_selector(manifest: Manifest) -> dict[str, str] | None:
    """The selector when every value is a string; None when absent, empty or not all strings
    (never mutate it: it is built once per object).

    A non-string value (`enabled: yes`) is `yaml-ambiguous-value`'s or `schema`'s finding;
    matching with the remaining labels would judge a selector the API server never accepts.
    """
    return manifest.fact("service:string-selector", _string_selector)


def _string_selector(manifest: Manifest) -> dict[str, str] | None:
    node = selector_node(manifest)
    if not node:
        return None
    if not all(isinstance(value, str) for value in node.values()):
        return None
    return shared_strings({key: value for key, value in node.items() if isinstance(value, str)})


def target_ports(port: ServicePort, template: PodTemplate) -> list[ContainerPort] | None:
    """The container ports of `template` that the Service port's targetPort names: for a name,
    the ports declared with that name and protocol (none: the pods get no endpoint for it); for
    a number, the declared ports with that number, possibly none (declaring is optional).
    None when the targetPort or the protocol is not a value netlint can read."""
    target = port.target
    if port.protocol is None or target is None:
        return None
    if isinstance(target, str):
        return [p for p in template.ports if p.name == target and p.protocol == port.protocol]
    return [p for p in template.ports if p.number == target and p.protocol == port.protocol]


def declares_target(port: ServicePort, templates: list[PodTemplate]) -> bool:
    """Whether some container of `templates` declares the named targetPort with its protocol
    (kube-proxy's endpoint lookup: `FindPort` in pkg/api/v1/pod)."""
    return any(target_ports(port, template) for template in templates)
