"""Kept runs (`run.kept_run`, issue 31 item 3): a cached run of an unchanged tree writes its
reports again as the first run wrote them, without walking or reading the tree, and any change
to what that run read (a file, a folder's listing, an ignore file, git's configuration, the
work tree SARIF names files against, netlint's configuration, the baseline) is a full run that
reports what a cold run reports."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from netlint.input import file_stamps
from netlint.input.file_stamps import InputStamps, current_stamp, settled
from netlint.input.gitignore import GitIgnore
from netlint.input.sources import PathMatcher
from netlint.run.cache import ResultCache
from netlint.run.engine import RunOptions, run
from netlint.run.kept_run import KeptInput, KeptRun, unchanged
from netlint.run.results import Report
from tests.helpers import schemas
from tests.test_warm_runs import RULES, STEPS, api_run, cli_output, warm_tree

_SARIF = ("--output-format", "sarif")


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps trusted as soon as they are taken. A test's tree is written a moment before it is
    linted, and a stamp taken that soon after a change is never trusted (`file_stamps`); each
    change below comes at least one whole run after the stamp it must differ from."""
    monkeypatch.setattr(file_stamps, "_SETTLE_NS", 0)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return warm_tree(tmp_path)


def _cli(cwd: Path, cache: Path | None, *extra: str, env: dict[str, str] | None = None) -> str:
    args = ["check", ".", "--context", "context", "--exit-zero", *_SARIF, *extra]
    return cli_output(cwd, cache, args, env)


def _kept_entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("runs/*.kept"))


def _api(root: Path, cache: Path) -> Report:
    # The ignore rules as the command line has them.
    return api_run(root, cache, "the reports of this test", GitIgnore())


def _served(root: Path, cache: Path) -> bool:
    """Whether the run's reports were kept ones (and if not, keep a marker as its reports)."""
    report = _api(root, cache)
    assert report.reports is not None
    texts = report.reports.texts
    if texts is not None:
        assert texts == {"sarif": "kept"} and report.reports.exit_code == 3
        assert report.findings == []  # nothing ran
        return True
    report.reports.keep(report, {"sarif": "kept"}, 3)
    return False


