"""Message templates of declarative policies: `{{ expression | filter }}` placeholders.

A deliberately tiny language (no loops, no calls, no attribute access on Python objects), because
policies are data: config `rules:` loads them from the linted checkout, and reading someone
else's checkout must never run their code (DESIGN §6).

    expression := NAME ( "." SEGMENT | "[" INDEX "]" | '["' KEY '"]' )*
    filter     := quote | lower | upper | json | default("text") | prefix("text")

Names: `ref` (`Service shop/web`), `kind`, `name`, `namespace`, `apiVersion`, `id`, `summary`,
`value` (the node the message is about), `key` (its last path step: a key or a list index),
`path` (`spec.ports[0].nodePort`), `reason` (why it failed, several joined with "; "),
`object` (the whole object) and `params` (the policy's bound parameters).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, cast

NAMES = frozenset(
    {
        "ref",
        "kind",
        "name",
        "namespace",
        "apiVersion",
        "id",
        "summary",
        "value",
        "key",
        "path",
        "reason",
        "object",
        "params",
    }
)
FILTERS = ("quote", "lower", "upper", "json", "default", "prefix")
_WITH_ARGUMENT = frozenset({"default", "prefix"})

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)")
_STEP = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\"((?:[^\"\\]|\\.)*)\"\]")
_FILTER = re.compile(r"\s*\|\s*([a-z]+)(?:\(\s*\"((?:[^\"\\]|\\.)*)\"\s*\))?")

Step = str | int


class TemplateError(ValueError):
    """A template that does not parse; the message says what is wrong."""


class Expression(NamedTuple):
    name: str
    steps: tuple[Step, ...]
    filters: tuple[tuple[str, str | None], ...]


class Template(NamedTuple):
    """A parsed template: literal text and expressions, alternating."""

    source: str
    parts: tuple[str | Expression, ...]

    @property
    def expressions(self) -> tuple[Expression, ...]:
        return tuple(part for part in self.parts if isinstance(part, Expression))

    def render(self, lookup: Callable[[str], object]) -> str:
        """`lookup(name)` gives the value of a root name (None when unknown)."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = walk(lookup(part.name), part.steps)
            out.append(apply_filters(value, part.filters))
        return "".join(out)

    def single_expression(self) -> Expression | None:
        """The expression when the whole template is exactly one placeholder."""
        if len(self.parts) == 1 and isinstance(self.parts[0], Expression):
            return self.parts[0]
        return None


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_expression(text: str) -> Expression:
    match = _NAME.match(text)
    if match is None:
        raise TemplateError(f"{{{{{text}}}}}: expected a name such as value, ref or params.NAME")
    name = match.group(1)
    if name not in NAMES:
        known = ", ".join(sorted(NAMES))
        raise TemplateError(f"{{{{{text}}}}}: unknown name {name!r} (known: {known})")
    position = match.end()
    steps: list[Step] = []
    while True:
        step = _STEP.match(text, position)
        if step is None:
            break
        if step.group(1) is not None:
            steps.append(step.group(1))
        elif step.group(2) is not None:
            steps.append(int(step.group(2)))
        else:
            steps.append(_unescape(step.group(3)))
        position = step.end()
    filters: list[tuple[str, str | None]] = []
    while True:
        found = _FILTER.match(text, position)
        if found is None:
            break
        filter_name, argument = found.group(1), found.group(2)
        if filter_name not in FILTERS:
            raise TemplateError(
                f"{{{{{text}}}}}: unknown filter {filter_name!r} (known: {', '.join(FILTERS)})"
            )
        if (argument is not None) != (filter_name in _WITH_ARGUMENT):
            usage = f'{filter_name}("text")' if filter_name in _WITH_ARGUMENT else filter_name
            raise TemplateError(f"{{{{{text}}}}}: write the filter as {usage}")
        filters.append((filter_name, _unescape(argument) if argument is not None else None))
        position = found.end()
    if text[position:].strip():
        raise TemplateError(f"{{{{{text}}}}}: cannot read {text[position:].strip()!r}")
    return Expression(name, tuple(steps), tuple(filters))


def parse_template(source: str) -> Template:
    parts: list[str | Expression] = []
    position = 0
    for match in _PLACEHOLDER.finditer(source):
        if match.start() > position:
            parts.append(source[position : match.start()])
        parts.append(parse_expression(match.group(1)))
        position = match.end()
    if position < len(source):
        parts.append(source[position:])
    rest = "".join(part for part in parts if isinstance(part, str))
    if "{{" in rest or "}}" in rest:
        raise TemplateError(f"unbalanced '{{{{' or '}}}}' in {source!r}")
    return Template(source, tuple(parts))


def walk(value: object, steps: Sequence[Step]) -> object:
    """Follow keys and indexes; None as soon as one is missing (never raises)."""
    for step in steps:
        if isinstance(value, Mapping) and isinstance(step, str):
            mapping = cast("Mapping[str, object]", value)
            value = mapping.get(step)
        elif isinstance(value, list) and isinstance(step, int):
            items: list[object] = value  # pyright: ignore[reportUnknownVariableType]
            value = items[step] if 0 <= step < len(items) else None
        else:
            return None
    return value  # pyright: ignore[reportUnknownVariableType]


def render_value(value: object) -> str:
    """How a YAML value reads in a message: strings as they are, `true`, `null`, JSON for the rest."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(", ", ": "), default=str)


def apply_filters(value: object, filters: Sequence[tuple[str, str | None]]) -> str:
    current: object = value
    for name, argument in filters:
        if name == "default":
            current = argument if current is None or current == "" else current
        elif name == "prefix":
            current = (argument or "") + render_value(current)
        elif name == "quote":
            current = repr(current) if isinstance(current, str) else render_value(current)
        elif name == "json":
            current = json.dumps(current, default=str)
        elif name == "lower":
            current = render_value(current).lower()
        elif name == "upper":
            current = render_value(current).upper()
    return render_value(current)
