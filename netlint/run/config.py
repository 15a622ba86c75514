"""netlint's configuration: discovery, validation and typed values (DESIGN §7).

Discovery: `--config FILE`, else `.netlint.yaml` or a `pyproject.toml` holding `[tool.netlint]`,
searched upward from the current directory; the first directory holding either wins, and
`.netlint.yaml` comes before `pyproject.toml` in it. A `pyproject.toml` without `[tool.netlint]`
does not count.

The file is validated against `schemas/netlint-config.schema.json` (unknown keys are errors) and
every problem is a `ConfigError` naming the file and the line of the offending key, e.g.
`pyproject.toml:12: unknown key 'selct' in [tool.netlint]`. YAML is read with netlint's own
loader (positions for every node, Kubernetes' scalar rules); `tomllib` gives no positions, so the
line of a TOML key is found by a small scan of the text's table headers and `key =` lines.

Paths and globs in the file are kept as written; they are relative to `Config.base_dir`.
Rule ids in `select`/`ignore`/... are not checked here (the configuration does not know the
loaded packs): the CLI checks them with `netlint.run.selection.Selection.validate`.
"""

from __future__ import annotations

import difflib
import importlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from netlint.api import ExternalObjects
from netlint.findings import Severity
from netlint.input.document import Document
from netlint.input.loader import load_yaml
from netlint.model.inventory import WorkloadKind
from netlint.model.kube_versions import SUPPORTED_KUBE_VERSIONS
from netlint.model.manifest import api_group
from netlint.model.resources import schemas_root

YAML_CONFIG = ".netlint.yaml"
PYPROJECT = "pyproject.toml"
SCHEMA_FILE = "netlint-config.schema.json"
# The `external:` keys that list objects (the others, `namespaces`, hold labels).
EXTERNAL_CATEGORIES = ("secrets", "services", "ingressClasses", "gatewayClasses", "gateways")

PathStep = str | int


