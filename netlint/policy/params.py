"""A policy's parameters: their declaration, the run-wide settings they may be bound to, the
types of their values, and their substitution into the schema.

Strings of the schema that are exactly `{{ params.NAME }}` (or `{{ params.NAME.min }}`) become the
parameter's value with its type; other strings get parameters interpolated as text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import NamedTuple, cast

from netlint.api import Settings
from netlint.model.access import as_map
from netlint.policy.keywords import KEYWORDS
from netlint.policy.template import parse_template, walk
from netlint.run.config_values import parse_node_port_range

# Run-wide settings a parameter may be bound to (`setting:`), and how to read them.
SETTINGS: dict[str, Callable[[Settings], object]] = {
    "node-port-range": lambda s: {"min": s.node_port_range[0], "max": s.node_port_range[1]},
    "kube-version": lambda s: s.kube_version,
    "default-namespace": lambda s: s.default_namespace,
}


def coerce_param(kind: str, value: object) -> object:
    """The value of a parameter of type `kind`; ValueError saying what is expected."""
    if kind == "port-range":
        if isinstance(value, str):
            low, high = parse_node_port_range(value)
            return {"min": low, "max": high}
        mapping = as_map(value)  # pyright: ignore[reportArgumentType]
        if mapping is not None:
            low_value, high_value = mapping.get("min"), mapping.get("max")
            if (
                isinstance(low_value, int)
                and isinstance(high_value, int)
                and not isinstance(low_value, bool)
                and not isinstance(high_value, bool)
                and 0 <= low_value <= high_value <= 65535
            ):
                return {"min": low_value, "max": high_value}
        raise ValueError("expected a port range such as 30000-32767 or {min: 30000, max: 32767}")
    if kind == "label-selector":
        problem = label_selector_problem(value)
        if problem is not None:
            raise ValueError(
                f"expected a label selector such as {{matchLabels: {{env: prod}}}}: {problem}"
            )
        return value
    checks: dict[str, Callable[[object], bool]] = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
    }
    if not checks[kind](value):
        raise ValueError(f"expected a value of type {kind}, got {json.dumps(value, default=str)}")
    return value


_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def label_selector_problem(value: object) -> str | None:
    """What makes `value` no metav1.LabelSelector (`matchLabels`, `matchExpressions`), if
    anything: a parameter of type label-selector must be one before any object meets it."""
    if not isinstance(value, dict):
        return "not a mapping"
    selector = cast("dict[str, object]", value)
    extra = sorted(set(selector) - {"matchLabels", "matchExpressions"})
    if extra:
        return f"unknown key {extra[0]!r}"
    labels = selector.get("matchLabels", {})
    if not isinstance(labels, dict) or not all(
        isinstance(v, str) for v in cast("dict[str, object]", labels).values()
    ):
        return "matchLabels must map label keys to strings"
    expressions = selector.get("matchExpressions", [])
    if not isinstance(expressions, list):
        return "matchExpressions must be a list"
    for index, raw in enumerate(cast("list[object]", expressions)):
        entry = cast("dict[str, object]", raw) if isinstance(raw, dict) else {}
        values = entry.get("values", [])
        if (
            not isinstance(entry.get("key"), str)
            or entry.get("operator") not in _OPERATORS
            or not isinstance(values, list)
            or not all(isinstance(v, str) for v in cast("list[object]", values))
        ):
            return (
                f"matchExpressions[{index}] needs a string key, an operator of "
                f"{', '.join(_OPERATORS)} and a list of string values"
            )
    return None


class Parameter(NamedTuple):
    name: str
    type: str
    default: object
    setting: str | None  # bound to this run-wide setting unless config `params:` sets it
    description: str


def substitute(node: object, params: Mapping[str, object]) -> object:
    """Parameters into the schema: whole-placeholder strings keep the parameter's type."""
    if isinstance(node, list):
        return [substitute(item, params) for item in cast("list[object]", node)]
    if isinstance(node, dict):
        return {
            key: value if key in KEYWORDS else substitute(value, params)
            for key, value in cast("dict[str, object]", node).items()
        }
    if isinstance(node, str) and "{{" in node:
        template = parse_template(node)
        lookup: Callable[[str], object] = lambda name: params if name == "params" else None  # noqa: E731
        single = template.single_expression()
        if single is not None and not single.filters:
            return walk(params, single.steps)
        return template.render(lookup)
    return node
