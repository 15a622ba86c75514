"""One large file's objects are shared between processes (`FileStage._check`); the run's
deferred checks then run in the parent (`engine._deferred`): the output is the same bytes for
any `--jobs`."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.cli import cli
from netlint.input import parts
from netlint.input.limits import Limits
from netlint.run import per_file
from tests.corpus import corpus_dir

SIZE = 1200  # objects of the file: above the threshold, so that the split happens


def _service(index: int) -> str:
    # Every third selects pods no file has (a deferred check's finding), every fifth has two
    # unnamed ports (a per-file finding), every seventh repeats an earlier name (duplicates
    # found across the parts of the file).
    name = f"web-{index - 1 if index % 7 == 6 else index}"
    app = "nowhere" if index % 3 == 0 else "web"
    ports = "  - {port: 80}\n  - {port: 81}\n" if index % 5 == 0 else "  - {name: http, port: 80}\n"
    return (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: shop\n"
        f"spec:\n  selector: {{app: {app}}}\n  ports:\n{ports}"
    )


_DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
    "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
    "      labels: {app: web}\n    spec:\n      containers:\n      - {name: web, image: 'web:1'}\n"
)


def _as_list(items: list[str]) -> str:
    indented = ("- " + item.rstrip("\n").replace("\n", "\n  ") + "\n" for item in items)
    return "apiVersion: v1\nkind: List\nitems:\n" + "".join(indented)


def _sarif(path: Path, jobs: int) -> str:
    out = path.parent / f"out-{path.stem}-{jobs}.sarif"
    args = ["check", str(path), "--no-cache", "--jobs", str(jobs), "--output-format", "sarif"]
    result = CliRunner().invoke(cli, [*args, "--output-file", str(out)])
    assert result.exit_code == 1, result.output
    return re.sub(r'"elapsedSeconds": [0-9.e-]+', '"elapsedSeconds": X', out.read_text())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="sharing the work uses fork")
@pytest.mark.parametrize("parsed_in_parts", [False, True], ids=["parsed whole", "parsed in parts"])
@pytest.mark.parametrize("layout", ["list", "documents"])
def test_a_large_file_gives_the_same_report_for_any_jobs(
    tmp_path: Path, layout: str, parsed_in_parts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert SIZE >= per_file.SPLIT_MIN_OBJECTS
    services = [_service(index) for index in range(SIZE)]
    path = tmp_path / f"{layout}.yaml"
    if layout == "list":
        path.write_text(_as_list([_DEPLOYMENT, *services]))
    else:
        path.write_text("---\n".join([_DEPLOYMENT, *services]))
    text = path.read_text()
    if parsed_in_parts:  # this file is below the size that is parsed in parts: lower it
        monkeypatch.setattr(per_file, "PARSE_SPLIT_MIN_CHARS", 1)
        monkeypatch.setattr(parts, "PART_CHARS", 4096)
        planned = parts.plan_parts(text, Limits(), 16)
        assert planned is not None and len(planned) >= 16
    else:
        assert len(text) < per_file.PARSE_SPLIT_MIN_CHARS
    one = _sarif(path, 1)
    rules = set(re.findall(r'"ruleId": "([a-z-]+)"', one))
    assert {"service-selector-no-match", "service-port-name", "duplicate-object"} <= rules
    assert one.count('"ruleId": "service-selector-no-match"') == SIZE // 3
    assert _sarif(path, 2) == one
    assert _sarif(path, 0) == one


def _corpus_texts(count: int) -> list[str]:
    """Real manifests that a part can parse alone (no anchors, directives, templates)."""
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("the shared corpus is not here")
    texts: list[str] = []
    for path in sorted(corpus.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "{{" in text or re.search(r"(?m)^\.\.\.", text):  # templates; `...` ends
            continue
        if parts.plan_parts(text + "---\n---\n", Limits(), 1) is None:
            continue
        texts.append(text if text.endswith("\n") else text + "\n")
        if len(texts) == count:
            break
    return texts


@pytest.mark.skipif(not hasattr(os, "fork"), reason="sharing the work uses fork")
@pytest.mark.parametrize("layout", ["list", "documents"])
def test_real_manifests_in_one_large_file_give_the_same_report_parsed_in_parts(
    tmp_path: Path, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = "---\n".join(_corpus_texts(300))
    if layout == "list":
        # Each document an item, its comment and blank lines before the first node left out.
        found = (
            re.sub(r"\A(?:[ \t]*(?:#.*)?\n)*", "", d) for d in re.split(r"(?m)^---.*\n", documents)
        )
        text = "apiVersion: v1\nkind: List\nitems:\n" + "".join(
            "- " + item.rstrip("\n").replace("\n", "\n  ") + "\n" for item in found if item.strip()
        )
    else:
        text = documents
    path = tmp_path / f"{layout}.yaml"
    path.write_text(text)
    monkeypatch.setattr(per_file, "PARSE_SPLIT_MIN_CHARS", 1)
    monkeypatch.setattr(parts, "PART_CHARS", 8192)
    planned = parts.plan_parts(text, Limits(), 16)
    assert planned is not None and len(planned) >= 8
    whole = _sarif(path, 1)
    assert whole.count('"ruleId"') > 50
    assert _sarif(path, 2) == whole
