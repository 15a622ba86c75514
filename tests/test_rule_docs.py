"""docs/rules: one page per built-in rule and an index, generated from the rules' metadata
(`netlint rules --write-docs docs/rules`) and kept current here; SARIF and `netlint explain`
point at them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from netlint.report.rule_docs import INDEX, docs_pages
from netlint.run.registry import load_rules
from tests.helpers import run_netlint

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "rules"
RULE_DOCS = "https://github.com/netlint-k8s/netlint/blob/main/docs/rules/"
REGENERATE = "regenerate them: netlint rules --write-docs docs/rules"


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_netlint(cwd, *args)
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def test_every_page_is_current_and_none_is_stale() -> None:
    pages = docs_pages(load_rules())
    committed = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    assert sorted(committed) == sorted(pages), REGENERATE
    stale = [name for name, text in pages.items() if committed[name] != text]
    assert stale == [], f"{stale} out of date: {REGENERATE}"


def test_a_page_has_the_four_parts_and_no_internal_fact_ids() -> None:
    page = (DOCS / "service-port-name.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("#")]
    assert headings[:5] == [
        "# `service-port-name`",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
    ]
    assert "SVC-" not in page
    assert "- [https://kubernetes.io/docs/concepts/services-networking/service/" in page


def test_the_index_links_every_rule_page() -> None:
    index = (DOCS / INDEX).read_text(encoding="utf-8")
    for rule in load_rules().rules:
        assert f"| [`{rule.meta.id}`]({rule.meta.id}.md) |" in index


def test_write_docs_writes_the_pages_and_removes_stale_ones(tmp_path: Path) -> None:
    (tmp_path / "removed-rule.md").write_text("# gone\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kept\n", encoding="utf-8")
    result = run_cli(tmp_path, "rules", "--write-docs", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "removed-rule.md").exists()
    assert (tmp_path / "notes.txt").exists()  # only pages are netlint's to remove
    assert (tmp_path / "yaml-syntax.md").read_text(encoding="utf-8") == (
        DOCS / "yaml-syntax.md"
    ).read_text(encoding="utf-8")
    again = run_cli(tmp_path, "rules", "--write-docs", str(tmp_path))
    assert again.stdout == f"0 page(s) written or removed in {tmp_path}\n"


def test_write_docs_into_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = run_cli(tmp_path, "rules", "--write-docs", str(tmp_path / "file"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"netlint: error: --write-docs {tmp_path / 'file'}: ")
    assert result.stderr.count("\n") == 1


def test_explain_and_sarif_point_at_the_page(tmp_path: Path) -> None:
    explained = run_cli(tmp_path, "explain", "service-port-range").stdout
    assert f"References\n{RULE_DOCS}service-port-range.md\n" in explained
    assert "Facts" not in explained
    manifest = tmp_path / "svc.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 0}]\n",
        encoding="utf-8",
    )
    sarif = json.loads(run_cli(tmp_path, "check", str(manifest), "--output-format", "sarif").stdout)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(rule["helpUri"] == f"{RULE_DOCS}{rule['id']}.md" for rule in rules)
