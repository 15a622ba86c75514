"""The CEL evaluator as the policy engine uses it: `netlint.cel` (issue 32, item 1:
`compile_expression(source) -> Program`, `Program.evaluate(activation)`), behind one typed door.

`netlint.cel` is imported on first use (its parser and cel-python cost ~0.2 s, which a run
without CEL never pays); an installation without it (cel-python missing) refuses a policy that
needs CEL when it is loaded (`CelUnavailable`, a usage error), never evaluates it another way.
Errors come out as this module's two types, whatever the evaluator raises.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Mapping
from typing import Any, Protocol, cast

_MODULE = "netlint.cel"
# What netlint.cel imports: cel-python and the packages it installs.
_DEPENDENCIES = frozenset({"celpy", "lark", "re2"})
# Reading a key or field the data does not have, in cel-go's words.
_ABSENT = re.compile(r"no such (key|field|attribute)|undefined field", re.IGNORECASE)


class CelUnavailable(Exception):
    """This build of netlint has no CEL evaluator."""


class CelSyntaxError(Exception):
    """An expression that does not compile (the API server refuses its policy). `undeclared`:
    the name of a function no library of netlint's evaluator declares, when that is why (it
    may be a Kubernetes library netlint lacks, or a misspelling)."""

    def __init__(self, message: str, *, undeclared: str | None = None) -> None:
        super().__init__(message)
        self.undeclared = undeclared


class CelRuntimeError(Exception):
    """An expression that fails when evaluated. `missing_key`: it read a key or field the data
    lacks (the API server may have defaulted it: netlint cannot know). `evaluator_error`: the
    evaluator's own error, which a lazy value (a VAP variable) raises when another expression
    reads it, so that there it is a CEL error like any other (`false && variables.bad` is
    false, as in cel-go)."""

    def __init__(
        self, message: str, *, missing_key: bool, evaluator_error: Exception | None = None
    ) -> None:
        super().__init__(message)
        self.missing_key = missing_key
        self.evaluator_error = evaluator_error


class Program(Protocol):
    @property
    def source(self) -> str: ...

    # The free top-level names the expression reads, and the `variables.x` / `request.x`
    # fields it selects (comprehension variables excluded).
    @property
    def references(self) -> frozenset[str]: ...

    def evaluate(self, activation: Mapping[str, object]) -> object: ...


@functools.cache
def _cel() -> Any:
    try:
        module = importlib.import_module(_MODULE)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if missing.partition(".")[0] in _DEPENDENCIES:
            raise CelUnavailable(
                f"CEL expressions need cel-python, which this installation lacks (no module "
                f"{missing!r}): pip install cel-python"
            ) from None
        if missing and (missing == _MODULE or _MODULE.startswith(missing)):
            raise CelUnavailable(
                "CEL expressions need netlint's CEL evaluator (netlint.cel), which this build "
                "of netlint lacks"
            ) from None
        raise
    _install_name_formats()
    return module


def _install_name_formats() -> None:
    """The Kubernetes format library's name formats, checked by netlint's own ports of
    apimachinery's checks (`netlint.cel` stands on no other netlint package)."""
    from netlint.model import k8s_names

    named_formats: Any = importlib.import_module(_MODULE + ".named_formats")
    named_formats.install(
        {
            "dns1123Label": k8s_names.dns1123_label_problems,
            "dns1123Subdomain": k8s_names.dns1123_subdomain_problems,
            "dns1035Label": k8s_names.dns1035_label_problems,
            "qualifiedName": k8s_names.qualified_name_problems,
            "labelValue": k8s_names.label_value_problems,
        }
    )


def compile_cel(source: str) -> Program:
    """The compiled program (cached by the evaluator); CelSyntaxError, CelUnavailable."""
    module = _cel()
    try:
        return cast("Program", module.compile_expression(source))
    except module.CelCompileError as error:
        undeclared = getattr(error, "undeclared", None)
        raise CelSyntaxError(
            str(error), undeclared=undeclared if isinstance(undeclared, str) else None
        ) from None


def evaluate(program: Program, activation: Mapping[str, object]) -> object:
    """The value of `program`; CelRuntimeError when it fails."""
    module = _cel()
    try:
        return program.evaluate(activation)
    except module.CelEvaluationError as error:
        missing = getattr(error, "missing_key", None)
        text = str(error)
        raise CelRuntimeError(
            text,
            missing_key=missing if isinstance(missing, bool) else bool(_ABSENT.search(text)),
            evaluator_error=error,
        ) from None


def optional_none() -> object:
    """CEL's `optional.none()`, as a value to bind (a CRD rule's `oldSelf` on create)."""
    return importlib.import_module(_MODULE + ".optional").NONE
