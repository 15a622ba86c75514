"""Where the bundled data lives: `schemas/`, shipped as the package `netlint._builtin.schemas`.

An installed wheel has the package; an editable install maps only Python packages, so the
checkout's `schemas/` folder is the fallback.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable


def schemas_root() -> Traversable:
    try:
        return resources.files("netlint._builtin.schemas")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "schemas"  # netlint/model/ -> the checkout
