"""Input shapes that once made netlint super-linear in one dimension (hardening issues 25, 33).

Each shape is one file a pull request can add, generated at any size: the same object repeated
as documents or list items, one Ingress or HTTPRoute with many identical paths, a mapping with
many duplicate keys, and so on. `python -m netlint.bench --scaling` lints each at growing sizes
and fits the exponent of time against size; the fuzz tests lint each at a small size. The same
name and size always give the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    what: str  # what the file holds, with N for its size
    text: Callable[[int], str]  # the file's text at size N


_CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  namespace: shop\n"


def _documents(size: int) -> str:
    return "---\n".join([_CONFIG_MAP + "data: {mode: fast}\n"] * size)


def _list(kind: str, items: list[str]) -> str:
    """A `*List` wrapper around `items`, each an object's YAML at the left margin."""
    indented = ("- " + item.rstrip("\n").replace("\n", "\n  ") + "\n" for item in items)
    return f"apiVersion: v1\nkind: {kind}\nitems:\n" + "".join(indented)


def _config_map_list(size: int) -> str:
    return _list("ConfigMapList", [_CONFIG_MAP + "data: {mode: fast}\n"] * size)


def _ingress_paths(size: int) -> str:
    path = (
        "      - path: /\n        pathType: Prefix\n        backend:\n"
        "          service: {{name: web-{0}, port: {{number: 80}}}}\n"
    )
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
        "  namespace: shop\nspec:\n  ingressClassName: nginx\n  rules:\n"
        "  - host: shop.example.com\n    http:\n      paths:\n"
        + "".join(path.format(index % 2) for index in range(size))
    )


ROUTE_RULES = 8


def _route_matches(size: int) -> str:
    """One HTTPRoute of `ROUTE_RULES` rules sharing `size` identical matches between them."""
    rules: list[str] = []
    for rule in range(ROUTE_RULES):
        count = size // ROUTE_RULES + (1 if rule < size % ROUTE_RULES else 0)
        rules.append(
            "  - matches:\n"
            + "    - path: {type: PathPrefix, value: /}\n" * count
            + f"    backendRefs:\n    - {{name: web-{rule}, port: 80}}\n"
        )
    return (
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"
        "  namespace: shop\nspec:\n  parentRefs:\n  - name: gateway\n"
        "  hostnames: [shop.example.com]\n  rules:\n" + "".join(rules)
    )


def _service_list(size: int) -> str:
    service = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-{0}\n  namespace: shop\n"
        "spec:\n  selector: {{app: web}}\n  ports:\n  - {{name: http, port: 80}}\n"
    )
    return _list("List", [service.format(index) for index in range(size)])


def _duplicate_keys(size: int) -> str:
    return _CONFIG_MAP + "data:\n" + "  mode: fast\n" * size


def _port_names(size: int) -> str:
    return (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
        "  selector: {app: web}\n  ports:\n"
        + "".join(f"  - {{name: http, port: {1000 + index}}}\n" for index in range(size))
    )


def _stateful_sets(size: int) -> str:
    stateful_set = (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db-{0}\n  namespace: shop\n"
        "spec:\n  replicas: 10000\n  serviceName: db\n  selector:\n    matchLabels: {{app: db}}\n"
        "  template:\n    metadata:\n      labels: {{app: db}}\n    spec:\n"
        "      containers:\n      - {{name: db, image: postgres}}\n"
    )
    return "---\n".join(stateful_set.format(index) for index in range(size))


SHAPES: tuple[Shape, ...] = (
    Shape("documents", "ConfigMap shop/one as N documents", _documents),
    Shape("configmap-list", "ConfigMap shop/one N times in a ConfigMapList", _config_map_list),
    Shape("ingress-paths", "one Ingress rule, N paths / (Prefix), two backends", _ingress_paths),
    Shape(
        "route-matches",
        f"one HTTPRoute, N identical matches in {ROUTE_RULES} rules",
        _route_matches,
    ),
    Shape("service-list", "a kind: List of N Services", _service_list),
    Shape("duplicate-keys", "a mapping with N duplicate keys", _duplicate_keys),
    Shape("port-names", "a Service with N ports named http", _port_names),
    Shape("statefulsets", "N StatefulSets with replicas: 10000", _stateful_sets),
)
