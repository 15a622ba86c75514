"""YAML text -> positioned documents: `load_yaml`, and the recovery after syntax errors.

A syntax error ends only the document it is in: parsing resumes at the next `---` line, so the
file's other documents are still linted (`syntax_errors` finds the error's place and that line).
The documents are built straight from the libyaml event stream by `tree_builder`, under the caps
of DESIGN §10 that `limits` lists.

Whatever else goes wrong inside the loader becomes an `internal-error` problem for the file,
never an exception that would stop the other files.
"""

from __future__ import annotations

from netlint.input.document import unpack
from netlint.input.limits import Budget, LimitReached, Limits, LoadResult, Problem
from netlint.input.syntax_errors import Cursor, char_position, syntax_message
from netlint.input.tree_builder import Builder
from netlint.input.yaml_events import Backend, backend, error_position


def load_yaml(text: str, source_path: str, limits: Limits | None = None) -> LoadResult:
    """Every document of `text`, with the problems found on the way. Never raises: a bug of the
    loader on this text is an `internal-error` problem of the file."""
    limits = limits or Limits()
    result = LoadResult()
    be = backend()
    try:
        with be.session():
            _load(text, source_path, limits, result, be)
    except Exception as error:  # one file must never stop the run (DESIGN §10)
        result.problems.append(
            Problem(
                "internal-error",
                f"netlint's YAML loader failed on this file ({type(error).__name__}: {error}); "
                "the file is not linted. This is a bug in netlint: please report it with the "
                "file and `netlint --version`",
                (0, 0, 0, 1),
                None,
            )
        )
    return result


def _load(text: str, source_path: str, limits: Limits, result: LoadResult, be: Backend) -> None:
    budget = Budget(limits, len(text))
    cursor = Cursor(text)  # where the part being parsed starts
    syntax_errors = 0
    while True:
        offset = cursor.line
        remaining = text[cursor.pos :] if cursor.pos else text
        builder = Builder(source_path, limits, result, offset, budget)
        try:
            builder.run(remaining, be)
            return
        except LimitReached as limit:
            result.problems.append(Problem("input-limit", limit.message, unpack(limit.span), None))
            return
        except RecursionError:
            span = (offset, 0, offset, 1)
            result.problems.append(
                Problem(
                    "input-limit",
                    "nesting too deep for the YAML parser; the file is not loaded",
                    span,
                    None,
                )
            )
            return
        except be.error_type as error:
            line, column, problem = error_position(error)
            reason = getattr(error, "reason", None)
            if isinstance(reason, str) and getattr(error, "problem_mark", None) is None:
                # A reader error (a control character): no mark, a byte offset instead.
                line, column = char_position(remaining, error) or (0, 0)
                character = getattr(error, "character", None)
                if isinstance(character, int):
                    problem = f"unacceptable character #x{character:04x}: {reason}"
                else:
                    problem = reason
            line += offset
            syntax_errors += 1
            line_text = cursor.line_text(line)
            if cursor.line < line:
                # libyaml puts the end of a text without a final line break on a line of its
                # own, past the end: point at the end of the last line instead.
                line, column = cursor.line, len(line_text)
            column = min(column, len(line_text))
            result.problems.append(
                Problem(
                    "yaml-syntax",
                    syntax_message(problem, line_text, column),
                    (line, column, line, column + 1),
                    len(result.documents),
                )
            )
            # Resume at the first `---` line after the failed document's start, at or after the
            # error; always past the start of this part, so every round makes progress.
            first = max(line, offset + builder.document_line + 1, offset + 1)
            resume = cursor.next_document_start(first)
            if resume is None:
                return
            if syntax_errors >= limits.max_syntax_errors:
                result.problems.append(
                    Problem(
                        "input-limit",
                        f"{syntax_errors} YAML syntax errors in this file; the rest of it, from "
                        f"line {resume + 1}, is not read",
                        (resume, 0, resume, 3),
                        None,
                    )
                )
                return
