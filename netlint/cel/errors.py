"""The two errors of `netlint.cel`, and the translation of the evaluator's own errors into
cel-go's words (the API server's messages quote them: `no such key: replicas`)."""

from __future__ import annotations

import re

from celpy.evaluation import CELEvalError


class CelCompileError(Exception):
    """An expression that does not parse, or calls a function no library declares
    (`undeclared`: that function's name)."""

    def __init__(self, message: str, *, undeclared: str | None = None) -> None:
        super().__init__(message)
        self.undeclared = undeclared


class CelEvaluationError(Exception):
    """An expression that fails when evaluated. `missing_key`: it read a key or field that the
    data does not have (no such key / no such field), as opposed to a type mismatch, an
    overflow, a division by zero or a failing function."""

    def __init__(self, message: str, *, missing_key: bool = False) -> None:
        super().__init__(message)
        self.missing_key = missing_key


class ErrorValue(CELEvalError):
    """An error raised while evaluating, already in cel-go's words. CEL errors are values:
    `false && error` is false, so the libraries return this instead of raising."""

    def __init__(self, message: str, *, missing_key: bool = False) -> None:
        super().__init__(message)  # pyright: ignore[reportUnknownMemberType]
        self.message = message
        self.missing_key = missing_key


# celpy's texts, as `CELEvalError.args[0]`, and cel-go's for the same error.
_MEMBER = re.compile(r"no such member in mapping: '(?P<key>.*)'\Z", re.DOTALL)
_SELECTION = re.compile(r"does not support field selection\Z")


def _key_text(args: tuple[object, ...]) -> str:
    """The key of a celpy KeyError: `args` is (text, KeyError, (key,))."""
    if len(args) >= 3 and isinstance(args[2], tuple) and args[2]:
        return str(args[2][0])  # pyright: ignore[reportUnknownArgumentType]
    return ""


def translate(error: CELEvalError) -> CelEvaluationError:
    """`error` as cel-go would word it, with its category."""
    if isinstance(error, ErrorValue):
        return CelEvaluationError(error.message, missing_key=error.missing_key)
    args = tuple(error.args)
    text = str(args[0]) if args else "evaluation error"
    cause = args[1] if len(args) >= 2 else None
    member = _MEMBER.match(text)
    if member is not None:
        return CelEvaluationError(f"no such key: {member['key']}", missing_key=True)
    if text == "no such key" or (cause is KeyError and text.startswith("No ")):
        return CelEvaluationError(f"no such key: {_key_text(args)}", missing_key=True)
    if _SELECTION.search(text):
        return CelEvaluationError("type does not support field selection")
    if cause is ZeroDivisionError or "divide by zero" in text:
        return CelEvaluationError("division by zero")  # `%` is the library's, with its text
    if text == "return error for overflow":
        # celpy's word for any ValueError of a function: a conversion (int('x')) or a range.
        inner = str(args[2:])
        if "overflow" in inner or "range" in inner or "too large" in inner:
            return CelEvaluationError("integer overflow")
        return CelEvaluationError("type conversion error")
    if "overflow" in text:
        return CelEvaluationError("integer overflow")
    if cause is IndexError or text == "invalid_argument":
        return CelEvaluationError("index out of range")
    if text.startswith("undeclared reference to"):
        return CelEvaluationError(text.split(" (in activation", 1)[0])
    if text.startswith(("found no matching overload", "no such overload")):
        return CelEvaluationError("no such overload")
    return CelEvaluationError(text)
