"""What a CRD's CEL rules need of its structural schema, and the defaulting the API server applies
before it evaluates them.

`rule_schema` keeps, of a CRD version's `openAPIV3Schema`, the tree of `properties`, `items` and
`additionalProperties` with each node's `type`, `nullable`, `default`, `x-kubernetes-validations`
and the extensions that change what a value is (int-or-string, preserve-unknown-fields,
embedded-resource); descriptions and value validations (the strict JSON Schema's) are dropped.
The generator writes it beside each bundled Gateway API schema (`*.rules.json`); `--crd` builds
it from the user's CRD.
"""

from __future__ import annotations

import copy
from typing import Any, cast

Schema = dict[str, Any]

RULES = "x-kubernetes-validations"
_KEPT = (
    "type",
    "format",  # byte, date, date-time, duration: CEL sees bytes, timestamps, durations
    "x-kubernetes-list-type",  # set and map lists compare without regard to order
    "nullable",
    "default",
    RULES,
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
)


def rule_schema(openapi: Schema) -> Schema | None:
    """`openapi` reduced to what defaulting and CEL rules read; None when no node of it has a
    default or a rule (nothing to do before or after the strict schema)."""
    reduced = _reduce(openapi)
    return reduced if _has_work(reduced) else None


def _reduce(node: Schema) -> Schema:
    out: Schema = {key: node[key] for key in _KEPT if key in node}
    properties = cast("dict[str, Any]", node.get("properties") or {})
    if properties:
        out["properties"] = {
            name: _reduce(cast("Schema", sub))
            for name, sub in properties.items()
            if isinstance(sub, dict)
        }
    items = node.get("items")
    if isinstance(items, dict):
        out["items"] = _reduce(cast("Schema", items))
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        out["additionalProperties"] = _reduce(cast("Schema", additional))
    # Rules may also sit in `allOf` branches (value validations): evaluated on the same value.
    branches: list[Schema] = [
        {RULES: cast("Schema", branch)[RULES]}
        for branch in cast("list[object]", node.get("allOf") or [])
        if isinstance(branch, dict) and cast("Schema", branch).get(RULES)
    ]
    if branches:
        out["allOf"] = branches
    return out


def _has_work(node: Schema) -> bool:
    if "default" in node or node.get(RULES) or node.get("allOf"):
        return True
    children = [*cast("dict[str, Schema]", node.get("properties", {})).values()]
    for key in ("items", "additionalProperties"):
        if key in node:
            children.append(node[key])
    return any(_has_work(child) for child in children)


def child_schema(schema: Schema, key: str) -> Schema | None:
    """The schema of field `key` of an object: a declared property, else the schema of every
    other key (`additionalProperties`), else None (an unknown field)."""
    properties = cast("dict[str, Schema]", schema.get("properties") or {})
    found = properties.get(key)
    if found is not None:
        return found
    additional = schema.get("additionalProperties")
    return cast("Schema", additional) if isinstance(additional, dict) else None


def _null_replacement(schema: Schema | None) -> tuple[bool, object]:
    """For a null value: (keep it?, the value kept). A non-nullable null takes the default or is
    pruned; a nullable one, or one the schema does not know, stays null."""
    if schema is None or schema.get("nullable"):
        return True, None
    if "default" in schema:
        return True, defaulted(copy.deepcopy(schema["default"]), schema, root=False)
    return False, None


# Never pruned at the root of a custom resource, whatever its schema lists (`pruning.Prune`
# with isResourceRoot).
_ROOT_FIELDS = frozenset({"apiVersion", "kind", "metadata"})


def _prunes_unknown(schema: Schema | None) -> bool:
    """Whether fields the schema does not know are pruned from this object (an object schema
    without `additionalProperties` or `x-kubernetes-preserve-unknown-fields`)."""
    if schema is None or schema.get("x-kubernetes-preserve-unknown-fields"):
        return False
    if isinstance(schema.get("additionalProperties"), dict):
        return False
    return schema.get("type") == "object"


def defaulted(value: object, schema: Schema | None, *, root: bool = True) -> object:
    """A copy of `value` as the API server validates it: fields the schema does not know pruned
    (`pruning.Prune`; with strict field validation they are refused before, which `schema`
    reports), each absent property that has a `default` set to it, each non-nullable null set
    to its default or pruned, recursively (a default's own fields defaulted in turn). Follows
    apiextensions-apiserver's structural `defaulting.Default` and
    `PruneNonNullableNullsWithoutDefaults`. Keys keep their order; defaulted ones come after
    the document's."""
    if isinstance(value, dict):
        mapping = cast("dict[str, object]", value)
        out: dict[str, object] = {}
        prune = _prunes_unknown(schema)
        for key, item in mapping.items():
            sub = child_schema(schema, key) if schema is not None else None
            if root and key in _ROOT_FIELDS:
                out[key] = item  # ObjectMeta is the API server's, not the CRD schema's
                continue
            if sub is None and prune:
                continue
            if item is not None:
                out[key] = defaulted(item, sub, root=False)
                continue
            keep, replacement = _null_replacement(sub)
            if keep:
                out[key] = replacement
        if schema is not None:
            properties = cast("dict[str, Schema]", schema.get("properties") or {})
            for key, sub in properties.items():
                if key not in mapping and "default" in sub:
                    out[key] = defaulted(copy.deepcopy(sub["default"]), sub, root=False)
        return out
    if isinstance(value, list):
        items = schema.get("items") if schema is not None else None
        item_schema = cast("Schema", items) if isinstance(items, dict) else None
        result: list[object] = []
        for item in cast("list[object]", value):
            if item is None:
                # A null item without a default stays null: only object fields are pruned.
                result.append(_null_replacement(item_schema)[1])
            else:
                result.append(defaulted(item, item_schema, root=False))
        return result
    return value
