"""The README: its rule table is generated from the rules' metadata and must be current; its
editor setups must parse and pass options the language server reads."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from netlint import __version__
from netlint.report.explain import rules_markdown
from netlint.run.config_toml import toml_loads
from netlint.run.registry import load_rules
from netlint.server.setup import ServerOptions

README = Path(__file__).resolve().parent.parent / "README.md"
TABLE = re.compile(
    r"<!-- rules-table:start[^>]*-->\n(?P<table>.*?)\n?<!-- rules-table:end -->", re.S
)


def test_rule_table_is_current() -> None:
    match = TABLE.search(README.read_text(encoding="utf-8"))
    assert match is not None, "README lost its rules-table markers"
    expected = rules_markdown(load_rules())
    assert match["table"].strip() == expected.strip(), (
        "README rule table is stale: paste the output of `netlint rules --format markdown`"
    )


def test_readme_starts_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)
    assert blocks[0].endswith("pip install . && netlint check examples/")
    assert blocks[1].endswith("pip install -e '.[dev]' && pytest")


def _block(text: str, start: str) -> str:
    match = re.search(re.escape(start) + r"\n(?P<body>.*?)```\n", text, re.S)
    assert match is not None, f"README lost its block starting {start!r}"
    return match["body"]


def test_the_reachability_example_shows_current_output() -> None:
    """The worked example's finding and map are what netlint prints for examples/ today."""
    text = README.read_text(encoding="utf-8")
    root = README.parent
    check = subprocess.run(
        [sys.executable, "-m", "netlint", "check", "--no-cache", "examples/traffic-blocked.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1, check.stderr
    shown = _block(text, "```text\n$ netlint check examples/traffic-blocked.yaml")
    timing = re.compile(r"in \d+\.\d+s$", re.M)
    assert timing.sub("in …", shown) == timing.sub("in …", check.stdout)
    graph = subprocess.run(
        [sys.executable, "-m", "netlint", "graph", "--no-cache", "examples/traffic-blocked.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert _block(text, "```mermaid") == graph.stdout


def _editor_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## In the editor\n")
    return text[start : text.index("\n## ", start + 1)]


def test_the_editor_options_table_lists_what_the_server_reads() -> None:
    """Every row of the options table is an option `netlint server` reads, and every option it
    reads has a row (camelCase, as the editor spells it)."""

    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)

    rows = re.findall(r"^\| `([^`]+)`(?:, `([^`]+)`)? \|", _editor_section(), re.M)
    listed = {name for row in rows for name in row if name}
    assert listed == {camel(field.name) for field in fields(ServerOptions)}


def test_the_editor_setups_parse_and_pass_options_the_server_reads() -> None:
    """The JSON and TOML setups are valid, and the options in each are read by the server (an
    option it did not know would leave the defaults)."""
    section = _editor_section()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", section, re.S)]
    blocks += [toml_loads()(b) for b in re.findall(r"```toml\n(.*?)```", section, re.S)]
    assert len(blocks) == 3  # VS Code and Zed (JSON), Helix (TOML)
    vscode, zed, helix = blocks
    given = [
        vscode["glspc.server.initializationOptions"],
        zed["lsp"]["netlint"]["initialization_options"],
        zed["lsp"]["netlint"]["settings"],
        helix["language-server"]["netlint"]["config"],
    ]
    for options in given:
        assert ServerOptions.parse(options, ServerOptions()) != ServerOptions(), options
    assert vscode["glspc.server.command"] == "netlint"
    assert vscode["glspc.server.commandArguments"] == ["server"]
    assert helix["language-server"]["netlint"]["args"] == ["server"]
    assert "netlint" in zed["languages"]["YAML"]["language_servers"]


def test_the_zed_extension_registers_the_server_for_yaml() -> None:
    manifest = toml_loads()((README.parent / "editors/zed/extension.toml").read_text("utf-8"))
    assert manifest["language_servers"]["netlint"]["languages"] == ["YAML"]
    assert manifest["version"] == __version__
    lib = (README.parent / "editors/zed/src/lib.rs").read_text(encoding="utf-8")
    assert 'worktree.which("netlint")' in lib and 'vec!["server".to_string()]' in lib
