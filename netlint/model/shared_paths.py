"""One copy of each path (`shared`) and short text (`shared_text`) a run's derived facts keep.

The facts kept for every object for the whole run (a Service's ports, an Ingress's paths and
backends, a pod template's container ports) each hold a path tuple or several, and nearly all of
them are the same few hundred tuples (`("spec", "ports", 0)`, `("spec", "rules", 0, "http",
"paths", 0, "backend")`): at 10k objects they held about 35,000 tuples, 3 MiB, for a few hundred
distinct ones. Tuples are immutable and compared by value, so sharing one copy changes nothing
but the memory. Likewise the texts they copy from the data (port names, protocols, label
values, hosts): 36,000 strings at 10k objects, of which 7,500 distinct.
"""

from __future__ import annotations

from typing import TypeVar

from netlint.findings import Path

K = TypeVar("K", Path, str)

# Past this many distinct paths (an input of huge lists: each index is a new path) new ones are
# no longer kept: the table would then cost what it saves.
_LIMIT = 4096
_TEXT_LIMIT = 1 << 14
_LONGEST = 64  # longer texts are rarely repeated

_PATHS: dict[Path, Path] = {}
_TEXTS: dict[str, str] = {}


def _one_copy(table: dict[K, K], limit: int, item: K) -> K:
    """`item`, or the equal one `table` holds; kept there while it has room."""
    found = table.get(item)
    if found is not None:
        return found
    if len(table) < limit:
        table[item] = item
    return item


def shared(path: Path) -> Path:
    """`path`, or the equal tuple met before."""
    return _one_copy(_PATHS, _LIMIT, path)


def shared_text(text: str | None) -> str | None:
    """`text`, or the equal string met before (None stays None)."""
    if text is None or len(text) > _LONGEST:
        return text
    return _one_copy(_TEXTS, _TEXT_LIMIT, text)


def shared_strings(labels: dict[str, str]) -> dict[str, str]:
    """`labels` with its values shared (`shared_text`), in place; the keys are already (the
    parser interns them)."""
    for key, value in labels.items():
        if len(value) <= _LONGEST:
            labels[key] = _one_copy(_TEXTS, _TEXT_LIMIT, value)
    return labels


def forget() -> None:
    """Let go of the tables at the end of a run: a long-lived process (`netlint server`) must
    not keep one run's texts into the next."""
    _PATHS.clear()
    _TEXTS.clear()
