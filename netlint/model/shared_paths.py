"""One copy of each path a run's derived facts keep (`shared`).

The facts kept for every object for the whole run (a Service's ports, an Ingress's paths and
backends, a pod template's container ports) each hold a path tuple or several, and nearly all of
them are the same few hundred tuples (`("spec", "ports", 0)`, `("spec", "rules", 0, "http",
"paths", 0, "backend")`): at 10k objects they held about 35,000 tuples, 3 MiB, for a few hundred
distinct ones. Tuples are immutable and compared by value, so sharing one copy changes nothing
but the memory.
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
