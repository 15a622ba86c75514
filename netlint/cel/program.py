"""Compiling and evaluating one expression on cel-python (`celpy`), cached per process."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import celpy
import lark
from celpy.evaluation import CELEvalError, CELSyntaxError, CELUnsupportedError

from netlint.cel.errors import CelCompileError, CelEvaluationError, translate
from netlint.cel.library import FUNCTIONS, KNOWN, VALUE_NAMES
from netlint.cel.references import references
from netlint.cel.syntax import Runner, parser
from netlint.cel.values import from_cel, to_cel

# A tree-walking evaluator recurses per level of the expression; netlint does not raise the
# process's recursion limit for it (celpy's Environment would, to 2500).
_TOO_DEEP = "the expression nests too deeply for netlint's CEL evaluator"


class _Environment:
    """What a celpy runner reads of its `celpy.Environment`: no package, and celpy's names
    of the protobuf wrapper types. (An Environment itself would build celpy's own parser,
    ~0.2 s, which netlint does not use: it parses with syntax.parser().)"""

    def __init__(self) -> None:
        self.package = None
        self.annotations: dict[str, Any] = dict(celpy.googleapis)


class Program:
    """A compiled expression. `references`: the top-level names it reads, and the
    `variables.x` / `request.x` fields it selects; comprehension variables excluded."""

    def __init__(self, source: str) -> None:
        self.source = source
        try:
            tree: Any = parser().parse(source)  # pyright: ignore[reportUnknownMemberType]
            for subtree in tree.iter_subtrees():
                # A rule's name is a lark Token, whose `==` is Python code: the evaluator
                # compares it at every node (a tenth of an evaluation). Plain strings compare
                # in C.
                subtree.data = str(subtree.data)
            found = references(tree)
        except lark.exceptions.UnexpectedInput as error:
            raise CelCompileError(_syntax_message(source, error.line, error.column)) from None
        except lark.exceptions.LarkError as error:
            raise CelCompileError(f"Syntax error: {error}") from None
        except RecursionError:
            raise CelCompileError(_TOO_DEEP) from None
        if found.problems:
            raise CelCompileError(found.problems[0])
        unknown = sorted(found.functions - KNOWN)
        if unknown:
            raise CelCompileError(
                f"undeclared reference to '{unknown[0]}' (in container '')", undeclared=unknown[0]
            )
        self.references: frozenset[str] = frozenset(found.names - VALUE_NAMES)
        self._runner = Runner(_Environment(), tree, FUNCTIONS)  # pyright: ignore[reportArgumentType]

    def evaluate(self, activation: Mapping[str, object]) -> object:
        """The expression's value as plain Python data; `CelEvaluationError` when it fails.
        Values of `activation` that are `Mapping`s but not dicts are read lazily."""
        context: dict[str, Any] = {name: to_cel(value) for name, value in activation.items()}
        try:
            result = self._runner.evaluate(context)
        except CELEvalError as error:
            raise translate(error) from None
        except RecursionError:
            raise CelEvaluationError(_TOO_DEEP) from None
        except CELSyntaxError as error:  # a tree celpy's evaluator has no case for
            raise CelEvaluationError(f"unsupported expression: {error.args[0]}") from None
        except CELUnsupportedError as error:
            raise CelEvaluationError(f"unsupported: {error}") from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as error:
            # celpy's own operators raise these for operands they have no overload for.
            raise CelEvaluationError(f"no such overload: {error}") from None
        if isinstance(result, CELEvalError):
            raise translate(result)
        return from_cel(result)

    def __repr__(self) -> str:
        return f"Program({self.source!r})"


def _syntax_message(source: str, line: int, column: int) -> str:
    """cel-go's form: `ERROR: <input>:1:7: Syntax error` and the caret line."""
    line, column = max(line, 1), max(column, 1)
    text = source.splitlines()[line - 1] if source.splitlines() else source
    return f"ERROR: <input>:{line}:{column}: Syntax error\n | {text}\n | {'.' * (column - 1)}^"


@functools.lru_cache(maxsize=4096)
def compile_expression(source: str) -> Program:
    """The compiled program of `source`, compiled once per process; `CelCompileError`."""
    return Program(source)
