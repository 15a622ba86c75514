"""What `netlint` imports: only what the run needs (issue 31, item 2).

A one-file run (the editor, a hook on one change) is mostly interpreter start and imports, so the
modules a plain text run never uses must stay unimported; each test runs a fresh interpreter and
reads its `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Never needed to import the command line: other subcommands, the non-text reporters, the fixer,
# and the language server and CEL evaluator, which must stay lazy wherever they are used.
FORBIDDEN_AT_IMPORT = (
    "pygls",
    "lsprotocol",
    "celpy",
    "xml",
    "multiprocessing",
    "netlint.cli.check_command",
    "netlint.cli.graph_command",
    "netlint.cli.server_command",
    "netlint.server",
    "netlint.report.graph",
    "netlint.report.sarif",
    "netlint.report.json_report",
    "netlint.report.junit",
    "netlint.report.gitlab",
    "netlint.report.github",
    "netlint.run.fixing",
)

# Never needed by `netlint check one-file.yaml` with text output.
_IMPORTED_BY_A_RUN = ("netlint.cli.check_command",)
# python-jsonschema (and `referencing`, `attrs` below it) only words findings: a file whose
# objects pass jsonschema-rs's checks, and a run without a configuration file, never need it.
# A built-in rule is imported only when an object of its kinds is checked (rules/_lazy.py): a
# Service file needs neither the Ingress, Gateway API, NetworkPolicy and Prometheus rules, nor
# the traffic models behind them, nor the admission policy evaluator; and outside a git work
# tree no ignore file is read. (And a run with --no-cache does not import the cache.)
FORBIDDEN_AT_RUN = (
    *(name for name in FORBIDDEN_AT_IMPORT if name not in _IMPORTED_BY_A_RUN),
    "netlint.filters.changed",
    "netlint.run.git_changes",
    "jsonschema",
    "referencing",
    "netlint._builtin.rules.ingress",
    "netlint._builtin.rules.gateway",
    "netlint._builtin.rules.networkpolicy",
    "netlint._builtin.rules.monitoring",
    "netlint.traffic.policy_eval",
    "netlint.traffic.routes",
    "netlint.traffic.ingresses",
    "netlint.traffic.paths",
    "netlint.policy.admission.rule",
    "netlint.policy.admission.evaluate",
    "netlint.policy.admission.loading",
    "netlint.policy.admission.spec",
    "netlint.policy.cel_validation",
    "netlint.policy.cel_runtime",
    "pathspec",
    # Only for what the run does not do here: the entry point search of importlib.metadata
    # (netlint.run.entry_points reads installed folders itself), the cache's hashes, building
    # kustomizations or charts, forking workers.
    "importlib.metadata",
    "netlint.run.cache",
    "netlint.run.whole_run",
    "msgpack",
    "hashlib",
    "concurrent.futures",
    "subprocess",
    "tempfile",
    "pickle",
    "difflib",  # a did-you-mean's
    # No configuration file: its reader, schema and builder are not needed.
    "netlint.run.config_build",
    "netlint.run.config_files",
    "netlint.run.config_schema",
    "netlint.run.config_toml",
    # No Helm chart, kustomize root or stdin stream: no renderer, and no filter mapping their
    # findings back to the sources.
    "netlint.run.helm_render",
    "netlint.run.kustomize_render",
    "netlint.filters.helm_sources",
    "netlint.filters.kustomize_sources",
)

_REPORT_MODULES = """
import atexit, json, os, sys
def _dump():
    with open(os.environ["MODULES_FILE"], "w") as out:
        json.dump(sorted(sys.modules), out)
atexit.register(_dump)
"""


def _loaded(code: str, tmp_path: Path, report: str = _REPORT_MODULES) -> list[str]:
    modules_file = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", report + code],
        cwd=tmp_path,
        env={"MODULES_FILE": str(modules_file), "PATH": ""},
        capture_output=True,
        check=False,
    )
    return json.loads(modules_file.read_text(encoding="utf-8"))


def _offending(loaded: list[str], forbidden: tuple[str, ...]) -> list[str]:
    return [m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden)]


def _run_on_one_file(tmp_path: Path, options: str) -> list[str]:
    """The modules of `netlint check small.yaml` with `options` (Python list items), on one
    small Service."""
    (tmp_path / "small.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n"
        "  selector:\n    app: web\n  ports:\n    - port: 80\n",
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        f"sys.argv = ['netlint', 'check', 'small.yaml', {options}]\n"
        "from netlint.cli import main\n"
        "main()\n"
    )
    return _loaded(code, tmp_path)


# The netlint data classes loaded whose `__repr__` dataclass compiled (from source "<string>",
# under its recursion guard).
_REPORT_COMPILED_DATACLASSES = """
import atexit, json, os, sys
def _compiled(name, module):
    for cls in list(vars(module).values()):
        if isinstance(cls, type) and cls.__module__ == name and "__dataclass_fields__" in vars(cls):
            method = vars(cls).get("__repr__")
            code = getattr(getattr(method, "__wrapped__", method), "__code__", None)
            if code is not None and code.co_filename == "<string>":
                yield f"{name}.{cls.__qualname__}"
def _dump():
    found = [c for n, m in list(sys.modules.items()) if n.startswith("netlint") for c in _compiled(n, m)]
    with open(os.environ["MODULES_FILE"], "w") as out:
        json.dump(sorted(found), out)
atexit.register(_dump)
"""


def test_a_one_file_run_compiles_no_dataclass_method_but_init(tmp_path: Path) -> None:
    """The data classes a one-file run imports are `netlint.records.record`s: dataclass compiles
    five more methods per class, about 0.4 ms each class (issue 31, item 2)."""
    (tmp_path / "small.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n"
        "  selector:\n    app: web\n  ports:\n    - port: 80\n",
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "sys.argv = ['netlint', 'check', 'small.yaml', '--no-cache']\n"
        "from netlint.cli import main\n"
        "main()\n"
    )
    assert _loaded(code, tmp_path, report=_REPORT_COMPILED_DATACLASSES) == []


def test_importing_the_cli_pulls_in_no_forbidden_module(tmp_path: Path) -> None:
    loaded = _loaded("import netlint.cli", tmp_path)
    assert "netlint.cli" in loaded
    assert _offending(loaded, FORBIDDEN_AT_IMPORT) == []


def test_a_one_file_text_run_imports_no_forbidden_module(tmp_path: Path) -> None:
    loaded = _run_on_one_file(tmp_path, "'--no-cache'")
    assert "netlint.report.text" in loaded  # the run did happen and rendered text
    assert _offending(loaded, FORBIDDEN_AT_RUN) == []


def test_a_sarif_run_fingerprints_findings_without_openssl(tmp_path: Path) -> None:
    """`import hashlib` loads OpenSSL's libcrypto (3.6 MiB resident): the fingerprints use the
    interpreter's own SHA-256, with the same digests (issue 31, peak memory)."""
    loaded = _run_on_one_file(
        tmp_path,
        "'--no-cache', '--exit-zero', '--output-format', 'sarif', '--output-file', 'out.sarif'",
    )
    assert "netlint.report.sarif" in loaded
    assert "hashlib" not in loaded
    results = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    (result,) = [r for r in results if r["ruleId"] == "service-selector-no-match"]
    import hashlib

    # As `filters.fingerprint` defines it: rule, kind, namespace, name and path, hashed.
    parts = ["service-selector-no-match", "Service", "", "web", "spec.selector"]
    expected = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    assert result["partialFingerprints"] == {"netlint/v1": expected}
