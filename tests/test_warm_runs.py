"""Warm runs report what cold runs report, byte for byte, through edits, additions, deletions and
renames between them, whatever `--jobs` (issue 31, item 3): the whole-run replay and the
cross-file stage cache (`run.whole_run`, `run.cross_file`, `run.run_cache`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import msgpack
import pytest
from click.testing import CliRunner

from netlint.bench.generate import generate
from netlint.cli import cli
from netlint.input.gitignore import GitIgnore
from netlint.input.sources import PathMatcher
from netlint.run import cross_file
from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.results import Report
from tests.helpers import schemas

RULES = load_rules()
FIXTURES = Path(__file__).parent / "fixtures"
# Fixtures of rules that join objects across files, copied into the tree beside generated apps.
_CROSS_FILE = (
    "duplicate-object",
    "endpointslice-service",
    "gateway-tls-secret",
    "ingress-backend-port-mismatch",
    "ingress-backend-service-missing",
    "ingress-path-conflict",
    "ingress-tls-secret",
    "networkpolicy-peer-no-match",
    "networkpolicy-selector-no-match",
    "pod-not-isolated",
    "podmonitor-selector-no-match",
    "route-backend-missing",
    "route-backend-port",
    "route-path-conflict",
    "route-parent-missing",
    "route-reference-grant",
    "service-no-endpoints",
    "service-nodeport-conflict",
    "service-selector-no-match",
    "service-target-port-unresolved",
    "servicemonitor-port",
    "statefulset-service",
    "traffic-blocked",
)
SUPPRESSED = """\
apiVersion: v1
kind: Service
metadata:
  name: lonely
  namespace: shop-0
  annotations:
    netlint.io/ignore: service-no-endpoints -- a placeholder
spec:
  selector:
    app: nobody
  ports:
    - port: 80  # netlint: ignore[service-selector-no-match] -- on purpose
"""
NEW_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: extra
  namespace: {namespace}
spec:
  selector:
    app: {app}
  ports:
    - port: 81
      targetPort: nowhere
"""


def _tree(root: Path) -> Path:
    """Generated apps (one file each), the cross-file rules' fixtures, and each rule's bad
    fixture again with one document per file (`split/RULE/N.yaml`), so that a check's findings
    depend on objects of other files."""
    generate(root / "apps", 160, seed=5)
    for rule in _CROSS_FILE:
        for name in ("bad.yaml", "good.yaml"):
            source = FIXTURES / rule / name
            if source.is_file():
                shutil.copy(source, root / f"{rule}-{name}")
        text = (FIXTURES / rule / "bad.yaml").read_text()
        documents = [part for part in text.split("\n---\n") if "kind:" in part]
        (root / "split" / rule).mkdir(parents=True)
        for number, document in enumerate(documents):
            # In another namespace than the fixture's own copies, so as not to be duplicates.
            moved = document.replace("namespace: ", "namespace: split-")
            (root / "split" / rule / f"{number}.yaml").write_text(moved.strip("-\n") + "\n")
    (root / "suppressed.yaml").write_text(SUPPRESSED)
    return root


def _split_files(root: Path) -> list[Path]:
    return sorted((root / "split").rglob("*.yaml"))


def _app_files(root: Path) -> list[Path]:
    return sorted((root / "apps").rglob("*.yaml"))


def _deployment_file(root: Path) -> Path:
    return next(p for p in _app_files(root) if "kind: Deployment\n" in p.read_text())


def _relabel(root: Path) -> None:
    """A pod label of one workload changes: its Service no longer selects it."""
    path = _deployment_file(root)
    text = path.read_text()
    marker = "  template:\n    metadata:\n      labels:\n        app: "
    assert marker in text
    path.write_text(text.replace(marker, marker + "x", 1))


def _shift(root: Path) -> None:
    """Lines added at the top of files: their objects move, nothing else changes."""
    for path in [root / "duplicate-object-bad.yaml", *_split_files(root)[::2]]:
        path.write_text("# moved down\n# by two lines\n" + path.read_text())


def _relabel_split(root: Path) -> None:
    """The pod labels of the split workloads change: what selected them is in other files."""
    for path in _split_files(root):
        text = path.read_text()
        if "template:" in text:
            head, tail = text.split("template:", 1)
            path.write_text(head + "template:" + tail.replace(": ", ": z", 3))


