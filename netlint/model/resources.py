"""Where the bundled data lives: `schemas/`, shipped as the package `netlint._builtin.schemas`.

An installed wheel has the package; an editable install maps only Python packages, so the
checkout's `schemas/` folder is the fallback.
"""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.machinery import SourceFileLoader, SourcelessFileLoader
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable


def package_files(package: str) -> Traversable:
    """`importlib.resources.files(package)`: a package's data files. A package that is a plain
    folder on disk (the usual install) is answered as `files` answers it, with its folder's
    `Path`, without importing `importlib.resources` (tempfile, random, shutil and more) into
    every run (issue 31); any other (a zip, a namespace package) is asked of
    `importlib.resources`."""
    spec = import_module(package).__spec__
    loader = spec.loader if spec is not None else None
    if isinstance(loader, (SourceFileLoader, SourcelessFileLoader)):
        return Path(loader.path).parent  # what `importlib.readers.FileReader.files` returns
    from importlib import resources

    return resources.files(package)


def schemas_root() -> Traversable:
    try:
        return package_files("netlint._builtin.schemas")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "schemas"  # netlint/model/ -> the checkout
