"""Values as a CRD's CEL rules see them, typed by the schema (k8s.io/apiserver `pkg/cel/common`
`UnstructuredToVal`): a `number` is a double even when written `1`; a string of `format: byte`
is bytes, of `date` or `date-time` a timestamp, of `duration` a duration. A value its format
does not parse stays a string: the API server refuses it as malformed before CEL, and a rule
given a string where it expects a timestamp fails to evaluate, which gives no finding.

And `canonical`: lists of `x-kubernetes-list-type: set` or `map` sorted, for the second look a
failed rule gets when its value holds such lists (they compare without regard to order in the
API server, and netlint's evaluator compares lists in order).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from collections.abc import Callable
from typing import cast

from netlint.policy.crd.structural import Schema, child_schema

# Go's time.ParseDuration: a sequence of decimal numbers, each with a unit.
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_SET_LISTS = frozenset({"set", "map"})


def parse_go_duration(text: str) -> datetime.timedelta | None:
    """`1h30m`, `-1.5s`, `0` as Go's time.ParseDuration reads them; None when it does not."""
    sign = -1.0 if text.startswith("-") else 1.0
    rest = text[1:] if text[:1] in "+-" else text
    if rest == "0":
        return datetime.timedelta(0)
    if not rest:
        return None
    total, position = 0.0, 0
    while position < len(rest):
        part = _DURATION_PART.match(rest, position)
        if part is None:
            return None
        total += float(part.group(1)) * _UNIT_SECONDS[part.group(2)]
        position = part.end()
    return datetime.timedelta(seconds=sign * total)


def _timestamp(text: str, date_only: bool) -> datetime.datetime | None:
    try:
        if date_only:
            day = datetime.date.fromisoformat(text)
            return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
        # Python 3.10's fromisoformat reads no `Z`.
        found = datetime.datetime.fromisoformat(
            text[:-1] + "+00:00" if text.endswith("Z") else text
        )
    except ValueError:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=datetime.timezone.utc)


def _scalar(value: object, schema: Schema) -> object:
    kind, form = schema.get("type"), schema.get("format")
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str) or kind != "string":
        return value
    converted: object = None
    if form == "byte":
        try:
            converted = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            converted = None
    elif form in ("date", "date-time"):
        converted = _timestamp(value, form == "date")
    elif form == "duration":
        converted = parse_go_duration(value)
    return value if converted is None else converted


def _rebuilt(
    value: object,
    schema: Schema | None,
    scalar: Callable[[object, Schema], object],
    listed: Callable[[list[object], Schema], list[object]],
) -> object:
    """`value` rebuilt along its schema: `scalar` for each leaf, `listed` for each list once
    its items are rebuilt. Parts the schema does not describe are kept as they are."""
    if schema is None:
        return value
    if isinstance(value, dict):
        return {
            key: _rebuilt(item, child_schema(schema, key), scalar, listed)
            for key, item in cast("dict[str, object]", value).items()
        }
    if isinstance(value, list):
        items = schema.get("items")
        item_schema = cast("Schema", items) if isinstance(items, dict) else None
        rebuilt = [
            _rebuilt(item, item_schema, scalar, listed) for item in cast("list[object]", value)
        ]
        return listed(rebuilt, schema)
    return scalar(value, schema)


def _unchanged_list(items: list[object], schema: Schema) -> list[object]:
    return items


def _unchanged_scalar(value: object, schema: Schema) -> object:
    return value


def _sorted_if_unordered(items: list[object], schema: Schema) -> list[object]:
    if schema.get("x-kubernetes-list-type") in _SET_LISTS:
        items.sort(key=lambda item: value_key(item) or "")
    return items


def cel_typed(value: object, schema: Schema | None) -> object:
    """`value` (plain data, already defaulted) with the schema's CEL types applied."""
    return _rebuilt(value, schema, _scalar, _unchanged_list)


def value_key(value: object) -> str | None:
    """A text that two values share only when CEL cannot tell them apart; None for a value
    that has none (keys of mixed types, which the loader never produces)."""
    try:
        return json.dumps(value, sort_keys=True, default=_typed_text)
    except (TypeError, ValueError):
        return None


def _typed_text(value: object) -> dict[str, str]:
    # bytes, timestamps, durations: never equal to a string, or to each other across types
    return {"\0type": type(value).__name__, "\0value": repr(value)}


def has_unordered_lists(schema: Schema) -> bool:
    """Whether a value of `schema` may hold a set or map list (in itself or below)."""
    if schema.get("x-kubernetes-list-type") in _SET_LISTS:
        return True
    children = [*cast("dict[str, Schema]", schema.get("properties") or {}).values()]
    for key in ("items", "additionalProperties"):
        child = schema.get(key)
        if isinstance(child, dict):
            children.append(cast("Schema", child))
    return any(has_unordered_lists(child) for child in children)


def canonical(value: object, schema: Schema | None) -> object:
    """`value` with every set and map list sorted (by each item's `value_key`)."""
    return _rebuilt(value, schema, _unchanged_scalar, _sorted_if_unordered)