def test_kept_reports_are_the_cold_reports_through_every_change(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    _cli(root, cache)  # fills it
    assert len(_kept_entries(cache)) == 1
    for step, change in STEPS:
        if change is not None:
            change(root)
        cold = _cli(root, None)
        assert _cli(root, cache) == cold, step
        assert _cli(root, cache) == cold, f"{step}, kept"


def test_an_unchanged_tree_is_served_and_every_change_is_not(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    assert not _served(root, cache)
    for step, change in STEPS:
        if change is not None:
            change(root)
        assert _served(root, cache) is (change is None), step
        assert _served(root, cache), f"{step}, again"


def _same_size_rewrite(root: Path) -> None:
    """Another text of the same length, its modification time set back: the change time shows."""
    path = next((root / "apps").rglob("*.yaml"))
    before = path.stat()
    text = path.read_text()
    path.write_text(text.replace("app: ", "app- ", 1))
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _nested_file(root: Path) -> None:
    (root / "apps" / "deeper").mkdir(exist_ok=True)
    (root / "apps" / "deeper" / "more.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: deeper\n  namespace: shop-0\n"
        "spec:\n  selector:\n    app: nobody\n  ports:\n    - port: 80\n"
    )


def _ignored_by_git(root: Path) -> None:
    """A work tree whose `.gitignore` leaves a folder out."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("split/\n")


def _ignore_file_edited(root: Path) -> None:
    (root / ".gitignore").write_text("split/\napps/\n")


@pytest.mark.parametrize(
    "change",
    [_same_size_rewrite, _nested_file, _ignored_by_git],
    ids=["same-size-rewrite", "nested-file", "gitignore"],
)
def test_a_change_the_stamps_show_is_a_full_run(
    root: Path, tmp_path: Path, settled_at_once: None, change: Callable[[Path], None]
) -> None:
    cache = tmp_path / "cache"
    assert not _served(root, cache)
    assert _served(root, cache)
    change(root)
    assert not _served(root, cache)
    assert _cli(root, cache) == _cli(root, None)


def test_an_edited_ignore_file_is_a_full_run(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    _ignored_by_git(root)
    _cli(root, cache)
    assert _served(root, cache) is False  # the API run has its own outputs key
    assert _served(root, cache)
    _ignore_file_edited(root)
    assert not _served(root, cache)
    assert _cli(root, cache) == _cli(root, None)


def test_a_new_work_tree_above_changes_the_sarif_roots(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    """Without the ignore rules nothing the run reads shows a `git init` above the tree, but
    SARIF names files against the new work tree's top: the kept work trees do."""
    (root / ".netlint.yaml").write_text("respect-gitignore: false\n")
    cache = tmp_path / "cache"
    first = _cli(root, cache)
    assert _cli(root, cache) == first
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    warm = _cli(root, cache)
    assert warm == _cli(root, None)
    assert warm != first


def test_git_configuration_elsewhere_is_a_full_run(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    cache = tmp_path / "cache"
    home = tmp_path / "home"
    (home / "git").mkdir(parents=True)
    (home / "git" / "ignore").write_text("apps/\n")
    first = _cli(root, cache)
    moved = _cli(root, cache, env={"XDG_CONFIG_HOME": str(home)})
    assert moved != first
    assert moved == _cli(root, None, env={"XDG_CONFIG_HOME": str(home)})
    (home / "git" / "ignore").write_text("split/\n")  # the global excludes file, edited
    edited = _cli(root, cache, env={"XDG_CONFIG_HOME": str(home)})
    assert edited != moved
    assert edited == _cli(root, None, env={"XDG_CONFIG_HOME": str(home)})


def test_configuration_and_baseline_texts_are_part_of_the_key(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    baseline = tmp_path / "baseline.json"
    _cli(root, None, "--write-baseline", str(baseline))
    full = _cli(root, cache)
    assert _cli(root, cache, "--baseline", str(baseline)) == _cli(
        root, None, "--baseline", str(baseline)
    )
    baseline.write_text('{"version": 1, "findings": []}\n')
    assert _cli(root, cache, "--baseline", str(baseline)) == full
    (root / ".netlint.yaml").write_text("select: [service-selector-no-match]\n")
    narrowed = _cli(root, cache)
    assert narrowed == _cli(root, None)
    assert narrowed != full


def test_an_option_that_changes_the_input_is_part_of_the_key(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    """`--force-exclude` leaves out a file named on the command line that the configuration
    excludes: the same stamps, another input."""
    (root / ".netlint.yaml").write_text("exclude: [suppressed.yaml]\n")
    cache = tmp_path / "cache"
    args = ["check", "suppressed.yaml", "apps", "--exit-zero", *_SARIF]
    named = cli_output(root, cache, args)
    excluded = cli_output(root, cache, [*args, "--force-exclude"])
    assert excluded == cli_output(root, None, [*args, "--force-exclude"])
    assert excluded != named
    assert cli_output(root, cache, args) == named


def test_a_tree_with_a_symlink_is_not_kept(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    """A symlink's target is not stamped: its deletion would not show (the link's folder does
    not change), so a run that met one is not kept."""
    outside = tmp_path / "outside.yaml"
    outside.write_text((root / "suppressed.yaml").read_text().replace("lonely", "linked"))
    (root / "linked.yaml").symlink_to(outside)
    cache = tmp_path / "cache"
    _cli(root, cache)
    assert _kept_entries(cache) == []
    outside.unlink()
    assert _cli(root, cache) == _cli(root, None)


def test_a_kept_entry_of_other_formats_is_a_miss(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    cold = _cli(root, cache)
    (entry,) = _kept_entries(cache)
    entry.write_bytes(entry.read_bytes().replace(b'[["sarif",', b'[["github",', 1))
    assert _cli(root, cache) == cold


def test_a_kept_report_file_is_written_again(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out.sarif"
    _cli(root, cache, "--output-file", str(out))
    first = out.read_bytes()
    out.unlink()
    assert _cli(root, cache, "--output-file", str(out)) == ""
    assert out.read_bytes() == first


_DAMAGES: list[Callable[[bytes], bytes]] = [
    lambda data: data[: len(data) // 2],
    lambda data: data + b"more",
    lambda data: b"[" + data,
    lambda data: data.replace(b"[", b"[-1,", 4),
    lambda data: b"[" * 100_000 + b"\n",
]


@pytest.mark.parametrize(
    "damage", _DAMAGES, ids=["truncated", "longer", "not-json", "bad-stamps", "deep"]
)
def test_a_damaged_kept_entry_is_a_miss(
    root: Path, tmp_path: Path, settled_at_once: None, damage: Callable[[bytes], bytes]
) -> None:
    cache = tmp_path / "cache"
    cold = _cli(root, cache)
    for entry in _kept_entries(cache):
        entry.write_bytes(damage(entry.read_bytes()))
    assert _cli(root, cache) == cold


def test_a_tree_stamped_right_after_it_changed_is_not_kept(root: Path, tmp_path: Path) -> None:
    """Without the fixture: the tree was written a moment ago, so its stamps cannot be trusted
    yet (a second change within the file system's clock tick would not show)."""
    cache = tmp_path / "cache"
    _cli(root, cache)
    assert _kept_entries(cache) == []


def test_only_reports_without_the_run_time_are_kept(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    _cli(root, cache, "--output-format", "text")
    _cli(root, cache, "--output-format", "json")
    assert _kept_entries(cache) == []
    _cli(root, cache, "--output-format", "github")
    assert len(_kept_entries(cache)) == 1


def test_a_stamp_is_trusted_only_once_the_file_settled() -> None:
    stamps = InputStamps()
    now = stamps.started_ns
    two_seconds = 2_000_000_000
    old = (10, now - two_seconds, now - two_seconds, 1, 1)
    assert settled(old, now) and stamps.settled_stamp(old) == old
    recent = (10, now - two_seconds, now - 1, 1, 1)  # the change time is what counts here
    assert not settled(recent, now) and stamps.settled_stamp(recent) is None


def test_a_file_stamped_too_soon_is_compared_by_its_text(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("kind: Service\n")
    cache = ResultCache(tmp_path / "cache", "salt", frozenset(), 100)
    key = cache.key("a.yaml", True, "kind: Service\n")
    folder = current_stamp(str(tmp_path))
    assert folder is not None
    kept = KeptInput(((str(tmp_path), folder),), (("a.yaml", str(path), True, None, key),), (), ())
    assert unchanged(kept, cache, 1000)
    path.write_text("kind: Secret\n")  # the folder's listing is the same
    assert current_stamp(str(tmp_path)) == folder
    assert not unchanged(kept, cache, 1000)


def test_the_entry_of_another_input_is_not_used(
    root: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cache = tmp_path / "cache"
    assert not _served(root, cache)
    options = RunOptions(
        paths=[str(root / "apps")],
        excludes=PathMatcher((), root),
        cwd=root,
        jobs=1,
        cache_dir=cache,
        outputs_key="the reports of this test",
    )
    report = run(options, RULES, schemas())
    assert isinstance(report.reports, KeptRun) and report.reports.texts is None
