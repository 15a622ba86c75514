"""A CRD's OpenAPI v3 (structural) schema as a strict draft 2020-12 JSON Schema for `schema`.

Used at run time for the CRDs a user gives (`--crd`) and by `schemas/tools/generate.py` for the
bundled Gateway API kinds, so both are judged alike:

- an optional field may be null: the API server prunes null fields that are not `nullable`
  before validating (`PruneNonNullableNullsWithoutDefaults`), so null there is "absent"; a
  required one may not be null;
- `x-kubernetes-int-or-string` becomes a type list;
- an object with `properties` rejects others (`additionalProperties: false`) unless it sets
  `x-kubernetes-preserve-unknown-fields` (strict field validation, kubectl's default);
- descriptions, defaults and CEL rules are dropped: defaults and `x-kubernetes-validations` are
  `netlint.policy.crd.rules`' (evaluated after defaulting, as the API server does);
- `metadata` is loose object metadata (the API server validates it, not the CRD's schema);
  `apiVersion` and `kind` are pinned to the object's.

Value validations under `allOf`/`anyOf`/`oneOf`/`not` (structural schemas allow no types or
properties of their own there) are kept as they are, without strictness added inside them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

Schema = dict[str, Any]

# OpenAPI v3 / Kubernetes extension keywords that draft 2020-12 does not need.
DROPPED_KEYS = frozenset(
    {"description", "default", "example", "nullable", "x-kubernetes-validations"}
)
COMBINATORS = frozenset({"oneOf", "anyOf", "allOf", "not"})

# Kubernetes object metadata, loose: the fields rules read are typed, the rest is left to the
# API server (a CRD's `metadata` is only `type: object`).
LOOSE_OBJECT_META: Schema = {
    "type": "object",
    "properties": {
        "name": {"type": ["string", "null"]},
        "generateName": {"type": ["string", "null"]},
        "namespace": {"type": ["string", "null"]},
        "labels": {
            "type": ["object", "null"],
            "additionalProperties": {"type": ["string", "null"]},
        },
        "annotations": {
            "type": ["object", "null"],
            "additionalProperties": {"type": ["string", "null"]},
        },
    },
}

# (where, keyword) -> the combinator subtree to keep, or None to drop it.
CombinatorPolicy = Callable[[str, str, Any], Any]


def keep_combinator(where: str, keyword: str, value: Any) -> Any:
    """The run-time policy: a value validation kept as written."""
    return value


def convert(node: Any, where: str, required: bool, combinators: CombinatorPolicy) -> Any:
    """One OpenAPI v3 schema node -> draft 2020-12, strict (see the module docstring). `where`
    names the node for the generator's messages: `spec.listeners[]`, `spec.labels{}`."""
    if not isinstance(node, dict):
        return node
    source = cast("Schema", node)
    out: Schema = {}
    for key, value in source.items():
        if key in DROPPED_KEYS or (
            key.startswith("x-kubernetes-") and key != "x-kubernetes-int-or-string"
        ):
            continue
        if key == "properties":
            names = set(cast("list[str]", source.get("required") or []))
            out[key] = {
                name: convert(sub, f"{where}.{name}" if where else name, name in names, combinators)
                for name, sub in cast("Schema", value).items()
            }
        elif key == "items":
            out[key] = convert(value, f"{where}[]", True, combinators)
        elif key == "additionalProperties":
            out[key] = (
                convert(value, f"{where}{{}}", True, combinators)
                if isinstance(value, dict)
                else value
            )
        elif key in COMBINATORS:
            kept = combinators(where, key, value)
            if kept is not None:
                out[key] = _strip(kept)
        elif key == "x-kubernetes-int-or-string":
            out["type"] = ["integer", "string"]
        else:
            out[key] = value
    if "properties" in out and not source.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    if not required or source.get("nullable"):
        types: object = out.get("type")
        if isinstance(types, str):
            out["type"] = sorted({types, "null"})
        elif isinstance(types, list):
            out["type"] = sorted({*cast("list[str]", types), "null"})
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


def _strip(node: Any) -> Any:
    """A combinator's subtree without the annotation keywords draft 2020-12 does not know."""
    if isinstance(node, list):
        return [_strip(item) for item in cast("list[Any]", node)]
    if isinstance(node, dict):
        return {
            key: _strip(value)
            for key, value in cast("Schema", node).items()
            if key not in DROPPED_KEYS and not key.startswith("x-kubernetes-")
        }
    return node


def strict_schema(
    openapi: Schema,
    api_version: str,
    kind: str,
    comment: str,
    combinators: CombinatorPolicy = keep_combinator,
) -> Schema:
    """The strict JSON Schema of `kind` in `api_version`, from its CRD version's
    `openAPIV3Schema`, in the envelope of the bundled core schemas."""
    root: Schema = convert(openapi, "", True, combinators)
    root.setdefault("type", "object")
    properties: Schema = root.setdefault("properties", {})
    properties["apiVersion"] = {"enum": [api_version], "type": ["string", "null"]}
    properties["kind"] = {"enum": [kind], "type": ["string", "null"]}
    properties["metadata"] = LOOSE_OBJECT_META
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    root["$comment"] = comment
    if not openapi.get("x-kubernetes-preserve-unknown-fields"):
        root["additionalProperties"] = False
    return root
