"""The CustomResourceDefinitions a user gives (`--crd PATH`, config `crds:`), read as data.

Each served version of each CRD becomes a `CustomKind`: the strict schema its custom resources
are validated against under `schema`, and its rule schema (defaults and CEL rules). A CRD the
API server would refuse to create is refused here with the reason, as a usage error (exit 2):
a version without a schema, a CEL rule that does not parse, a `fieldPath` that is not one. A
rule that calls a function netlint's evaluator does not know is loaded and never evaluated
(the Kubernetes libraries netlint lacks, such as the math extension, are not told apart from
misspellings: such a CRD is not refused, never wrongly refused).
Loading evaluates nothing; CEL is only compiled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from netlint.findings import Path as KeyPath
from netlint.input.document import Document
from netlint.input.loader import load_yaml
from netlint.policy.cel_runtime import CelSyntaxError, CelUnavailable, compile_cel
from netlint.policy.cel_validation import parse_field_path
from netlint.policy.crd.openapi import strict_schema
from netlint.policy.crd.structural import RULES, rule_schema
from netlint.policy.offline import refuse_retrieval
from netlint.run.registry import PackError

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
CRD_SUFFIXES = (".yaml", ".yml", ".json")


class CrdError(PackError):
    """A CRD file that cannot be used: `str()` is `file:line: problem` (exit code 2)."""


@dataclass(frozen=True, slots=True)
class CustomKind:
    """One served version of a user's CRD."""

    api_version: str
    kind: str
    schema: dict[str, Any]  # strict draft 2020-12 (`openapi.strict_schema`)
    rules: dict[str, Any] | None  # `structural.rule_schema`; None: no defaults, no rules
    source: str  # `file:line` of the CRD
    # With a status subresource the API server drops a created object's status; without one,
    # status is a field like any other, validated and judged by the rules.
    status_subresource: bool = True


@dataclass(frozen=True, slots=True)
class CustomKinds:
    """Every kind of the given CRDs, by (apiVersion, kind), and a digest of the files read (the
    cache's: other CRDs, other results)."""

    kinds: dict[tuple[str, str], CustomKind]
    digest: str


