"""Finding and loading netlint's configuration (DESIGN §7).

Discovery: `--config FILE`, else `.netlint.yaml` or a `pyproject.toml` holding `[tool.netlint]`,
searched upward from each linted path (ruff's hierarchical discovery), or from the current
directory when no path is named (or only stdin); the first directory holding either wins, and
`.netlint.yaml` comes before `pyproject.toml` in it. A `pyproject.toml` without `[tool.netlint]`
does not count. One run applies one configuration: linted paths whose closest configurations
differ are a usage error naming both, since their inventories would mix two sets of settings.

The file is read with the line of every key (`config_files`), checked against the schema
(`config_schema`) and turned into a `Config` (`config_build`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from netlint.input.sources import STDIN_PATH
from netlint.run.config import PYPROJECT, YAML_CONFIG, Config, ConfigError

# A `[tool.netlint]` table's header, for a pyproject.toml that TOML cannot read (compiled then).
_TOOL_NETLINT_HEADER = r"^\s*\[\[?\s*tool\s*\.\s*netlint\b"


def _has_tool_netlint(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "netlint" not in text:
        return False
    from netlint.run.config_toml import toml_loads  # as below: when there is a file to read

    try:
        data = toml_loads()(text)
    except ConfigError:
        return bool(re.search(_TOOL_NETLINT_HEADER, text, re.MULTILINE))
    except Exception:  # a broken file that names the table is reported when it is loaded
        return bool(re.search(_TOOL_NETLINT_HEADER, text, re.MULTILINE))
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


def find_config_for(paths: Sequence[str], cwd: Path) -> Path | None:
    """The configuration of the linted `paths`: the closest above each (a folder's own counts),
    which must be the same file for all; with no path but stdin, the one of `cwd`."""
    starts = [cwd / raw for raw in paths if raw != STDIN_PATH]
    if not starts:
        return find_config(cwd)
    found: dict[Path | None, str] = {}
    for raw, start in zip((raw for raw in paths if raw != STDIN_PATH), starts, strict=True):
        folder = start if start.is_dir() else start.parent
        found.setdefault(find_config(folder), raw)
    if len(found) > 1:
        (first, first_path), (second, second_path) = list(found.items())[:2]
        raise ConfigError(
            f"{first_path} and {second_path} have different configurations "
            f"({_display_or_none(first, cwd)}, {_display_or_none(second, cwd)}); "
            "lint them in separate runs, or pass --config"
        )
    return next(iter(found))


def _display_or_none(path: Path | None, cwd: Path) -> str:
    return "none" if path is None else _display(path, cwd)


def load_config(explicit: Path | None, cwd: Path, paths: Sequence[str] = ()) -> Config:
    """`--config FILE` (which must exist), else the file discovered from the linted `paths`
    (or `cwd`), else the defaults."""
    if explicit is not None:
        path = explicit if explicit.is_absolute() else cwd / explicit
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {explicit}")
    else:
        found = find_config_for(paths, cwd)
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
    # The reader, schema and builder of a configuration file, imported when there is one: a run
    # without (the editor on a loose file) does not need them (issue 31).
    from netlint.run.config_build import build
    from netlint.run.config_files import read_toml, read_yaml
    from netlint.run.config_schema import validate

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
