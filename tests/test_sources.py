"""Sources: files, folders, stdin, encodings (DESIGN §3, §10)."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from netlint.input import sources
from netlint.input.display_paths import display_path
from netlint.input.reading import Source, Unreadable, decode, read_source
from netlint.input.source_texts import SourceTexts
from netlint.input.sources import MissingPathError, PathMatcher
from tests.helpers import read_sources


def test_decodes_utf8_with_and_without_bom_and_utf16_with_bom() -> None:
    assert decode(b"a: 1\n") == "a: 1\n"
    assert decode(codecs.BOM_UTF8 + b"a: 1\n") == "a: 1\n"
    assert decode("a: é\n".encode("utf-16")) == "a: é\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("a: é\n".encode("latin-1"), "not UTF-8"),
        (b"a: 1\x00\n", "NUL byte"),
        (codecs.BOM_UTF32_LE + "a: 1\n".encode("utf-32-le"), "UTF-32"),
    ],
)
def test_other_encodings_are_unreadable(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        decode(data)


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text("kind: A\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text("kind: B\n")
    (tmp_path / "sub" / "c.json").write_text('{"kind": "C"}')
    (tmp_path / "sub" / "notes.txt").write_text("x")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "d.yaml").write_text("kind: D\n")
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("name: x\n")
    (chart / "templates" / "svc.yaml").write_text("{{ .Values }}\n")
    return tmp_path


def test_walks_folders_for_yaml_and_json_skipping_default_excludes(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = [s.path for s in read_sources([str(root)], PathMatcher((), root), root)]
    assert found == ["a.yaml", "chart/Chart.yaml", "sub/b.yml", "sub/c.json"]


def test_a_virtualenv_below_the_root_is_not_walked_but_a_named_one_is(tmp_path: Path) -> None:
    # A virtualenv (a folder with a pyvenv.cfg file) holds installed packages' YAML, never the
    # user's manifests; named on the command line, it is what the user asked to lint.
    venv = tmp_path / "tools" / "env"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "a.yaml").write_text("kind: A\n")
    (venv / "lib" / "b.yaml").write_text("kind: B\n")
    not_a_venv = tmp_path / "odd"
    (not_a_venv / "pyvenv.cfg").mkdir(parents=True)  # a folder of that name marks nothing
    (not_a_venv / "c.yaml").write_text("kind: C\n")
    (tmp_path / "d.yaml").write_text("kind: D\n")

    def found(path: Path) -> list[str]:
        return [s.path for s in read_sources([str(path)], PathMatcher((), tmp_path), tmp_path)]

    assert found(tmp_path) == ["d.yaml", "odd/c.yaml"]
    assert found(venv) == ["tools/env/a.yaml", "tools/env/lib/b.yaml"]
    # pre-commit names staged files: one inside a virtualenv is left out as the walk would.
    assert sources.force_excluded(str(venv / "a.yaml"), PathMatcher((), tmp_path), tmp_path)
    assert not sources.force_excluded(
        str(not_a_venv / "c.yaml"), PathMatcher((), tmp_path), tmp_path
    )


def test_config_excludes(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = [
        s.path for s in read_sources([str(root)], PathMatcher(["sub/*.json", "chart"], root), root)
    ]
    assert found == ["a.yaml", "sub/b.yml"]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = read_sources([str(root / "a.yaml"), str(root), "./a.yaml"], PathMatcher((), root), root)
    assert [s.path for s in found].count("a.yaml") == 1


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError, match="does-not-exist"):
        read_sources([str(tmp_path / "does-not-exist")], PathMatcher((), tmp_path), tmp_path)


def test_unreadable_files_do_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"\xff\xfe\x00garbage\x00")
    (tmp_path / "good.yaml").write_text("kind: A\n")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    items = read_sources([str(tmp_path)], PathMatcher((), tmp_path), tmp_path)
    kinds = {item.path: type(item) for item in items}
    assert kinds["good.yaml"] is Source
    assert kinds["bad.yaml"] is Unreadable


def test_stdin(tmp_path: Path) -> None:
    (item,) = read_sources(["-"], PathMatcher((), tmp_path), tmp_path, stdin_text="kind: A\n")
    assert isinstance(item, Source) and item.path == "-" and item.text == "kind: A\n"


def _looking_smaller(path: Path, monkeypatch: pytest.MonkeyPatch, size: int) -> Path:
    """`path`, looking `size` bytes long to stat and fstat, as if it grew after those."""

    def smaller(info: os.stat_result) -> os.stat_result:
        return os.stat_result((*info[:6], size, *info[7:]))

    real_fstat = sources.os.fstat

    def fstat(descriptor: int) -> os.stat_result:
        return smaller(real_fstat(descriptor))

    monkeypatch.setattr(sources.os, "fstat", fstat)
    real_stat = sources.os.stat

    def stat(named: str | Path, **options: bool) -> os.stat_result:
        info = real_stat(named, **options)
        return smaller(info) if Path(named) == path else info

    monkeypatch.setattr(sources.os, "stat", stat)
    return path


def test_a_file_read_at_its_size_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("kind: A\n" * 100)
    item = read_source(path, "a.yaml", max_file_size=800)
    assert isinstance(item, Source)
    assert item.text == "kind: A\n" * 100


def test_a_file_that_grew_while_read_is_read_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("kind: A\n" * 100)  # 800 bytes
    grown = _looking_smaller(path, monkeypatch, 10)
    item = read_source(grown, "a.yaml", max_file_size=800)
    assert isinstance(item, Source)
    assert item.text == "kind: A\n" * 100
    too_large = read_source(grown, "a.yaml", max_file_size=799)
    assert isinstance(too_large, Unreadable)
    assert too_large.rule_id == "input-limit"
    assert "grew above the limit of 799 bytes" in too_large.reason


def _texts_of(files: dict[str, bytes], folder: Path) -> SourceTexts:
    """SourceTexts of `files` as the engine fills it: each one's checksum as first read."""
    texts = SourceTexts()
    for name, data in files.items():
        (folder / name).write_bytes(data)
        source = read_source(folder / name, name, 1000)
        assert isinstance(source, Source)
        texts.add_file(name, str(folder / name), source.checksum)
    return texts


