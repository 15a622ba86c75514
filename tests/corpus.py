"""The shared real-world corpus (../shared/corpus): where it is and which files are in which tier.

The corpus sits beside the repository, not in it; tests that need it skip when it is absent.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path | None:
    for candidate in (
        os.environ.get("NETLINT_CORPUS"),
        str(REPO.parent / "shared" / "corpus"),
        "/work/shared/corpus",
    ):
        if candidate and (Path(candidate) / "index.json").is_file():
            return Path(candidate)
    return None


def files_by_repo(root: Path, tiers: frozenset[str]) -> dict[str, list[Path]]:
    """Corpus files of `tiers`, grouped by upstream repository (each repository is one run)."""
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    grouped: dict[str, list[Path]] = defaultdict(list)
    for entry in index:
        if entry["tier"] in tiers:
            grouped[entry["repo"]].append(root / entry["file"])
    return dict(sorted(grouped.items()))


RELEASE_AND_EXAMPLE = frozenset({"release", "example"})
TEST_FIXTURE = frozenset({"test-fixture"})
