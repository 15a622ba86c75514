"""Test-wide settings: CLI runs cache into a private folder, never the user's ~/.cache."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["NETLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("netlint-cache"))
