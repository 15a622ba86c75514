"""Hardening, part three (issue 34, items 3 to 7): line numbers as the YAML parser counts them,
output that untrusted text cannot forge, a cache that agrees with a cold run, a closed or
narrow stdout, symlinks out of the tree, and `Document.span_of` in constant time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.cli import cli
from tests.helpers import run_netlint


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--no-color", *args])
    return result.exit_code, result.output


# --- item 5: suppression line numbers -----------------------------------------------------------


# str.splitlines() breaks at \f, \v and \x1c-\x1e; libyaml does not. A first document that does
# not parse (a \f is not allowed in YAML) shifted every later line by one, so the bare directive
# on line 9 hid line 10's error.
@pytest.mark.parametrize("char", ["\f", "\v", "\x1c", "\x1d", "\x1e"], ids=repr)
def test_a_directive_covers_its_own_line_whatever_the_control_characters(
    tmp_path: Path, char: str
) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(
        f'a: "page{char}break"\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n'
        "spec:\n  ports:\n  - port: 80  # netlint: ignore\n    bogus: 1\n"
    )
    code, output = check(str(manifest), "--select", "schema", "-f", "json")
    findings = [(f["rule"], f["line"], f["suppressed"]) for f in json.loads(output)["findings"]]
    assert findings == [("yaml-syntax", 1, None), ("schema", 10, None)]
    assert code == 1


# --- item 7: span_of ----------------------------------------------------------------------------


def test_locating_past_a_large_sibling_sizes_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`spec.ports` after a 20,000-node `spec.template`, located for 200 findings: the template
    is sized once, not once per finding (which made N findings cost N times the document)."""
    from netlint.input import document as document_module
    from netlint.input.loader import load_yaml

    items = "".join(f"      - {{name: c{n}, image: x}}\n" for n in range(5000))
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  template:\n"
        f"    containers:\n{items}  ports:\n  - port: 80\n"
    )
    (doc,) = load_yaml(text, "big.yaml").documents
    sized: list[int] = []
    real_size = document_module.node_size

    def counting(node: object) -> int:
        size = real_size(node)  # pyright: ignore[reportArgumentType]
        sized.append(size)
        return size

    monkeypatch.setattr(document_module, "node_size", counting)
    spans = {doc.span_of(("spec", "ports", 0, "port")) for _ in range(200)}
    assert [span[:2] for span in spans] == [(5008, 10)]  # 0-based: line 5009, column 11
    template_size = real_size(doc.data["spec"]["template"])  # pyright: ignore[reportIndexIssue, reportArgumentType, reportCallIssue]
    assert template_size > 20_000
    assert sum(sized) < 2 * template_size


# --- item 3: forged output ----------------------------------------------------------------------

# A name that tries every trick: a line break followed by a fake finding, a fake workflow
# command after U+2028 and after \v... (escapes of YAML's double-quoted style), and ESC/BEL
# that would set the terminal's title.
FORGING_NAME = (
    r"web\nweb.yaml:1:1: error[forged] pwned\L::error::forged\v::error::again"
    r"\e]0;pwned\a\x85::warning::nel"
)
FORGING = f'apiVersion: v1\nkind: Service\nmetadata:\n  name: "{FORGING_NAME}"\nspec:\n  ports: [{{port: 80}}]\n'
RAW = ("\n::", "\u2028", "\v", "\x1b", "\x07", "\x85")


def _forging_file(tmp_path: Path) -> Path:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(FORGING, encoding="utf-8")
    return manifest


def test_text_output_cannot_be_forged_by_a_name(tmp_path: Path) -> None:
    code, output = check(str(_forging_file(tmp_path)))
    assert code == 1
    starts = [
        line
        for line in output.split("\n")
        if not line.startswith(" ") and (": error[" in line or ": warning[" in line)
    ]
    assert all(line.startswith(str(tmp_path)) for line in starts), starts
    assert not any(mark in output for mark in ("\u2028", "\v", "\x1b", "\x07", "\x85"))
    assert "error[forged]" not in "\n".join(line.split(" ", 2)[1] for line in starts)
    assert r"web\nweb.yaml:1:1: error[forged] pwned\u2028::error::forged\x0b" in output


def test_github_output_is_one_command_per_finding(tmp_path: Path) -> None:
    code, output = check(str(_forging_file(tmp_path)), "-f", "github")
    lines = output.split("\n")[:-1]
    assert code == 1
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert not any(mark in output for mark in RAW[1:])
    assert r"\x1b]0;pwned\x07" in output


def test_the_action_splits_netlints_output_at_line_feeds_only(tmp_path: Path) -> None:
    from tests.test_action import run_main

    _forging_file(tmp_path)
    code, log, summary, _ = run_main(tmp_path, paths="web.yaml", sarif_file="")
    assert code == 1
    commands = [line for line in log.split("\n") if line.startswith("::")]
    assert all(
        line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in commands
    )
    assert not any(mark in log + summary for mark in RAW[1:])