def _delete_split(root: Path) -> None:
    """Every other split file goes."""
    for path in _split_files(root)[1::2]:
        path.unlink()


def _add(root: Path) -> None:
    """A new file: a Service selecting an existing workload, and a copy of an existing object."""
    app = _deployment_file(root)
    text = app.read_text()
    name = text.split("  name: ", 1)[1].split("\n", 1)[0]
    namespace = text.split("  namespace: ", 1)[1].split("\n", 1)[0]
    service = NEW_SERVICE.format(namespace=namespace, app=name)
    copy = text.split("---\n")[0]
    (root / "added.yaml").write_text(service + "---\n" + copy)


def _delete(root: Path) -> None:
    """A workload's file goes: the Services that selected it select nothing."""
    _app_files(root)[1].unlink()


def _rename(root: Path) -> None:
    first = _app_files(root)[2]
    first.rename(first.with_name("renamed.yaml"))


def _unsuppress(root: Path) -> None:
    path = root / "suppressed.yaml"
    path.write_text(path.read_text().replace("  # netlint: ignore[service-selector-no-match]", ""))


def _reorder(root: Path) -> None:
    """The documents of a file in the other order."""
    path = next(p for p in _app_files(root) if p.read_text().count("---\n") >= 2)
    documents = [part for part in path.read_text().split("---\n") if part.strip()]
    path.write_text("---\n".join(reversed(documents)))


def _context_edit(root: Path) -> None:
    """A change in a file that is not in the report set (see `_ARGS`)."""
    path = root / "context" / "more.yaml"
    path.write_text(path.read_text().replace("port: 82", "port: 83"))


STEPS: list[tuple[str, Callable[[Path], None] | None]] = [
    ("unchanged", None),
    ("relabel", _relabel),
    ("unchanged-again", None),
    ("shift", _shift),
    ("relabel-split", _relabel_split),
    ("delete-split", _delete_split),
    ("add", _add),
    ("delete", _delete),
    ("rename", _rename),
    ("unsuppress", _unsuppress),
    ("reorder", _reorder),
    ("context-edit", _context_edit),
]


def _cli(cwd: Path, cache: Path | None, jobs: int, output_format: str) -> str:
    args = [
        "check",
        ".",
        "--context",
        "context",
        "--exit-zero",
        "--jobs",
        str(jobs),
        "--output-format",
        output_format,
    ]
    output = cli_output(cwd, cache, args)
    if output_format == "json":
        report = json.loads(output)
        report["summary"].pop("elapsedSeconds")  # the one field that differs by design
        return json.dumps(report, indent=1)
    return output


def cli_output(
    cwd: Path, cache: Path | None, args: list[str], env: dict[str, str] | None = None
) -> str:
    """The output of `netlint ARGS` run in `cwd`, with `cache` (None: `--no-cache`); exit 0."""
    environment = {"NETLINT_CACHE_DIR": str(cache)} if cache is not None else {}
    environment.update(env or {})
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            cli,
            [*args, *([] if cache is not None else ["--no-cache"])],
            env=environment,
            catch_exceptions=False,
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result.output


def api_run(
    root: Path,
    cache: Path | None,
    outputs_key: str | None = None,
    gitignore: GitIgnore | None = None,
) -> Report:
    options = RunOptions(
        paths=[str(root)],
        context=[str(root / "context")],
        excludes=PathMatcher((), root),
        cwd=root,
        jobs=1,
        cache_dir=cache,
        outputs_key=outputs_key,
        output_formats=frozenset({"sarif"}),
        gitignore=gitignore,
    )
    return run(options, RULES, schemas())


def warm_tree(tmp_path: Path) -> Path:
    """The tree of these tests (`_tree`), with a context folder."""
    tree = _tree(tmp_path / "tree")
    (tree / "context").mkdir()
    (tree / "context" / "more.yaml").write_text(
        NEW_SERVICE.format(namespace="shop-0", app="x").replace("port: 81", "port: 82")
    )
    return tree


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return warm_tree(tmp_path)


