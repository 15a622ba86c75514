"""TOML configuration text: the parser (`tomllib`, or `tomli` before Python 3.11) and the line
of each key, which `tomllib` does not give: it is found by a small scan of the text's table
headers and `key =` lines.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Callable
from typing import Any, cast

from netlint.run.config import PYPROJECT, ConfigError
from netlint.run.config_values import PathStep


def toml_loads() -> Callable[[str], dict[str, Any]]:
    name = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    try:
        module = importlib.import_module(name)
    except ImportError:
        raise ConfigError(
            f"reading {PYPROJECT} on Python {sys.version_info[0]}.{sys.version_info[1]} needs "
            "the `tomli` package (pip install tomli), or use .netlint.yaml"
        ) from None
    return cast("Callable[[str], dict[str, Any]]", module.loads)


def toml_error_type() -> type[Exception]:
    name = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    module = importlib.import_module(name)
    return cast("type[Exception]", module.TOMLDecodeError)


_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_TOML_DOTTED = rf"{_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*"
_TOML_HEADER = re.compile(rf"\s*(\[\[?)\s*({_TOML_DOTTED})\s*\]")
_TOML_ASSIGN = re.compile(rf"\s*({_TOML_DOTTED})\s*=")
_TOML_KEY_PART = re.compile(_TOML_KEY)


def _toml_keys(dotted: str) -> tuple[str, ...]:
    keys: list[str] = []
    for match in _TOML_KEY_PART.finditer(dotted):
        key = match.group(0)
        if key[0] == '"':
            key = json.loads(key)
        elif key[0] == "'":
            key = key[1:-1]
        keys.append(key)
    return tuple(keys)


def toml_key_lines(text: str, prefix: tuple[str, ...]) -> dict[tuple[PathStep, ...], int]:
    """Path below `prefix` -> 1-based line of its first key or table header: good enough to
    point at the offending key (inline tables and multi-line values resolve to their key)."""
    lines: dict[tuple[PathStep, ...], int] = {}
    table: tuple[PathStep, ...] = ()
    array_counts: dict[tuple[PathStep, ...], int] = {}
    in_multiline: str | None = None
    # TOML breaks lines at LF (and CRLF) only; str.splitlines would also split at \f, \v...
    for number, line in enumerate(text.split("\n"), start=1):
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _TOML_HEADER.match(line)
        if header is not None:
            keys: tuple[PathStep, ...] = _toml_keys(header.group(2))
            if header.group(1) == "[[":
                index = array_counts.get(keys, 0)
                array_counts[keys] = index + 1
                keys = (*keys, index)
            table = keys
            full = table
        else:
            assign = _TOML_ASSIGN.match(line)
            if assign is None:
                continue
            full = (*table, *_toml_keys(assign.group(1)))
            rest = line[assign.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
        if full[: len(prefix)] == prefix:
            lines.setdefault(full[len(prefix) :], number)
    return lines
