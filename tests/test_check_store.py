"""The cross-file checks entry (`run.check_store`): read and written back as stored, so what a
crafted or stale entry can do is limited to checks run again, and its tables do not grow with
every run."""

from __future__ import annotations

import importlib
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import msgpack
import pytest

from netlint.run import check_store
from netlint.run.run_cache import RUN_FORMAT
from tests.test_warm_runs import _relabel, _rename, api_run, warm_tree

_HEADER = len(b"netlint-checks\x00") + 4


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return warm_tree(tmp_path)


def _entry(cache: Path) -> Path:
    """The checks entry the last run wrote (the newest)."""
    entries = sorted(cache.rglob("runs/*.checks"), key=lambda path: path.stat().st_mtime_ns)
    assert entries
    return entries[-1]


def _load(path: Path) -> list[object]:
    value = msgpack.unpackb(path.read_bytes()[_HEADER:], raw=False)
    assert isinstance(value, list)
    return value


def _rewrite(path: Path, payload: list[object]) -> None:
    """`payload` as a well-formed entry: magic and a correct CRC-32, as `check_store` writes."""
    blob: bytes = msgpack.packb(payload, use_bin_type=True)
    path.write_bytes(b"netlint-checks\x00" + struct.pack("<I", zlib.crc32(blob)) + blob)


def _checks(payload: list[object]) -> list[list[object]]:
    checks = payload[6]
    assert isinstance(checks, list) and checks
    return checks


def _memo_out_of_range(payload: list[object]) -> None:
    """Every check that used an index (`Inventory.memo`; the tree's rules build some) names
    one the entry does not list."""
    memos = payload[5]
    assert isinstance(memos, list)
    used = [check for check in _checks(payload) if check[4]]
    assert used
    for check in used:
        check[4] = [len(memos)]


def _findings_not_findings(payload: list[object]) -> None:
    for check in _checks(payload):
        check[6] = [["not", "a", "finding"]]


def _unhashable_numbers(payload: list[object]) -> None:
    for check in _checks(payload):
        check[3] = [[1, 2]]


def _file_path_out_of_range(payload: list[object]) -> None:
    files = payload[4]
    assert isinstance(files, list)
    files[0][1] = 10**6


def _provided_not_numbers(payload: list[object]) -> None:
    files = payload[4]
    assert isinstance(files, list)
    for item in files:
        item[2] = ["x"]


def _another_version(payload: list[object]) -> None:
    payload[0] = RUN_FORMAT + 1


# What each crafted entry costs, after which change: the checks it names run again ("some"),
# or none is reused. What a file provided is read only for a file that went (renamed here).
CRAFTED: list[tuple[str, Callable[[list[object]], None], Callable[[Path], None], str]] = [
    ("memo-out-of-range", _memo_out_of_range, _relabel, "some"),
    ("findings-not-findings", _findings_not_findings, _relabel, "none"),
    ("unhashable-numbers", _unhashable_numbers, _relabel, "none"),
    ("file-path-out-of-range", _file_path_out_of_range, _relabel, "none"),
    ("provided-not-numbers", _provided_not_numbers, _rename, "none"),
    ("another-version", _another_version, _relabel, "none"),
]


@pytest.mark.parametrize(
    ("craft", "change", "reused"),
    [(craft, change, reused) for _, craft, change, reused in CRAFTED],
    ids=[name for name, _, _, _ in CRAFTED],
)
def test_a_crafted_checks_entry_costs_checks_run_again_never_a_wrong_report(
    root: Path,
    tmp_path: Path,
    craft: Callable[[list[object]], None],
    change: Callable[[Path], None],
    reused: str,
) -> None:
    cache = tmp_path / "cache"
    api_run(root, cache)
    api_run(root, tmp_path / "honest")
    change(root)  # the next run is no replay: it reads the checks entry
    honest = api_run(root, tmp_path / "honest")  # the same change, from a sound entry
    entry = _entry(cache)
    payload = _load(entry)
    craft(payload)
    _rewrite(entry, payload)
    warm = api_run(root, cache)
    assert warm.findings == api_run(root, None).findings
    assert not warm.replayed
    if reused == "none":
        assert warm.checks_reused == 0
    else:
        assert 0 < warm.checks_reused < warm.checks_reused + warm.checks_run
        assert warm.checks_run > honest.checks_run or honest.checks_reused == 0


def test_reused_checks_are_written_back_as_stored(root: Path, tmp_path: Path) -> None:
    """A reused check keeps its numbers: the next entry's tables start as the last one's."""
    cache = tmp_path / "cache"
    api_run(root, cache)
    before = _load(_entry(cache))
    _relabel(root)
    warm = api_run(root, cache)
    assert warm.checks_reused > 0
    after = _load(_entry(cache))
    assert after[1][: len(before[1])] == before[1]
    kept = {(c[1], c[2], tuple(c[3]), tuple(c[5])) for c in _checks(before)}
    again = {(c[1], c[2], tuple(c[3]), tuple(c[5])) for c in _checks(after)}
    assert len(kept & again) >= warm.checks_reused


def test_a_table_of_mostly_gone_keys_is_written_from_scratch(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renames leave the old names' keys in the table; past twice what is still named, the
    entry is written anew, and reports stay those of a cold run."""
    monkeypatch.setattr(check_store, "COMPACT_MIN_KEYS", 0)
    cache = tmp_path / "cache"
    api_run(root, cache)
    for round_number in range(4):
        for path in root.glob("*.yaml"):
            text = path.read_text()
            path.write_text(text.replace("name: ", f"name: r{round_number}", 3))
        _rename(root)
        warm = api_run(root, cache)
        assert warm.findings == api_run(root, None).findings, round_number
        payload = _load(_entry(cache))
        named: set[object] = set()
        for item in payload[4]:
            named.update(item[2])
        for item in payload[5]:
            named.update(item[1])
        for check in _checks(payload):
            named.update(check[3])
        assert len(payload[1]) <= 2 * len(named), round_number


def test_an_index_whose_build_raises_is_recorded_as_reading_everything(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule's bug in building an index (`Inventory.memo`) is that check's internal-error
    finding, as without the cache; the index is still listed, as one that read everything, so
    the entry is written and the failing checks run again after any change."""
    # The built-in rules as the engine imports them (`netlint._builtin`).
    rule = importlib.import_module("netlint._builtin.rules.ingress.ingress_path_conflict")

    def broken(_: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(rule, "_index", broken)
    cache = tmp_path / "cache"
    first = api_run(root, cache)
    assert any(f.rule_id == "internal-error" for f in first.findings)
    assert first.findings == api_run(root, None).findings
    assert _entry(cache).exists()
    _relabel(root)
    warm = api_run(root, cache)
    assert warm.findings == api_run(root, None).findings
    assert warm.checks_reused > 0
