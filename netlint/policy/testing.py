"""`netlint test DIR`: expected-result fixtures for policies and rules (in the spirit of
`kyverno test`), so a team can test its policies in CI.

Every file named `netlint-test.yaml` (or `*.netlint-test.yaml`) under DIR is one test:

    name: NodePorts are refused in prod             # optional
    policies: [../policies/no-nodeport.yaml]        # YAML policies to load (files or folders)
    manifests: [bad.yaml]                           # linted (the report set)
    context: [namespaces.yaml]                      # optional: in the inventory, not reported
    select: [no-nodeport-in-prod]                   # optional: default the policies' ids
    settings: {node-port-range: 30000-32767, kube-version: "1.35", default-namespace: default}
    params: {no-nodeport-in-prod: {...}}            # as config `params:`
    findings:                                       # every finding of the selected rules
    - {rule: no-nodeport-in-prod, file: bad.yaml, line: 12, column: 9, severity: error,
       message: "Service shop/web is type NodePort ..."}

Paths are relative to the test file. An expected finding must name `rule`, `file` and `line`;
`column`, `severity`, `message` (exact) and `message-contains` are compared when given. The test
passes when the expected and the actual findings pair up exactly; otherwise the difference is
printed as `missing:` and `unexpected:` lines.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from netlint.api import Settings, unwrapped
from netlint.findings import Finding
from netlint.input.loader import load_yaml
from netlint.model.kube_versions import DEFAULT_KUBE_VERSION
from netlint.policy import check_params, load_policy_paths
from netlint.policy.schema_checker import BundledSchemas
from netlint.run.config_values import parse_kube_version, parse_node_port_range
from netlint.run.engine import RunOptions, run
from netlint.run.registry import PackError, RuleSet, load_rules
from netlint.run.selection import Selection, SelectionError

TEST_FILE = "netlint-test.yaml"
TEST_SUFFIX = ".netlint-test.yaml"
_KEYS = frozenset(
    {"name", "policies", "manifests", "context", "select", "settings", "params", "findings"}
)
_FINDING_KEYS = frozenset(
    {"rule", "file", "line", "column", "severity", "message", "message-contains"}
)
_SETTING_KEYS = frozenset({"node-port-range", "kube-version", "default-namespace"})


class TestFileError(PackError):
    """A test file that cannot be run (exit code 2): `file:line: problem`."""

    __test__ = False  # not a pytest class


@dataclass(frozen=True, slots=True)
class Expected:
    rule: str
    file: str
    line: int
    column: int | None = None
    severity: str | None = None
    message: str | None = None
    message_contains: str | None = None

    def matches(self, finding: Finding, file: str) -> bool:
        loc = finding.location
        return (
            finding.rule_id == self.rule
            and file == self.file
            and loc.line == self.line
            and (self.column is None or loc.column == self.column)
            and (self.severity is None or finding.severity.label == self.severity)
            and (self.message is None or finding.message == self.message)
            and (self.message_contains is None or self.message_contains in finding.message)
        )

    def describe(self) -> str:
        column = f":{self.column}" if self.column is not None else ""
        severity = self.severity or "*"
        text = self.message or (
            f"... {self.message_contains} ..." if self.message_contains else "(any message)"
        )
        return f"{self.file}:{self.line}{column}: {severity}[{self.rule}] {text}"


@dataclass(slots=True)
class TestCase:
    __test__ = False
    path: Path
    name: str
    policies: list[Path]
    manifests: list[Path]
    context: list[Path]
    select: tuple[str, ...] | None
    settings: Settings
    expected: list[Expected]


@dataclass(slots=True)
class TestResult:
    __test__ = False
    case: TestCase
    missing: list[Expected] = field(default_factory=lambda: list[Expected]())
    unexpected: list[str] = field(default_factory=lambda: list[str]())
    found: int = 0

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


def find_tests(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    return sorted(
        p
        for p in directory.rglob("*.yaml")
        if p.is_file() and (p.name == TEST_FILE or p.name.endswith(TEST_SUFFIX))
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in cast("list[object]", value)]
    return []


def parse_test(path: Path, display: str) -> TestCase:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TestFileError(f"{display}: cannot read the test file: {error}") from None
    loaded = load_yaml(text, display)
    if loaded.problems:
        problem = loaded.problems[0]
        raise TestFileError(f"{display}:{problem.span[0] + 1}: {problem.message}")
    documents = [d for d in loaded.documents if d.data is not None]
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        raise TestFileError(
            f"{display}:1: a test file holds one mapping (manifests, findings, ...)"
        )
    document = documents[0]
    data = cast("dict[str, object]", document.data)

    def fail(at: tuple[str | int, ...], message: str) -> TestFileError:
        return TestFileError(f"{display}:{document.span_of(at, on_key=True)[0] + 1}: {message}")

    def normal(file: str) -> str:
        return Path(os.path.normpath(file)).as_posix()

    for key in data:
        if key not in _KEYS:
            raise fail((key,), f"unknown key {key!r} (known: {', '.join(sorted(_KEYS))})")
    base = path.parent

    def files(key: str) -> list[Path]:
        found = [base / entry for entry in _strings(data.get(key))]
        for index, entry in enumerate(found):
            if not entry.exists():
                raise fail((key, index), f"{key}: {entry} does not exist")
        return found

    manifests = files("manifests")
    if not manifests:
        raise fail((), "a test needs `manifests:` (the files to lint)")
    raw_settings = data.get("settings")
    settings_map = cast("dict[str, object]", raw_settings) if isinstance(raw_settings, dict) else {}
    for key in settings_map:
        if key not in _SETTING_KEYS:
            raise fail(("settings", key), f"unknown setting {key!r}")
    try:
        node_ports = settings_map.get("node-port-range")
        kube_version = settings_map.get("kube-version")
        namespace = settings_map.get("default-namespace")
        raw_params = data.get("params")
        params = {
            str(key): dict(cast("dict[str, object]", value))
            for key, value in (
                cast("dict[str, object]", raw_params).items()
                if isinstance(raw_params, dict)
                else ()
            )
            if isinstance(value, dict)
        }
        settings = Settings(
            kube_version=parse_kube_version(str(kube_version))
            if kube_version
            else DEFAULT_KUBE_VERSION,
            default_namespace=str(namespace) if namespace else None,
            node_port_range=parse_node_port_range(str(node_ports))
            if node_ports
            else (30000, 32767),
            params=params,
        )
    except ValueError as error:
        raise fail(("settings",), str(error)) from None
    expected: list[Expected] = []
    raw_findings = data.get("findings", [])
    if not isinstance(raw_findings, list):
        raise fail(("findings",), "findings: a list of {rule, file, line, ...}")
    for index, raw in enumerate(cast("list[object]", raw_findings)):
        if not isinstance(raw, dict):
            raise fail(("findings", index), "each finding is a mapping {rule, file, line, ...}")
        entry = cast("dict[str, object]", raw)
        for key in entry:
            if key not in _FINDING_KEYS:
                raise fail(("findings", index, key), f"unknown key {key!r} in a finding")
        rule, file, line = entry.get("rule"), entry.get("file"), entry.get("line")
        column = entry.get("column")
        if not isinstance(rule, str) or not isinstance(file, str) or not isinstance(line, int):
            raise fail(("findings", index), "a finding needs rule, file and line")
        if column is not None and not isinstance(column, int):
            raise fail(("findings", index, "column"), "column: a number")
        message, contains = entry.get("message"), entry.get("message-contains")
        severity = entry.get("severity")
        expected.append(
            Expected(
                rule=rule,
                file=normal(file),
                line=line,
                column=column,
                severity=str(severity) if severity is not None else None,
                message=str(message) if message is not None else None,
                message_contains=str(contains) if contains is not None else None,
            )
        )
    select = _strings(data.get("select"))
    name = data.get("name")
    return TestCase(
        path=path,
        name=str(name) if name else display,
        policies=files("policies"),
        manifests=manifests,
        context=files("context"),
        select=tuple(select) if select else None,
        settings=settings,
        expected=expected,
    )


def run_test(case: TestCase, python_packs: Sequence[Path] = ()) -> TestResult:
    policies = load_policy_paths(case.policies)
    rule_set: RuleSet = load_rules(python_packs, policies)
    # The built-in policies are `LazyRule`s: their parameters are checked on the rules.
    problems = check_params([unwrapped(rule) for rule in rule_set.rules], case.settings.params)
    if problems:
        raise TestFileError(f"{case.path}: {problems[0][1]}")
    select = case.select or tuple(rule.meta.id for _, rule in policies) or None
    selection = Selection(select=select)
    try:
        selection.validate(rule.meta.id for rule in rule_set.rules)
    except SelectionError as error:
        raise TestFileError(f"{case.path}: select: {error}") from None
    base = case.path.parent
    options = RunOptions(
        paths=[str(p) for p in case.manifests],
        context=[str(p) for p in case.context],
        settings=case.settings,
        selection=selection,
    )
    report = run(options, rule_set, BundledSchemas(case.settings.kube_version))
    result = TestResult(case)
    remaining = list(case.expected)
    for finding in report.active:
        file = _relative(finding.location.path, base)
        result.found += 1
        match = next((e for e in remaining if e.matches(finding, file)), None)
        if match is None:
            loc = finding.location
            result.unexpected.append(
                f"{file}:{loc.line}:{loc.column}: {finding.severity.label}[{finding.rule_id}] "
                f"{finding.message}"
            )
        else:
            remaining.remove(match)
    result.missing = remaining
    return result


def _relative(path: str, base: Path) -> str:
    """`path` (as findings name it: relative to the current directory) relative to `base`, the
    way the test file writes it (`bad.yaml`, `../fixtures/bad.yaml`)."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive
        return path


def run_tests(
    directory: Path,
    python_packs: Sequence[Path] = (),
    echo: Callable[[str], None] = print,
    cwd: Path | None = None,
) -> int:
    """Run every test under `directory`; print PASS/FAIL lines and a summary; the exit code."""
    tests = find_tests(directory)
    if not tests:
        raise TestFileError(f"{directory}: no {TEST_FILE} or *{TEST_SUFFIX} test file found")
    passed = failed = 0
    for path in tests:
        display = _relative(str(path), cwd or Path.cwd())
        result = run_test(parse_test(path, display), python_packs)
        if result.passed:
            passed += 1
            echo(f"PASS {display}: {result.found} findings as expected")
            continue
        failed += 1
        echo(
            f"FAIL {display}: {result.case.name}"
            if result.case.name != display
            else f"FAIL {display}"
        )
        for expected in result.missing:
            echo(f"  missing:    {expected.describe()}")
        for line in result.unexpected:
            echo(f"  unexpected: {line}")
    echo(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


__all__ = [
    "TestFileError",
    "find_tests",
    "parse_test",
    "run_test",
    "run_tests",
]
