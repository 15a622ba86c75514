"""netlint's entry point search finds what `importlib.metadata.entry_points(group=...)` finds, in
the same order (issue 31: it replaces it for installs of folders, to keep importlib.metadata out
of a one-file run)."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from netlint.run import entry_points as fast


def _upstream(group: str) -> list[tuple[str, str]]:
    return [(entry.name, entry.value) for entry in metadata.entry_points(group=group)]


def _ours(group: str) -> list[tuple[str, str]]:
    return [(entry.name, entry.value) for entry in fast.entry_points(group)]


def _dist(root: Path, folder: str, entry_points: str | None) -> None:
    (root / folder).mkdir(parents=True)
    (root / folder / "METADATA").write_text(
        f"Name: {folder.split('-', maxsplit=1)[0]}\n", encoding="utf-8"
    )
    if entry_points is not None:
        (root / folder / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_every_group_of_this_environment_is_found_alike() -> None:
    groups = {entry.group for dist in metadata.distributions() for entry in dist.entry_points}
    assert "netlint.rules" in groups and "console_scripts" in groups
    for group in sorted(groups):
        assert _ours(group) == _upstream(group), group
    assert _ours("netlint.rules") == [("builtin", "netlint._builtin.rules")]


def test_shadowed_names_sections_and_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _dist(first, "Foo_Bar-1.0.dist-info", "[netlint.rules]\n  one = foo.rules:RULES \n")
    _dist(first, "zeta-1.0.dist-info", None)  # no entry_points.txt: still takes its name
    _dist(
        first,
        "baz-2.egg-info",
        "# comment\n\n[other]\nx = y\n[netlint.rules]\nthree=baz\n[[netlint.rules]]\nfour = q\n",
    )
    _dist(second, "foo.bar-2.0.dist-info", "[netlint.rules]\ntwo = shadowed.rules\n")
    _dist(second, "Zeta-3.dist-info", "[netlint.rules]\nfive = shadowed.too\n")
    _dist(second, "later-1.dist-info", "[netlint.rules]\nsix = later.rules\n")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    found = _ours("netlint.rules")
    assert found == _upstream("netlint.rules")
    assert ("one", "foo.rules:RULES") in found and ("six", "later.rules") in found
    assert ("two", "shadowed.rules") not in found and ("five", "shadowed.too") not in found
    assert ("four", "q") in found  # `[[netlint.rules]]` is the same section, as upstream reads it


def test_a_zip_on_the_path_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "packs.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\n")
        zipped.writestr("zipped-1.0.dist-info/entry_points.txt", "[netlint.rules]\nz = zipped\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert _ours("netlint.rules") == _upstream("netlint.rules") == [("z", "zipped")]


def test_a_line_that_is_not_name_equals_value_fails_as_upstream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dist(tmp_path, "broken-1.dist-info", "[other]\nnot an entry point\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    with pytest.raises(TypeError):
        metadata.entry_points(group="netlint.rules")
    with pytest.raises(TypeError):
        fast.entry_points("netlint.rules")


def test_an_entry_point_loads_the_attribute_it_names() -> None:
    (entry,) = fast.entry_points("netlint.rules")
    loaded = entry.load()
    assert getattr(loaded, "__name__", None) == "netlint._builtin.rules"
    attribute = fast.EntryPoint("x", "netlint.run.registry:RuleSet.by_id", lambda: None)
    assert fast._load_value(attribute.value).__qualname__ == "RuleSet.by_id"  # pyright: ignore[reportPrivateUsage, reportAttributeAccessIssue, reportUnknownMemberType]
