"""Checking a configuration file against `schemas/netlint-config.schema.json`.

Unknown keys are errors, and every problem is a `ConfigError` naming the file and the line of
the offending key, e.g. `pyproject.toml:12: unknown key 'selct' in [tool.netlint]`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol, cast

from netlint.model.resources import schemas_root
from netlint.run.config import ConfigError
from netlint.run.config_files import Located, as_mapping
from netlint.run.config_values import PathStep

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = "netlint-config.schema.json"


class _Validator(Protocol):
    def iter_errors(self, instance: Any) -> Iterator[ValidationError]: ...


_VALIDATOR: list[_Validator] = []  # built once per process


def _validator() -> _Validator:
    if not _VALIDATOR:
        from jsonschema import Draft202012Validator  # only when a configuration file is read

        schema = json.loads(schemas_root().joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
        _VALIDATOR.append(cast("_Validator", Draft202012Validator(schema)))
    return _VALIDATOR[0]


def _explain(error: ValidationError, located: Located) -> tuple[int, str]:
    path: tuple[PathStep, ...] = tuple(error.absolute_path)
    instance: object = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        schema = cast("dict[str, Any]", error.schema)
        known = [str(key) for key in cast("dict[str, object]", schema.get("properties", {}))]
        unknown = [str(key) for key in cast("dict[object, object]", instance) if key not in known]
        if unknown:
            key = unknown[0]
            import difflib  # a typo's did-you-mean only (issue 31)

            close = difflib.get_close_matches(key, known, n=1)
            suggestion = f" (did you mean {close[0]!r}?)" if close else ""
            return (
                located.line_of((*path, key), True),
                f"unknown key {key!r}{located.where(path)}{suggestion}",
            )
    name = located.dotted(path)
    subject = f"{name}: " if name else ""
    return located.line_of(path, False), f"{subject}{error.message}"


def validate(located: Located, display: str) -> None:
    data = as_mapping(located.data)
    if data is not located.data:
        raise ConfigError(f"{display}:1: the configuration must be a mapping of keys to values")
    errors = sorted(
        (_explain(error, located) for error in _validator().iter_errors(data)),
        key=lambda item: item[0],
    )
    if errors:
        problems = [f"{display}:{line}: {message}" for line, message in errors]
        raise ConfigError(problems[0], problems)