def test_source_texts_read_each_file_again_as_first_read(tmp_path: Path) -> None:
    texts = _texts_of(
        {"a.yaml": b"kind: A\n" * 50, "b.yaml": "name: caf\u00e9\n".encode("utf-16")}, tmp_path
    )
    texts.add_text("-", "kind: Stdin\n")  # stdin cannot be read again: kept as it is
    assert dict(texts) == {
        "a.yaml": "kind: A\n" * 50,
        "b.yaml": "name: caf\u00e9\n",
        "-": "kind: Stdin\n",
    }
    assert "a.yaml" in texts
    assert "c.yaml" not in texts
    assert texts.get("c.yaml") is None
    assert len(texts) == 3


def test_a_file_changed_or_removed_since_it_was_linted_has_no_text(tmp_path: Path) -> None:
    texts = _texts_of(
        {"a.yaml": b"kind: A\n", "b.yaml": b"kind: B\n", "c.yaml": b"kind: C\n"}, tmp_path
    )
    (tmp_path / "a.yaml").write_bytes(b"kind: Changed\n")
    (tmp_path / "b.yaml").unlink()
    # Its findings were made on the text first read: another text must not be shown with them
    # or searched for their suppression comments.
    assert texts.get("a.yaml") is None
    assert texts.get("b.yaml") is None
    assert texts.get("c.yaml") == "kind: C\n"


def test_display_paths_are_relative_to_the_working_directory(tmp_path: Path) -> None:
    assert display_path(tmp_path / "k8s" / "a.yaml", tmp_path) == "k8s/a.yaml"
    assert display_path(tmp_path, tmp_path) == "."  # `netlint check .` names its root so
    assert display_path(tmp_path / "a.yaml", tmp_path / "k8s") == str(tmp_path / "a.yaml")