def test_warm_cli_output_is_the_cold_output_through_every_change(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small thresholds: with --jobs 2 the checks that run again are shared between processes.
    monkeypatch.setattr(cross_file, "SPLIT_MIN_CHECKS", 1)
    caches = {1: tmp_path / "cache-1", 2: tmp_path / "cache-2"}
    for jobs, cache in caches.items():  # fill them
        _cli(root, cache, jobs, "json")
    for step, change in STEPS:
        if change is not None:
            change(root)
        for output_format in ("json", "sarif"):
            cold = _cli(root, None, 1, output_format)
            for jobs, cache in caches.items():
                warm = _cli(root, cache, jobs, output_format)
                assert warm == cold, f"{step}, --jobs {jobs}, {output_format}"


def test_the_cache_is_used_and_only_what_a_change_touches_runs_again(
    root: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = api_run(root, cache)
    assert not first.replayed and first.checks_reused == 0 and first.checks_run > 0
    total = first.checks_run
    for step, change in STEPS:
        if change is not None:
            change(root)
        cold = api_run(root, None)
        warm = api_run(root, cache)
        assert warm.findings == cold.findings, step
        assert warm.objects == cold.objects and warm.files == cold.files, step
        if change is None:
            assert warm.replayed, step  # nothing parsed, no check run
            assert warm.checks_run == 0 and warm.checks_reused == 0, step
        else:
            assert not warm.replayed, step
            assert warm.checks_reused > 0, step
            assert warm.checks_run < total // 2, step  # one file's change, not the whole run


def test_a_relabelled_workload_runs_again_the_checks_that_selected_it(
    root: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    api_run(root, cache)
    before = {(f.rule_id, f.location.path, f.location.line) for f in api_run(root, None).findings}
    _relabel(root)
    warm = api_run(root, cache)
    after = {(f.rule_id, f.location.path, f.location.line) for f in warm.findings}
    new = after - before
    # The Service of that workload now selects nothing: found by a check of another object
    # (the Service, in the same file here) that was run again, not reused.
    assert any(rule == "service-selector-no-match" for rule, _, _ in new), new
    assert warm.checks_run > 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "[1, " + text[1:],
        lambda text: text.replace("[", "[9999999,", 3),
        lambda text: "{}",
        lambda text: "[" + "[" * 100_000 + "]" * 100_000 + "]",
    ],
    ids=["truncated", "shifted", "bad-indexes", "an-object", "deep"],
)
def test_a_damaged_run_entry_is_a_miss(
    root: Path, tmp_path: Path, damage: Callable[[str], str]
) -> None:
    def damaged(cache: Path) -> None:
        """Every run entry damaged: the JSON replays, and the msgpack checks (as Latin-1 text,
        so each byte is one character: then they also fail their CRC)."""
        entries = list(cache.rglob("runs/*.json")) + list(cache.rglob("runs/*.checks"))
        assert {entry.suffix for entry in entries} == {".json", ".checks"}
        for entry in entries:
            entry.write_bytes(damage(entry.read_bytes().decode("latin-1")).encode("latin-1"))

    api_run(root, tmp_path / "a")
    damaged(tmp_path / "a")
    replayed = api_run(root, tmp_path / "a")
    assert not replayed.replayed
    assert replayed.findings == api_run(root, None).findings
    api_run(root, tmp_path / "b")
    damaged(tmp_path / "b")
    _relabel(root)  # the damaged checks entry gives nothing to reuse
    warm = api_run(root, tmp_path / "b")
    assert warm.findings == api_run(root, None).findings
    assert warm.checks_reused == 0 and warm.checks_run > 0


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _diff_aware(
    root: Path, cache: Path | None, jobs: int, output_format: str, *flags: str
) -> tuple[int, str]:
    """`netlint check --staged` (or the `flags` given) as the pre-commit hook runs it, without
    --exit-zero: its exit code and its output (JSON without the elapsed time)."""
    args = [*(flags or ("--staged",)), "--jobs", str(jobs), "--output-format", output_format]
    if cache is None:
        args.append("--no-cache")
    env = {"NETLINT_CACHE_DIR": str(cache)} if cache is not None else {}
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["check", *args], env=env, catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    output = result.output
    if output_format == "json":
        report = json.loads(output)
        report["summary"].pop("elapsedSeconds")
        output = json.dumps(report, indent=1)
    elif output_format == "text":
        output = output.rsplit(" in ", 1)[0]  # the summary's elapsed time
    return result.exit_code, output


def _stage_unstaged_edit(root: Path) -> None:
    """A staged relabel, then an edit of the working tree that is not staged."""
    _relabel(root)
    _git(root, "add", "-A")
    path = _app_files(root)[3]
    path.write_text(path.read_text().replace("port: ", "port: 1", 1))


def _commit(root: Path) -> None:
    """What is staged is committed: the next change's base is a tree no run has seen whole."""
    _git(root, "commit", "-q", "-m", "step")


HOOK_STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("relabel", _relabel),
    ("shift", _shift),
    ("commit", _commit),
    ("relabel-split", _relabel_split),
    ("add", _add),
    ("delete-split", _delete_split),
    ("commit-again", _commit),
    ("delete", _delete),
    ("rename", _rename),
    ("unsuppress", _unsuppress),
    ("reorder", _reorder),
    ("unstaged-edit", _stage_unstaged_edit),
]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_hook_with_a_warm_context_reports_what_it_reports_cold(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staged edits, additions, deletions and renames, with commits between some of them: every
    `--staged` result (exit code, findings, output in each format, --jobs 1 and 2) of a warm
    cache is the cold `--no-cache --staged` one."""
    monkeypatch.setattr(cross_file, "SPLIT_MIN_CHECKS", 1)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "tree")
    caches = {1: tmp_path / "cache-1", 2: tmp_path / "cache-2"}
    for jobs, cache in caches.items():
        _cli(root, cache, jobs, "json")  # the context is warm, as after a plain run
    reported = 0
    for step, change in HOOK_STEPS:
        change(root)
        if step != "unstaged-edit":
            _git(root, "add", "-A")
        cold = _diff_aware(root, None, 1, "json")
        reported += len(json.loads(cold[1])["findings"])
        for jobs, cache in caches.items():
            assert _diff_aware(root, cache, jobs, "json") == cold, f"{step}, --jobs {jobs}"
            # Again with the same staged state: this one may replay.
            assert _diff_aware(root, cache, jobs, "json") == cold, f"{step}, --jobs {jobs}"
        for jobs, output_format in ((2, "text"), (1, "sarif")):
            cold = _diff_aware(root, None, 1, output_format)
            warm = _diff_aware(root, caches[jobs], jobs, output_format)
            assert warm == cold, f"{step}, --jobs {jobs}, {output_format}"
    assert reported > 0  # the changes gave findings to compare


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_changed_since_with_a_warm_cache_reports_what_it_reports_cold(
    root: Path, tmp_path: Path
) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "tree")
    cache = tmp_path / "cache"
    _cli(root, cache, 1, "json")
    _relabel(root)
    _rename(root)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "change")
    _delete(root)  # and one more in the working tree only
    flags = ("--changed-since", "HEAD~1")
    for output_format in ("json", "text"):
        cold = _diff_aware(root, None, 1, output_format, *flags)
        assert cold[0] == 1
        assert _diff_aware(root, cache, 2, output_format, *flags) == cold, output_format
        assert _diff_aware(root, cache, 1, output_format, *flags) == cold, output_format


PACK = """\
from netlint.api import Diagnostic, Rule, RuleMeta, Severity


class Owner(Rule):
    meta = RuleMeta("team-owner", Severity.WARNING, "s", "w", "y")
    kinds = frozenset({"Service"})

    def check(self, manifest, ctx):
        if ctx.inventory.get("Deployment", manifest.namespace, manifest.name) is None:
            yield Diagnostic((), "MESSAGE")


RULES = [Owner()]
"""


def test_an_edited_rule_pack_is_never_replayed(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "svc.yaml").write_text(NEW_SERVICE.format(namespace="a", app="b"))
    pack = tmp_path / "pack.py"
    cache = tmp_path / "cache"

    def messages() -> list[str]:
        old = Path.cwd()
        os.chdir(tmp_path / "tree")
        try:
            result = CliRunner().invoke(
                cli,
                ["check", ".", "--rules", str(pack), "--select", "team-owner", "-f", "json"],
                env={"NETLINT_CACHE_DIR": str(cache)},
                catch_exceptions=False,
            )
        finally:
            os.chdir(old)
        return [finding["message"] for finding in json.loads(result.output)["findings"]]

    pack.write_text(PACK.replace("MESSAGE", "first"))
    assert messages() == ["first"]
    pack.write_text(PACK.replace("MESSAGE", "second, longer"))
    assert messages() == ["second, longer"]


POLICY = """\
id: service-owner-label
severity: warning
summary: Services must carry an owner label
message: "{{ ref }}: WORD"
match:
  kinds: [Service]
schema:
  required: [metadata]
  properties:
    metadata:
      required: [labels]
      properties:
        labels:
          required: [owner]
"""


def test_a_policy_edited_with_its_size_and_time_kept_is_never_taken_from_the_cache(
    tmp_path: Path,
) -> None:
    """A pack is known by its files' texts: the same length, the modification time set back
    (as `touch -r`, `tar` and `rsync -t` can), and still its new findings."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "svc.yaml").write_text(NEW_SERVICE.format(namespace="a", app="b"))
    policy = tmp_path / "policy.yaml"
    cache = tmp_path / "cache"

    def messages() -> list[str]:
        args = ["check", str(tree), "--rules", str(policy), "--select", "service-owner-label"]
        result = CliRunner().invoke(
            cli,
            [*args, "-f", "json"],
            env={"NETLINT_CACHE_DIR": str(cache)},
            catch_exceptions=False,
        )
        return [finding["message"] for finding in json.loads(result.output)["findings"]]

    policy.write_text(POLICY.replace("WORD", "first"))
    stamp = policy.stat()
    assert [m.rsplit(": ", 1)[1] for m in messages()] == ["first"]
    policy.write_text(POLICY.replace("WORD", "other"))  # as long
    os.utime(policy, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert policy.stat().st_size == stamp.st_size
    assert [m.rsplit(": ", 1)[1] for m in messages()] == ["other"]


def _corrupt_every_document(cache: Path) -> tuple[int, int]:
    """Every per-file entry's documents replaced by data that is not what netlint writes (bytes
    in it), each entry still well framed (magic, CRC-32): only reading a document shows it.
    How many documents, and how many entries had none (those stay sound)."""
    from netlint.run import cache as cache_module

    magic, crc = cache_module._MAGIC, cache_module._CRC  # pyright: ignore[reportPrivateUsage]
    header = len(magic) + crc.size
    corrupted = without = 0
    for entry in cache.rglob("*.entry"):
        payload = msgpack.unpackb(entry.read_bytes()[header:], raw=False)
        without += not payload[6]
        for document in payload[6]:
            document[2] = msgpack.packb({"kind": b"bytes"}, use_bin_type=True)
            corrupted += 1
        blob = msgpack.packb(payload, use_bin_type=True)
        entry.write_bytes(magic + crc.pack(zlib.crc32(blob)) + blob)
    return corrupted, without


def test_a_cached_document_found_corrupt_when_read_makes_the_run_start_over_checking_entries_whole(
    root: Path, tmp_path: Path
) -> None:
    """Hits' documents are checked when first read (`ResultCache.deferred`): one that is not
    well-formed is found in the middle of the cross-file checks, and the run is done again with
    every entry checked as it is read: the bad ones are misses, and written anew. Neither a
    crash nor a finding of the bad data."""
    cache = tmp_path / "cache"
    api_run(root, cache)
    corrupted, sound = _corrupt_every_document(cache)
    assert corrupted > 0
    _relabel(root)  # no replay: the checks of the relabelled workload read other files' objects
    warm = api_run(root, cache)
    # The second run checks every entry whole: hits are the entries with no document, and the
    # relabelled file's, which the first run wrote before it stopped; the rest miss.
    assert warm.cache_hits == sound + 1
    assert warm.findings == api_run(root, None).findings
    # ... and written anew: the next run with a change takes them from the cache again.
    _shift(root)
    again = api_run(root, cache)
    assert again.cache_hits > 0
    assert again.findings == api_run(root, None).findings


def test_an_edited_file_keeps_the_checks_of_the_objects_the_edit_did_not_touch(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comment added at the end of a file changes its text, and none of its objects: their
    checks are reused but for those that read a position in the file (their findings' own
    included), which run again. Without carrying them over, every check of the file runs."""
    cache = tmp_path / "cache"
    path = _deployment_file(root)
    original = path.read_text()
    api_run(root, cache)
    path.write_text(original + "# a comment\n")
    warm = api_run(root, cache)
    assert warm.findings == api_run(root, None).findings
    path.write_text(original)
    assert api_run(root, cache).replayed  # the first run's checks are the last run's again
    monkeypatch.setattr(cross_file, "same_objects", lambda old, new: frozenset[int]())
    path.write_text(original + "# another comment\n")
    without = api_run(root, cache)
    assert without.findings == api_run(root, None).findings
    assert warm.checks_run < without.checks_run