class ConfigError(Exception):
    """Invalid or missing configuration (exit code 2). `str()` is one line: file, line, problem."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        # Every problem found, first one first (the message names the first one).
        self.problems: tuple[str, ...] = tuple(problems) or (message,)


@dataclass(frozen=True)
class Config:
    path: Path | None  # the file it came from (None: no configuration found)
    base_dir: Path  # paths and globs in it are relative to this directory
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict[str, Severity])
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict[str, tuple[str, ...]])
    paths: tuple[str, ...] | None = None  # None: absent (the CLI lints ".")
    context: tuple[str, ...] = ()
    default_namespace: str | None = None
    kube_version: str | None = None  # normalized ("1.35"); None: the default
    node_port_range: tuple[int, int] | None = None
    workloads: tuple[WorkloadKind, ...] = ()  # custom kinds, in addition to the built-in ones
    external: ExternalObjects = field(default_factory=ExternalObjects)
    rules: tuple[str, ...] = ()  # YAML policy files or folders, or globs of them
    params: dict[str, dict[str, object]] = field(default_factory=dict[str, dict[str, object]])
    max_file_size: int | None = None

    def resolve(self, relative: str) -> Path:
        """A path or glob of this configuration, made absolute against `base_dir`."""
        return self.base_dir / relative


# --- value parsers shared with the command line ------------------------------------------------

_KUBE_VERSION = re.compile(r"v?(\d+)\.(\d+)(?:\.\d+)?")


def parse_kube_version(text: str) -> str:
    """`1.35`, `v1.35` or `v1.35.2` -> `1.35`; ValueError naming the supported versions."""
    match = _KUBE_VERSION.fullmatch(text.strip())
    version = f"{int(match.group(1))}.{int(match.group(2))}" if match else None
    if version not in SUPPORTED_KUBE_VERSIONS:
        supported = ", ".join(SUPPORTED_KUBE_VERSIONS)
        raise ValueError(f"unsupported Kubernetes version {text!r}: use one of {supported}")
    return version


_PORT = re.compile(r"\+?\d+")
_MAX_PORT = 65535


def _port_number(text: str, whole: str) -> int:
    # Go's strconv.Atoi, as kube-apiserver's flag parser uses it: decimal, optional sign.
    if not _PORT.fullmatch(text):
        raise ValueError(f"invalid node port range {whole!r}: {text!r} is not a port number")
    return int(text)


def parse_node_port_range(text: str) -> tuple[int, int]:
    """kube-apiserver's `--service-node-port-range` format -> (first, last), both inclusive.

    As `k8s.io/apimachinery/pkg/util/net.PortRange.Set`: `min-max`, `min+offset` (last =
    min + offset) or a single port; ValueError otherwise. The empty value, which disables the
    range in the apiserver, is not a range a linter can check against, so it is refused too.
    """
    value = text.strip()
    hyphen, plus = value.find("-"), value.find("+", 1)
    if not value:
        raise ValueError("empty node port range: expected e.g. 30000-32767")
    if hyphen >= 0 and plus >= 0:
        raise ValueError(f"unable to parse port range {text!r}: expected e.g. 30000-32767")
    if hyphen >= 0:
        low = _port_number(value[:hyphen], text)
        high = _port_number(value[hyphen + 1 :], text)
    elif plus >= 0:
        low = _port_number(value[:plus], text)
        high = low + _port_number(value[plus + 1 :], text)
    else:
        low = high = _port_number(value, text)
    if low > _MAX_PORT or high > _MAX_PORT:
        raise ValueError(f"the port range cannot be greater than {_MAX_PORT}: {text!r}")
    if high < low:
        raise ValueError(f"end port cannot be less than start port: {text!r}")
    return low, high


_TEMPLATE_PATH = re.compile(r"[^.\[\]]+(?:\.[^.\[\]]+|\[\d+\])*")
_TEMPLATE_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_template_path(text: str) -> tuple[PathStep, ...]:
    """`spec.template` -> ("spec", "template"); `[N]` indexes a list; `.` (the pod itself) -> ()."""
    value = text.strip()
    if value == ".":
        return ()
    if not _TEMPLATE_PATH.fullmatch(value):
        raise ValueError(f"invalid template path {text!r}: expected e.g. spec.template")
    return tuple(
        match.group(1) if match.group(1) is not None else int(match.group(2))
        for match in _TEMPLATE_STEP.finditer(value)
    )


# --- discovery ---------------------------------------------------------------------------------

_TOOL_NETLINT_HEADER = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*netlint\b", re.MULTILINE)


def _toml_loads() -> Callable[[str], dict[str, Any]]:
    name = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    try:
        module = importlib.import_module(name)
    except ImportError:
        raise ConfigError(
            f"reading {PYPROJECT} on Python {sys.version_info[0]}.{sys.version_info[1]} needs "
            "the `tomli` package (pip install tomli), or use .netlint.yaml"
        ) from None
    return cast("Callable[[str], dict[str, Any]]", module.loads)


def _toml_error_type() -> type[Exception]:
    name = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    module = importlib.import_module(name)
    return cast("type[Exception]", module.TOMLDecodeError)


def _has_tool_netlint(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "netlint" not in text:
        return False
    try:
        data = _toml_loads()(text)
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


# --- reading the file ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Located:
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


def _load_file(path: Path, display: str) -> Config:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{display}: cannot read the configuration: {error}") from None
    if path.suffix == ".toml":
        located = _read_toml(text, display, whole_file=path.name != PYPROJECT)
    else:
        located = _read_yaml(text, display)
    _validate(located, display)
    return _build(located, path, display)


def _read_yaml(text: str, display: str) -> _Located:
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
        return _Located({}, lambda _path, _on_key: 1, lambda _path: "", lambda p: _dotted("", p))
    document: Document = documents[0]

    def line_of(path: tuple[PathStep, ...], on_key: bool) -> int:
        return document.span_of(path, on_key=on_key and bool(path))[0] + 1

    def where(path: tuple[PathStep, ...]) -> str:
        return f" in {_dotted('', path)}" if path else ""

    return _Located(document.data, line_of, where, lambda p: _dotted("", p))


def _read_toml(text: str, display: str, *, whole_file: bool) -> _Located:
    try:
        data = _toml_loads()(text)
    except ConfigError:
        raise
    except _toml_error_type() as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = f":{found.group(1)}" if found else ""
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise ConfigError(f"{display}{line}: invalid TOML: {reason}") from None
    prefix: tuple[str, ...] = () if whole_file else ("tool", "netlint")
    config: object = data
    for step in prefix:
        config = _mapping(config).get(step)
    if config is None:
        raise ConfigError(f"{display}: no [tool.netlint] table")
    lines = _toml_key_lines(text, prefix)
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

    return _Located(config, line_of, where, lambda p: _dotted(table, p))


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


def _toml_key_lines(text: str, prefix: tuple[str, ...]) -> dict[tuple[PathStep, ...], int]:
    """Path below `prefix` -> 1-based line of its first key or table header: good enough to
    point at the offending key (inline tables and multi-line values resolve to their key)."""
    lines: dict[tuple[PathStep, ...], int] = {}
    table: tuple[PathStep, ...] = ()
    array_counts: dict[tuple[PathStep, ...], int] = {}
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
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


# --- validation ----------------------------------------------------------------------------------


class _Validator(Protocol):
    def iter_errors(self, instance: Any) -> Iterator[ValidationError]: ...


_VALIDATOR: list[_Validator] = []  # built once per process


def _validator() -> _Validator:
    if not _VALIDATOR:
        schema = json.loads(schemas_root().joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
        _VALIDATOR.append(cast("_Validator", Draft202012Validator(schema)))
    return _VALIDATOR[0]


def _explain(error: ValidationError, located: _Located) -> tuple[int, str]:
    path: tuple[PathStep, ...] = tuple(error.absolute_path)
    instance: object = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        schema = cast("dict[str, Any]", error.schema)
        known = [str(key) for key in cast("dict[str, object]", schema.get("properties", {}))]
        unknown = [str(key) for key in cast("dict[object, object]", instance) if key not in known]
        if unknown:
            key = unknown[0]
            close = difflib.get_close_matches(key, known, n=1)
            suggestion = f" (did you mean {close[0]!r}?)" if close else ""
            return (
                located.line_of((*path, key), True),
                f"unknown key {key!r}{located.where(path)}{suggestion}",
            )
    name = located.dotted(path)
    subject = f"{name}: " if name else ""
    return located.line_of(path, False), f"{subject}{error.message}"


def _validate(located: _Located, display: str) -> None:
    data = _mapping(located.data)
    if data is not located.data:
        raise ConfigError(f"{display}:1: the configuration must be a mapping of keys to values")
    errors = sorted(
        (_explain(error, located) for error in _validator().iter_errors(data)),
        key=lambda item: item[0],
    )
    if errors:
        problems = [f"{display}:{line}: {message}" for line, message in errors]
        raise ConfigError(problems[0], problems)


# --- typed values ----------------------------------------------------------------------------


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in cast("list[object]", value) if isinstance(item, str))


def _mapping(value: object) -> dict[str, object]:
    return cast("dict[str, object]", value) if isinstance(value, dict) else {}


def _build(located: _Located, path: Path, display: str) -> Config:
    data = _mapping(located.data)

    def fail(key_path: tuple[PathStep, ...], message: str) -> ConfigError:
        return ConfigError(f"{display}:{located.line_of(key_path, False)}: {message}")

    kube_version: str | None = None
    if "kube-version" in data:
        raw = data["kube-version"]
        try:
            kube_version = parse_kube_version(raw if isinstance(raw, str) else repr(raw))
        except ValueError as error:
            raise fail(("kube-version",), str(error)) from None

    node_port_range: tuple[int, int] | None = None
    raw_range = data.get("node-port-range")
    if isinstance(raw_range, str):
        try:
            node_port_range = parse_node_port_range(raw_range)
        except ValueError as error:
            raise fail(("node-port-range",), str(error)) from None

    workloads: list[WorkloadKind] = []
    raw_workloads = data.get("workloads")
    for index, raw_entry in enumerate(
        cast("list[object]", raw_workloads) if isinstance(raw_workloads, list) else ()
    ):
        entry = _mapping(raw_entry)
        kind = str(entry.get("kind", ""))
        template_text = entry.get("template", "spec.template")
        try:
            template = parse_template_path(str(template_text))
        except ValueError as error:
            raise fail(("workloads", index, "template"), str(error)) from None
        group: str | None = None
        if isinstance(entry.get("group"), str):
            group = str(entry["group"])
        elif isinstance(entry.get("apiVersion"), str):
            group = api_group(str(entry["apiVersion"]))
        workloads.append(WorkloadKind(kind, template, group))

    external = _mapping(data.get("external"))
    patterns = {
        category: _strings(external[category])
        for category in EXTERNAL_CATEGORIES
        if category in external
    }
    namespace_labels = {
        namespace: {key: str(value) for key, value in _mapping(labels).items()}
        for namespace, labels in _mapping(external.get("namespaces")).items()
    }

    fail_on = data.get("fail-on")
    max_file_size = data.get("max-file-size")
    default_namespace = data.get("default-namespace")
    return Config(
        path=path,
        base_dir=path.parent,
        select=_strings(data["select"]) if "select" in data else None,
        extend_select=_strings(data.get("extend-select")),
        ignore=_strings(data.get("ignore")),
        severity={
            rule_id: Severity.parse(str(value))
            for rule_id, value in _mapping(data.get("severity")).items()
        },
        fail_on=Severity.parse(fail_on) if isinstance(fail_on, str) else None,
        exclude=_strings(data.get("exclude")),
        per_file_ignores={
            glob: _strings(entries)
            for glob, entries in _mapping(data.get("per-file-ignores")).items()
        },
        paths=_strings(data["paths"]) if "paths" in data else None,
        context=_strings(data.get("context")),
        default_namespace=default_namespace if isinstance(default_namespace, str) else None,
        kube_version=kube_version,
        node_port_range=node_port_range,
        workloads=tuple(workloads),
        external=ExternalObjects(patterns=patterns, namespace_labels=namespace_labels),
        rules=_strings(data.get("rules")),
        params={key: dict(_mapping(value)) for key, value in _mapping(data.get("params")).items()},
        max_file_size=max_file_size if isinstance(max_file_size, int) else None,
    )
