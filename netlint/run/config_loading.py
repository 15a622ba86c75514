"""Finding and loading netlint's configuration (DESIGN §7).

Discovery: `--config FILE`, else `.netlint.yaml` or a `pyproject.toml` holding `[tool.netlint]`,
searched upward from the current directory; the first directory holding either wins, and
`.netlint.yaml` comes before `pyproject.toml` in it. A `pyproject.toml` without `[tool.netlint]`
does not count.

The file is read with the line of every key (`config_files`), checked against the schema
(`config_schema`) and turned into a `Config` (`config_build`).
"""

from __future__ import annotations

import re
from pathlib import Path

from netlint.run.config import PYPROJECT, YAML_CONFIG, Config, ConfigError
from netlint.run.config_build import build
from netlint.run.config_files import read_toml, read_yaml
from netlint.run.config_schema import validate
from netlint.run.config_toml import toml_loads

_TOOL_NETLINT_HEADER = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*netlint\b", re.MULTILINE)


def _has_tool_netlint(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "netlint" not in text:
        return False
    try:
        data = toml_loads()(text)
    except ConfigError:
        return bool(_TOOL_NETLINT_HEADER.search(text))
    except Exception:  # a broken file that names the table is reported when it is loaded
        return bool(_TOOL_NETLINT_HEADER.search(text))
    tool = data.get("tool")
    return isinstance(tool, dict) and "netlint" in tool


def find_config(cwd: Path) -> Path | None:
    """The configuration for `cwd`: searched upward; the first directory holding one wins."""
    directory = cwd.resolve()
    for candidate in (directory, *directory.parents):
        yaml_config = candidate / YAML_CONFIG
        if yaml_config.is_file():
            return yaml_config
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_netlint(pyproject):
            return pyproject
    return None


def load_config(explicit: Path | None, cwd: Path) -> Config:
    """`--config FILE` (which must exist), else the discovered file, else the defaults."""
    if explicit is not None:
        path = explicit if explicit.is_absolute() else cwd / explicit
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {explicit}")
    else:
        found = find_config(cwd)
        if found is None:
            return Config(path=None, base_dir=cwd.resolve())
        path = found
    return _load_file(path.resolve(), _display(path, cwd))


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _load_file(path: Path, display: str) -> Config:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{display}: cannot read the configuration: {error}") from None
    if path.suffix == ".toml":
        located = read_toml(text, display, whole_file=path.name != PYPROJECT)
    else:
        located = read_yaml(text, display)
    validate(located, display)
    return build(located, path, display)
