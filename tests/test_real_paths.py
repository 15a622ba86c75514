"""`RealPaths.resolve` is `os.path.realpath`, through symlinked folders and files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netlint.input.real_paths import RealPaths


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "x.yaml").write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "a" / "b")  # a folder, by absolute path
    (tmp_path / "a" / "b" / "l.yaml").symlink_to("../x.yaml")  # a file, relative
    (tmp_path / "a" / "b" / "rel").symlink_to("c")
    (tmp_path / "loop").symlink_to("loop")
    return tmp_path


@pytest.mark.parametrize(
    "relative",
    [
        "a/b/c/f.yaml",
        "link/c/f.yaml",  # below a symlinked folder
        "link/l.yaml",  # a symlinked file below a symlinked folder
        "a/b/l.yaml",
        "link/rel/q.yaml",  # two links on the way
        "a/../link/c/../q.yaml",  # `..` after a link: the link's target's parent
        "missing/x.yaml",
        "loop/x.yaml",
        "a//b/./c/",
        "a/x.yaml",
    ],
)
def test_resolve_is_realpath(tree: Path, relative: str) -> None:
    resolver = RealPaths()
    path = f"{tree}/{relative}"
    assert resolver.resolve(path) == os.path.realpath(path)
    # The second time from what it kept of the folders on the way.
    assert resolver.resolve(path) == os.path.realpath(path)


def test_files_of_one_tree_share_what_is_known_of_their_folders(tree: Path) -> None:
    resolver = RealPaths()
    paths = [f"{tree}/{name}" for name in ("link/c/one.yaml", "link/c/two.yaml", "link/l.yaml")]
    assert [resolver.resolve(p) for p in paths] == [os.path.realpath(p) for p in paths]
    assert resolver.resolve(f"{tree}/link/c/one.yaml") == f"{os.path.realpath(tree)}/a/b/c/one.yaml"
