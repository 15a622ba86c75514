"""`validations:` of a netlint policy: CEL expressions instead of a JSON Schema (issue 32,
item 4). Each is true for a valid object (or, with `forEach`, a valid item of a list); a false
one is a finding at its `fieldPath`, worded by its `message` template or `messageExpression`.

An expression that reads a field the object lacks gives no finding (the API server may default
the field), and any other evaluation error is the policy's bug, reported as `internal-error`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from netlint.api import Diagnostic
from netlint.findings import Path
from netlint.input.document import Node
from netlint.model.access import dig
from netlint.model.manifest import Manifest
from netlint.policy.admission.resources import object_at_admission
from netlint.policy.cel_runtime import CelRuntimeError, Program, compile_cel, evaluate
from netlint.policy.template import Template, parse_template

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_field_path(text: str) -> Path:
    """`spec.ports[0].nodePort` -> ("spec", "ports", 0, "nodePort"); a leading `.` is allowed
    (CRD rules write `.spec.x`). ValueError for anything else."""
    steps: list[str | int] = []
    rest = text[1:] if text.startswith(".") else text
    position = 0
    while position < len(rest):
        if rest[position] == "." and steps and position + 1 < len(rest):
            position += 1
        found = _STEP.match(rest, position)
        if found is None:
            raise ValueError(f"{text!r} is not a field path such as spec.ports[0].nodePort")
        steps.append(found.group(1) if found.group(1) is not None else int(found.group(2)))
        position = found.end()
    if not steps:
        raise ValueError(f"{text!r} is not a field path such as spec.ports[0].nodePort")
    return tuple(steps)


@dataclass(frozen=True, slots=True)
class CelValidation:
    """One entry of `validations:`, parsed (its CEL compiled on first use, per process)."""

    expression: str
    message: str | None
    message_expression: str | None
    for_each: Path | None
    field_path: Path
    on_key: bool
    hint: str | None


def compile_validation(validation: CelValidation) -> None:
    """Raises `CelSyntaxError` (or `CelUnavailable`) for an expression that does not compile."""
    compile_cel(validation.expression)
    if validation.message_expression:
        compile_cel(validation.message_expression)


def _items(manifest: Manifest, for_each: Path | None) -> Iterator[tuple[Path, Node]]:
    if for_each is None:
        yield (), manifest.data
        return
    found = dig(manifest.data, *for_each)
    if isinstance(found, list):
        for index, item in enumerate(found):
            yield (*for_each, index), item


@dataclass(frozen=True, slots=True)
class _Programs:
    expression: Program
    message: Program | None
    template: Template | None
    hint: Template | None


_PROGRAMS: dict[CelValidation, _Programs] = {}  # per process: programs hold closures


def _programs(validation: CelValidation) -> _Programs:
    found = _PROGRAMS.get(validation)
    if found is None:
        found = _PROGRAMS[validation] = _Programs(
            compile_cel(validation.expression),
            compile_cel(validation.message_expression) if validation.message_expression else None,
            parse_template(validation.message) if validation.message else None,
            parse_template(validation.hint) if validation.hint else None,
        )
    return found


def cel_diagnostics(
    policy_id: str,
    validations: tuple[CelValidation, ...],
    manifest: Manifest,
    params: Mapping[str, object],
    lookup: Callable[[object, Path, str], Callable[[str], object]],
    message: Template,
    hint: Template | None,
) -> Iterator[Diagnostic]:
    """The findings of `validations` on `manifest`. `lookup(value, path, reason)`: the names of
    the message templates; `message`, `hint`: the policy's defaults."""
    data = object_at_admission(manifest)
    for validation in validations:
        programs = _programs(validation)
        for item_path, item in _items(manifest, validation.for_each):
            activation: dict[str, object] = {"object": data, "params": params, "self": item}
            try:
                result = evaluate(programs.expression, activation)
            except CelRuntimeError as error:
                if error.missing_key:
                    continue  # a field the object lacks here may be defaulted in the cluster
                raise RuntimeError(
                    f"policy {policy_id}: expression {validation.expression.strip()!r} resulted "
                    f"in error: {error}"
                ) from error
            if result is True:
                continue
            if result is not False:
                raise RuntimeError(
                    f"policy {policy_id}: expression {validation.expression.strip()!r} gave "
                    f"{type(result).__name__}, not bool"
                )
            path = (*item_path, *validation.field_path)
            reason = f"failed expression: {validation.expression.strip()}"
            names = lookup(item, path, reason)
            text = None
            if programs.message is not None:
                try:
                    value = evaluate(programs.message, activation)
                except CelRuntimeError:
                    value = None  # the template stands in, as a VAP's static message does
                text = value if isinstance(value, str) and value.strip() else None
            if text is None:
                text = (programs.template or message).render(names)
            chosen = programs.hint or hint
            yield Diagnostic(
                path,
                text,
                on_key=validation.on_key,
                hint=chosen.render(names) if chosen is not None else None,
            )
