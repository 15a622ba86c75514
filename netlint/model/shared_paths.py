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

from netlint.findings import Path

# Past this many distinct paths (an input of huge lists: each index is a new path) new ones are
# no longer kept: the table would then cost what it saves.
_LIMIT = 4096

_PATHS: dict[Path, Path] = {}


def shared(path: Path) -> Path:
    """`path`, or the equal tuple met before."""
    found = _PATHS.get(path)
    if found is not None:
        return found
    if len(_PATHS) < _LIMIT:
        _PATHS[path] = path
    return path


_TEXT_LIMIT = 1 << 14
_LONGEST = 64  # longer texts are rarely repeated

_TEXTS: dict[str, str] = {}


def shared_text(text: str | None) -> str | None:
    """`text`, or the equal string met before (None stays None)."""
    if text is None or len(text) > _LONGEST:
        return text
    found = _TEXTS.get(text)
    if found is not None:
        return found
    if len(_TEXTS) < _TEXT_LIMIT:
        _TEXTS[text] = text
    return text


def shared_strings(labels: dict[str, str]) -> dict[str, str]:
    """`labels` with its values shared (`shared_text`), in place; the keys are already (the
    parser interns them)."""
    texts = _TEXTS
    for key, value in labels.items():
        found = texts.get(value)
        if found is not None:
            labels[key] = found
        elif len(texts) < _TEXT_LIMIT and len(value) <= _LONGEST:
            texts[value] = value
    return labels


def forget() -> None:
    """Let go of the tables at the end of a run: a long-lived process (`netlint server`) must
    not keep one run's texts into the next."""
    _PATHS.clear()
    _TEXTS.clear()
