"""Field errors in the API server's own shape (apimachinery `pkg/util/validation/field`).

The API server answers an invalid object with a list of field errors, each printed as
`spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive`. The rules that
port its validation build the same errors, so that netlint says what `kubectl apply` would say,
located at the node the path names. `FieldError.text` follows `field.Error.Error()`: the path, the
error type, the bad value where the type shows one (`ErrorBody`), then the detail.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from functools import cache

from netlint.findings import Path
from netlint.records import record


@cache
def _field_name() -> re.Pattern[str]:
    """Compiled when the first error's path is written, not at import (issue 31)."""
    return re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def path_text(path: Path) -> str:
    """`spec.ports[0].port`, as `field.Path.String()` spells it; a key that is not a field name
    goes in brackets, as `Path.Key` does: `metadata.labels[app.kubernetes.io/name]`."""
    parts: list[str] = []
    field_name = _field_name()
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif field_name.fullmatch(step):
            parts.append(f".{step}" if parts else step)
        else:
            parts.append(f"[{step}]")
    return "".join(parts)


class ErrorType(enum.Enum):
    """`field.ErrorType`, with the text `ErrorType.String()` prints."""

    NOT_FOUND = "Not found"
    REQUIRED = "Required value"
    DUPLICATE = "Duplicate value"
    INVALID = "Invalid value"
    NOT_SUPPORTED = "Unsupported value"
    FORBIDDEN = "Forbidden"
    TOO_LONG = "Too long"
    TOO_MANY = "Too many"


# Types whose body shows no value (`ErrorBody`'s first case).
_NO_VALUE = frozenset({ErrorType.REQUIRED, ErrorType.FORBIDDEN, ErrorType.TOO_LONG})


class _OmittedValue(enum.Enum):
    """`field.OmitValueType`: a value the error does not print (a whole object or list)."""

    OMITTED = "omitted"


OMIT_VALUE = _OmittedValue.OMITTED


def value_text(value: object) -> str:
    """A bad value as `ErrorBody` prints it: strings quoted (`%q`), numbers and booleans bare,
    nil as `null`, anything else as JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@record(frozen=True, slots=True)
class FieldError:
    """One rejection: the field's path inside the object, its type, the bad value, the detail.

    `on_key` locates the finding at the field's key instead of its value (a forbidden or
    unknown field reads best there).
    """

    path: Path
    type: ErrorType
    value: object = None
    detail: str = ""
    on_key: bool = False
    supported: tuple[str, ...] = ()  # `field.NotSupported`'s values, for a fix in another case

    @property
    def body(self) -> str:
        """`ErrorBody`: the error type, the bad value where the type shows one, the detail."""
        body = self.type.value
        if self.type not in _NO_VALUE and self.value is not OMIT_VALUE:
            body += f": {value_text(self.value)}"
        if self.detail:
            body += f": {self.detail}"
        return body

    @property
    def text(self) -> str:
        return f"{path_text(self.path)}: {self.body}" if self.path else self.body


def invalid(path: Path, value: object, detail: str) -> FieldError:
    """`field.Invalid`."""
    return FieldError(path, ErrorType.INVALID, value, detail)


def required(path: Path, detail: str = "") -> FieldError:
    """`field.Required`: located at the deepest existing ancestor of the missing field."""
    return FieldError(path, ErrorType.REQUIRED, None, detail)


def duplicate(path: Path, value: object) -> FieldError:
    """`field.Duplicate`."""
    return FieldError(path, ErrorType.DUPLICATE, value)


def not_supported(path: Path, value: object, supported: Iterable[str]) -> FieldError:
    """`field.NotSupported`: the detail lists the supported values, quoted, as upstream does."""
    values = tuple(supported)
    listed = ", ".join(json.dumps(item, ensure_ascii=False) for item in values)
    detail = f"supported values: {listed}"
    return FieldError(path, ErrorType.NOT_SUPPORTED, value, detail, supported=values)


def forbidden(path: Path, detail: str) -> FieldError:
    """`field.Forbidden`: located at the field's key."""
    return FieldError(path, ErrorType.FORBIDDEN, None, detail, on_key=True)


def too_long(path: Path, value: object, max_length: int) -> FieldError:
    """`field.TooLong`."""
    return FieldError(path, ErrorType.TOO_LONG, value, f"must have at most {max_length} bytes")


def too_long_max_length(path: Path, value: object, max_length: int) -> FieldError:
    """`field.TooLongMaxLength`."""
    return FieldError(path, ErrorType.TOO_LONG, value, f"may not be longer than {max_length}")


def too_many(path: Path, actual: int, max_items: int) -> FieldError:
    """`field.TooMany`."""
    return FieldError(path, ErrorType.TOO_MANY, actual, f"must have at most {max_items} items")