def crd_files(path: Path) -> list[Path]:
    """A CRD file, or the `*.yaml`/`*.yml`/`*.json` files of a folder and its subfolders."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in CRD_SUFFIXES and p.is_file())
    return [path]


def load_crds(paths: Sequence[Path]) -> CustomKinds:
    """The kinds of the CRDs in `paths` (files or folders; documents of other kinds are left
    alone, so a whole install manifest may be given). CrdError for anything unusable."""
    kinds: dict[tuple[str, str], CustomKind] = {}
    digest = hashlib.sha256()
    for path in paths:
        if not path.exists():
            raise CrdError(f"{path}: no such CRD file or folder")
        found = 0
        for file in crd_files(path):
            try:
                text = file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CrdError(f"{file}: cannot read the CRD file: {error}") from None
            digest.update(f"{file}\0{len(text)}\0".encode())
            digest.update(text.encode())
            for kind in _file_kinds(text, str(file)):
                found += 1
                key = (kind.api_version, kind.kind)
                if key in kinds:
                    raise CrdError(
                        f"{kind.source}: {kind.kind} {kind.api_version} is already defined "
                        f"at {kinds[key].source}"
                    )
                kinds[key] = kind
        if not found:
            raise CrdError(f"{path}: no CustomResourceDefinition in it")
    return CustomKinds(kinds, digest.hexdigest())


def _file_kinds(text: str, display: str) -> Iterator[CustomKind]:
    loaded = load_yaml(text, display)
    if loaded.problems:
        problem = loaded.problems[0]
        raise CrdError(f"{display}:{problem.span[0] + 1}: {problem.message}")
    for document in loaded.documents:
        data = document.data
        if isinstance(data, dict) and data.get("kind") == CRD_KIND:
            yield from _crd_kinds(document, cast("dict[str, Any]", data), display)


def _crd_kinds(document: Document, crd: dict[str, Any], display: str) -> Iterator[CustomKind]:
    def fail(path: KeyPath, message: str) -> CrdError:
        line = document.span_of(path)[0] + 1
        name = _text(crd, "metadata", "name") or "(no name)"
        return CrdError(f"{display}:{line}: {CRD_KIND} {name}: {message}")

    if crd.get("apiVersion") != CRD_API_VERSION:
        raise fail(("apiVersion",), f"apiVersion must be {CRD_API_VERSION}")
    group = _text(crd, "spec", "group")
    kind = _text(crd, "spec", "names", "kind")
    versions = _at(crd, "spec", "versions")
    if group is None or kind is None or not isinstance(versions, list) or not versions:
        raise fail(("spec",), "spec.group, spec.names.kind and spec.versions are required")
    source = f"{display}:{document.span_of(())[0] + 1}"
    for index, version in enumerate(cast("list[object]", versions)):
        here: KeyPath = ("spec", "versions", index)
        if not isinstance(version, dict):
            raise fail(here, f"spec.versions[{index}] must be a mapping")
        entry = cast("dict[str, Any]", version)
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise fail(here, f"spec.versions[{index}].name is required")
        if entry.get("served") is False:
            continue
        openapi = _at(entry, "schema", "openAPIV3Schema")
        if not isinstance(openapi, dict):
            raise fail(here, f"version {name}: schema.openAPIV3Schema is required")
        schema_path: KeyPath = (*here, "schema", "openAPIV3Schema")
        typed = cast("dict[str, Any]", openapi)
        for rule_path, problem in _rule_problems(typed, schema_path):
            raise fail(rule_path, f"version {name}: {problem}")
        api_version = f"{group}/{name}"
        strict = strict_schema(typed, api_version, kind, f"from {source} (--crd)")
        problem = _compile_problem(strict)
        if problem is not None:
            raise fail(schema_path, f"version {name}: {problem}")
        subresources = entry.get("subresources")
        has_status = isinstance(subresources, dict) and "status" in subresources
        yield CustomKind(api_version, kind, strict, rule_schema(typed), source, has_status)


def _rule_problems(node: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Each CEL rule of the schema that the API server would refuse: it does not compile, or
    its `fieldPath` is not a path."""
    if isinstance(node, list):
        for index, item in enumerate(cast("list[object]", node)):
            yield from _rule_problems(item, (*path, index))
        return
    if not isinstance(node, dict):
        return
    mapping = cast("dict[str, object]", node)
    rules = mapping.get(RULES)
    for index, rule in enumerate(cast("list[object]", rules) if isinstance(rules, list) else []):
        here: KeyPath = (*path, RULES, index)
        entry = cast("dict[str, object]", rule) if isinstance(rule, dict) else {}
        if not isinstance(entry.get("rule"), str):
            yield here, "an x-kubernetes-validations entry needs a `rule` string"
            continue
        for field in ("rule", "messageExpression"):
            source = entry.get(field)
            if isinstance(source, str) and source.strip():
                try:
                    compile_cel(source)
                except CelUnavailable as error:
                    yield (*here, field), str(error)
                except CelSyntaxError as error:
                    if error.undeclared is not None:
                        # Perhaps a function of a Kubernetes CEL library netlint's evaluator
                        # lacks (the math extension): the rule is loaded and not evaluated.
                        continue
                    first = str(error).splitlines()[0]
                    yield (*here, field), f"{field} {source!r} does not compile: {first}"
        field_path = entry.get("fieldPath")
        if isinstance(field_path, str) and field_path:
            try:
                parse_field_path(field_path)
            except ValueError as error:
                yield (*here, "fieldPath"), str(error)
    for key, value in mapping.items():
        if key != RULES:
            yield from _rule_problems(value, (*path, key))


def _compile_problem(schema: dict[str, Any]) -> str | None:
    """Why the strict schema does not compile (an invalid `pattern`, which would otherwise stop
    the run when the first object is validated); None when it does."""
    try:
        import jsonschema_rs
    except ImportError:
        return None  # python-jsonschema judges alone, and checks the schema on first use
    try:
        jsonschema_rs.validator_for(schema, validate_formats=False, retriever=refuse_retrieval)
    except (ValueError, jsonschema_rs.ValidationError) as error:
        return str(error).splitlines()[0]
    return None


def _at(data: dict[str, Any], *keys: str) -> object:
    value: object = data
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = cast("dict[str, object]", value).get(key)
    return value


def _text(data: dict[str, Any], *keys: str) -> str | None:
    value = _at(data, *keys)
    return value if isinstance(value, str) and value else None
