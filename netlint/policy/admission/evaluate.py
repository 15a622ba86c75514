"""One (policy, binding, param) evaluated for the CREATE of one object, as k8s.io/apiserver's
`validating.validator.Validate` does: the match conditions first (any false: the policy does not
apply; an error: `failurePolicy`), then every validation (false: a failure with its message; an
error: `failurePolicy`).

Variables are lazy and memoized, as upstream's composited `variables` are: a variable is
evaluated when an expression first reads it, and its error is the reading expression's.

An error that comes from a field the object does not have is not a failure here: the API server
applies the kind's defaults before admission and netlint does not, so an absent field offline
may well be set in the cluster. Such a verdict is unknown, and unknown is no finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from netlint.policy.admission.spec import AdmissionPolicy
from netlint.policy.cel_runtime import CelRuntimeError, Program, compile_cel
from netlint.policy.cel_runtime import evaluate as run


@dataclass(frozen=True, slots=True)
class Failure:
    """A validation the request fails (or an error that `failurePolicy: Fail` turns into one)."""

    message: str
    reason: str  # Invalid, Forbidden, ... (the HTTP status the API server answers with)
    index: int | None  # of the validation; None for a match condition or configuration error


class Unknown(Exception):
    """The verdict depends on what the input does not hold."""


class _Variables(Mapping[str, object]):
    """`variables`: each evaluated on first read with the same activation, result or error
    memoized."""

    def __init__(self, programs: Mapping[str, Program], activation: dict[str, object]) -> None:
        self._programs = programs
        self._activation = activation
        self._done: dict[str, object] = {}
        self._errors: dict[str, Exception] = {}

    def __getitem__(self, name: str) -> object:
        if name in self._errors:
            raise self._errors[name]
        if name not in self._done:
            program = self._programs[name]  # KeyError: no such variable
            try:
                self._done[name] = run(program, self._activation)
            except CelRuntimeError as error:
                # The evaluator's error: in the reading expression, a CEL error value.
                self._errors[name] = error.evaluator_error or error
                raise self._errors[name] from None
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._programs)

    def __len__(self) -> int:
        return len(self._programs)


@dataclass(frozen=True, slots=True)
class Compiled:
    """A policy's expressions, compiled once per process."""

    conditions: tuple[tuple[str, Program], ...]
    variables: Mapping[str, Program]
    validations: tuple[tuple[Program, Program | None], ...]


def compile_policy(policy: AdmissionPolicy) -> Compiled:
    """Raises `CelSyntaxError` for an expression that does not compile."""
    return Compiled(
        conditions=tuple((c.name, compile_cel(c.expression)) for c in policy.match_conditions),
        variables={v.name: compile_cel(v.expression) for v in policy.variables},
        validations=tuple(
            (
                compile_cel(v.expression),
                compile_cel(v.message_expression) if v.message_expression else None,
            )
            for v in policy.validations
        ),
    )


def _single_line(value: object) -> str | None:
    if isinstance(value, str) and value.strip() and "\n" not in value:
        return value
    return None


def evaluate(
    policy: AdmissionPolicy, compiled: Compiled, bindings: Mapping[str, object]
) -> list[Failure]:
    """The failures of one evaluation; `bindings`: object, oldObject, request, params,
    namespaceObject. Raises `Unknown` when the verdict depends on data the input lacks."""
    activation: dict[str, object] = dict(bindings)
    activation["variables"] = _Variables(compiled.variables, activation)
    fail = policy.failure_policy == "Fail"
    condition_error: str | None = None
    unknown: CelRuntimeError | None = None
    for name, program in compiled.conditions:
        try:
            result = run(program, activation)
        except CelRuntimeError as error:
            if error.missing_key:
                unknown = unknown or error
            else:
                condition_error = condition_error or (
                    f"match condition {name!r} resulted in error: {error}"
                )
            continue
        if result is False:
            return []  # any false condition: the policy does not apply, errors or not
        if result is not True:
            condition_error = condition_error or (
                f"match condition {name!r} evaluated to {type(result).__name__}, not bool"
            )
    if unknown is not None:
        raise Unknown from unknown
    if condition_error is not None:
        return [Failure(condition_error, "Invalid", None)] if fail else []
    failures: list[Failure] = []
    for index, (validation, (program, message_program)) in enumerate(
        zip(policy.validations, compiled.validations, strict=True)
    ):
        try:
            result = run(program, activation)
        except CelRuntimeError as error:
            if error.missing_key:
                raise Unknown from error
            if fail:
                failures.append(
                    Failure(
                        f"expression '{validation.expression.strip()}' resulted in error: {error}",
                        validation.reason,
                        index,
                    )
                )
            continue
        if result is True:
            continue
        if result is not False:
            if fail:
                failures.append(
                    Failure(
                        f"expression '{validation.expression.strip()}' evaluated to "
                        f"{type(result).__name__}, not bool",
                        validation.reason,
                        index,
                    )
                )
            continue
        message = None
        if message_program is not None:
            try:
                message = _single_line(run(message_program, activation))
            except CelRuntimeError:
                message = None  # the static message stands in, as upstream
        message = (
            message
            or (validation.message.strip() if validation.message else None)
            or f"failed expression: {validation.expression.strip()}"
        )
        failures.append(Failure(message, validation.reason, index))
    return failures
