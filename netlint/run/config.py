"""netlint's configuration as a run sees it (DESIGN §7): `Config`, and `ConfigError` for any
problem with it.

Paths and globs in the file are kept as written; they are relative to `Config.base_dir`.
Rule ids in `select`/`ignore`/... are not checked here (the configuration does not know the
loaded packs): the CLI checks them with `netlint.run.selection.Selection.validate`.
`config_loading` finds and reads the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field
from pathlib import Path

from netlint.api import ExternalObjects, IngressController
from netlint.findings import Severity
from netlint.model.inventory import WorkloadKind
from netlint.records import record

YAML_CONFIG = ".netlint.yaml"
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """Invalid or missing configuration (exit code 2). `str()` is one line: file, line, problem."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        # Every problem found, first one first (the message names the first one).
        self.problems: tuple[str, ...] = tuple(problems) or (message,)


@record(frozen=True)
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
    scopes: tuple[str, ...] = ()  # folders (globs allowed) applied as one, or files applied alone
    default_namespace: str | None = None
    kube_version: str | None = None  # normalized ("1.35"); None: the default
    node_port_range: tuple[int, int] | None = None
    workloads: tuple[WorkloadKind, ...] = ()  # custom kinds, in addition to the built-in ones
    external: ExternalObjects = field(default_factory=ExternalObjects)
    # `traffic.ingress-controllers`, in order (the built-in ingress-nginx entry is not included).
    ingress_controllers: tuple[IngressController, ...] = ()
    rules: tuple[str, ...] = ()  # YAML policy files or folders, or globs of them
    crds: tuple[str, ...] = ()  # CustomResourceDefinition files or folders, or globs of them
    params: dict[str, dict[str, object]] = field(default_factory=dict[str, dict[str, object]])
    max_file_size: int | None = None
    respect_gitignore: bool | None = None  # None: absent (the CLI respects .gitignore)
    render_helm: str | None = None  # `render.helm`; None: absent (auto)
    render_helm_values: tuple[str, ...] = ()  # `render.helm-values`, as written
    render_kustomize: str | None = None  # `render.kustomize`; None: absent (auto)
    # How the file names itself in messages, and the line of a key path in it (on the key when
    # the flag is set), so that a problem found after loading (an unknown rule id) is located too.
    display: str = "configuration"
    line_of: Callable[[tuple[str | int, ...], bool], int] = field(
        default=lambda _path, _on_key: 0, compare=False, repr=False
    )

    def at(self, key_path: tuple[str | int, ...] = (), *, on_key: bool = False) -> str:
        """`.netlint.yaml:7`: where a key path is, for an error message (no line if unknown)."""
        line = self.line_of(key_path, on_key) if key_path else 0
        return f"{self.display}:{line}" if line else self.display

    def resolve(self, relative: str) -> Path:
        """A path or glob of this configuration, made absolute against `base_dir`."""
        return self.base_dir / relative
