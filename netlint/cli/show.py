"""`--show-files` and `--show-settings`: what a run reads and with which settings, as ruff's
options of the same names show them (issue 24, item 4)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from netlint.api import Settings
from netlint.findings import Severity
from netlint.input.display_paths import display_path, printable
from netlint.run.config import Config
from netlint.run.results import Report
from netlint.run.selection import Selection


def render_files(report: Report) -> str:
    """Every file and skipped folder, sorted, with its role: `path: linted`."""
    return "".join(f"{printable(path)}: {role}\n" for path, role in report.file_roles)


@dataclass(frozen=True, slots=True)
class Resolved:
    """The settings of a run once flags, configuration and defaults are combined."""

    config: Config
    settings: Settings
    selection: Selection
    severity_overrides: Mapping[str, Severity]
    fail_on: Severity
    targets: Sequence[str]
    context: Sequence[str]
    max_file_size: int
    rule_count: int
    respect_gitignore: bool = True
    # ValidatingAdmissionPolicy name -> how it applies offline (`AdmissionPolicyRule.status`).
    admission_policies: Mapping[str, str] = field(default_factory=lambda: {})
    crds: Sequence[str] = ()  # `--crd` and config `crds:`, as given


def render_settings(resolved: Resolved, cwd: Path) -> str:
    """One `key: value` line per setting (values as JSON), after the file they came from."""
    config = resolved.config
    source = display_path(config.path, cwd) if config.path else "none (built-in defaults)"
    settings = resolved.settings
    selection = resolved.selection
    low, high = settings.node_port_range

    def paths(entries: Sequence[str]) -> list[str]:
        return [display_path(entry, cwd) if entry != "-" else entry for entry in entries]

    values: list[tuple[str, object]] = [
        ("paths", paths(resolved.targets)),
        ("context", paths(resolved.context)),
        ("scopes", list(config.scopes)),
        ("select", list(selection.select) if selection.select is not None else "default"),
        ("extend-select", list(selection.extend_select)),
        ("ignore", list(selection.ignore)),
        ("severity", {rule: level.label for rule, level in resolved.severity_overrides.items()}),
        ("fail-on", resolved.fail_on.label),
        ("exclude", list(config.exclude)),
        ("per-file-ignores", {glob: list(ids) for glob, ids in config.per_file_ignores.items()}),
        ("kube-version", settings.kube_version),
        ("default-namespace", settings.default_namespace),
        ("node-port-range", f"{low}-{high}"),
        ("external", {key: list(value) for key, value in settings.external.patterns.items()}),
        ("workloads", [f"{w.group}/{w.kind}" if w.group else w.kind for w in config.workloads]),
        ("max-file-size", resolved.max_file_size),
        ("respect-gitignore", resolved.respect_gitignore),
        ("rules", f"{resolved.rule_count} enabled"),
        ("crds", paths(resolved.crds)),
    ]
    if resolved.admission_policies:
        values.append(("admission-policies", dict(resolved.admission_policies)))
    lines = [f"Settings path: {printable(source)}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values]
    return "".join(line + "\n" for line in lines)
