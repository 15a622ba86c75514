"""A configuration file's data, and how to find the line of any of its keys for a message.

YAML is read with netlint's own loader (positions for every node, Kubernetes' scalar rules);
`tomllib` gives no positions, so the line of a TOML key comes from a scan of the text
(`config_toml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from netlint.input.document import Document
from netlint.input.loader import load_yaml
from netlint.run.config import ConfigError
from netlint.run.config_toml import toml_error_type, toml_key_lines, toml_loads
from netlint.run.config_values import PathStep


@dataclass(frozen=True, slots=True)
class Located:
    """The configuration data and how to find the line of a path in it."""

    data: object
    line_of: Callable[[tuple[PathStep, ...], bool], int]  # (path, on_key) -> 1-based line
    where: Callable[[tuple[PathStep, ...]], str]  # "in [tool.netlint.external]" / "in external"
    dotted: Callable[[tuple[PathStep, ...]], str]  # how to name a key's path in a message


def _dotted(prefix: str, path: tuple[PathStep, ...]) -> str:
    text = prefix
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def as_mapping(value: object) -> dict[str, object]:
    """`value` if it is a mapping, else an empty one."""
    return cast("dict[str, object]", value) if isinstance(value, dict) else {}


def read_yaml(text: str, display: str) -> Located:
    loaded = load_yaml(text, display)
    if loaded.problems:
        problem = loaded.problems[0]
        raise ConfigError(f"{display}:{problem.span[0] + 1}: {problem.message}")
    documents = [doc for doc in loaded.documents if doc.data is not None]
    if len(documents) > 1:
        raise ConfigError(
            f"{display}:{documents[1].span[0] + 1}: a configuration file holds one YAML document"
        )
    if not documents:
        return Located({}, lambda _path, _on_key: 1, lambda _path: "", lambda p: _dotted("", p))
    document: Document = documents[0]

    def line_of(path: tuple[PathStep, ...], on_key: bool) -> int:
        return document.span_of(path, on_key=on_key and bool(path))[0] + 1

    def where(path: tuple[PathStep, ...]) -> str:
        return f" in {_dotted('', path)}" if path else ""

    return Located(document.data, line_of, where, lambda p: _dotted("", p))


def read_toml(text: str, display: str, *, whole_file: bool) -> Located:
    try:
        data = toml_loads()(text)
    except ConfigError:
        raise
    except toml_error_type() as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = f":{found.group(1)}" if found else ""
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise ConfigError(f"{display}{line}: invalid TOML: {reason}") from None
    prefix: tuple[str, ...] = () if whole_file else ("tool", "netlint")
    config: object = data
    for step in prefix:
        config = as_mapping(config).get(step)
    if config is None:
        raise ConfigError(f"{display}: no [tool.netlint] table")
    lines = toml_key_lines(text, prefix)
    table = ".".join(prefix)

    def line_of(path: tuple[PathStep, ...], on_key: bool) -> int:
        for length in range(len(path), -1, -1):
            line = lines.get(path[:length])
            if line is not None:
                return line
        return 1

    def where(path: tuple[PathStep, ...]) -> str:
        name = _dotted(table, path)
        return f" in [{name}]" if name else ""

    return Located(config, line_of, where, lambda p: _dotted(table, p))