def test_policy_docs_are_printed_inert(tmp_path: Path) -> None:
    policy = tmp_path / "forged.yaml"
    policy.write_text(
        "id: forged-docs\nseverity: warning\n"
        'summary: "Looks fine\\e]0;pwned\\a\\ninjected-rule  error  on  forged"\n'
        'description: "x\\u2028y"\nrationale: "z"\nexample: "a: 1"\nfix: "a: 2"\n'
        "match: {kinds: [Service]}\nschema: {required: [nope]}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    listed = runner.invoke(cli, ["rules", "--rules", str(policy)])
    explained = runner.invoke(cli, ["explain", "forged-docs", "--rules", str(policy)])
    _, statistics = check(str(_forging_file(tmp_path)), "--rules", str(policy), "--statistics")
    for output in (listed.output, explained.output, statistics):
        assert "forged" in output or "Looks fine" in output
        assert not any(mark in output for mark in ("\x1b", "\x07", "\u2028"))
        assert not any(line.startswith("injected-rule") for line in output.split("\n"))
    assert r"Looks fine\x1b]0;pwned\x07\ninjected-rule" in listed.output


# --- item 4: the cache agrees with a cold run ---------------------------------------------------


def test_dropping_a_bom_keeps_a_warm_run_equal_to_a_cold_one(tmp_path: Path) -> None:
    """The cache key covers the decoded text, which a BOM does not change; the entry must not
    bring back the first run's byte checksum, or the comment is not found on the warm run."""
    manifest = tmp_path / "web.yaml"
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  bogus: 1  # netlint: ignore[schema]\n  ports: [{port: 80}]\n"
    env = {"NETLINT_CACHE_DIR": str(tmp_path / "cache")}
    runner = CliRunner(env=env)
    argv = ["check", str(manifest), "-f", "json", "--select", "schema"]

    def findings() -> list[tuple[str, int, object]]:
        result = runner.invoke(cli, argv, catch_exceptions=False)
        report = json.loads(result.stdout)
        return [(f["rule"], f["line"], f["suppressed"]) for f in report["findings"]]

    manifest.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert findings() == [("schema", 6, "inline comment")]  # cold, with a BOM
    manifest.write_bytes(text.encode())
    warm = findings()  # the same decoded text: a cache hit
    cold = CliRunner().invoke(cli, [*argv, "--no-cache"], catch_exceptions=False).stdout
    assert warm == [(f["rule"], f["line"], f["suppressed"]) for f in json.loads(cold)["findings"]]
    assert warm == [("schema", 6, "inline comment")]


# --- item 6: closed and narrow streams, symlinks out of the tree --------------------------------

SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: wéb☃\nspec:\n  ports: [{port: 80}]\n"


def test_a_closed_stdout_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(SERVICE, encoding="utf-8")
    code = (
        "import os, subprocess, sys\n"
        "os.close(1)\n"
        "sys.exit(subprocess.run([sys.executable, '-m', 'netlint', 'check', 'web.yaml']).returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, stderr=subprocess.PIPE, check=False
    )
    assert done.returncode == 2
    assert (
        done.stderr.decode()
        == "netlint: error: standard output is closed: nowhere to write the report\n"
    )


def test_a_full_stdout_is_one_line_and_exit_2(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    (tmp_path / "web.yaml").write_text(SERVICE, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        done = run_netlint(tmp_path, "check", "web.yaml", stdout=full)
    assert done.returncode == 2
    assert (
        done.stderr.decode() == "netlint: error: cannot write the report: No space left on device\n"
    )


def test_a_closed_stdin_is_a_finding(tmp_path: Path) -> None:
    code = (
        "import os, subprocess, sys\n"
        "os.close(0)\n"
        "sys.exit(subprocess.run([sys.executable, '-m', 'netlint', 'check', '-', '--no-color']).returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, check=False
    )
    assert done.returncode == 1
    assert done.stdout.decode().startswith(
        "-:1:1: error[file-unreadable] -: cannot read stdin: it is closed\n"
    )
    assert done.stderr == b""


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_a_narrow_stdout_encoding_loses_nothing(
    tmp_path: Path, encoding: str, output_format: str
) -> None:
    (tmp_path / "web.yaml").write_text(SERVICE, encoding="utf-8")
    done = run_netlint(
        tmp_path,
        "check",
        "web.yaml",
        "--no-color",
        "-f",
        output_format,
        env={"PYTHONIOENCODING": encoding},
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == b""
    if encoding == "ascii":
        # click writes UTF-8 where the stream says ASCII (a C locale): nothing lost either.
        text = done.stdout.decode("utf-8")
        assert "☃" in text or "\\u2603" in text
    else:
        text = done.stdout.decode(encoding)
        assert "\\u2603" in text  # the snowman, escaped: nothing is lost
    if output_format == "json":
        message = json.loads(text)["findings"][0]["message"]
        assert "wéb☃" in message  # JSON reads the escape back as the character


def test_symlinks_out_of_the_walked_tree_are_skipped_and_said(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (outside / "secret.yaml").write_text(SERVICE, encoding="utf-8")
    (tree / "web.yaml").write_text(SERVICE.replace("wéb☃", "web"), encoding="utf-8")
    (tree / "link.yaml").symlink_to(outside / "secret.yaml")
    (tree / "linked").symlink_to(outside)
    (tree / "inside.yaml").symlink_to(tree / "web.yaml")  # inside: followed (and read once)
    runner = CliRunner()
    shown = runner.invoke(cli, ["check", "--no-cache", "--show-files", str(tree)]).output
    assert shown.splitlines() == [
        f"{tree}/inside.yaml: linted",  # web.yaml under its first name, read once
        f"{tree}/link.yaml: skipped: symlink out of the tree",
        f"{tree}/linked/: skipped: symlink out of the tree",
    ]
    code, output = check(str(tree))
    assert "wéb" not in output and code == 1
    assert "1 file linted, 2 skipped (symlink out of the tree)" in output
    code, output = check(str(tree / "link.yaml"))  # named: linted
    assert "name-format" in output and code == 1
