"""The kinds each built-in API group/version serves, per supported Kubernetes version.

The data is `schemas/kubernetes-kinds.json`, generated from the OpenAPI of every supported
version (`schemas/tools/served_kinds.py`; alpha and beta APIs included, since a cluster may enable
them). It answers what the API server's REST mapping answers for a built-in group: whether
`apps/v1 Deploymnet` maps to anything (`no matches for kind`), and what the nearest served pair
is. A group it does not list is a custom resource's, and is not judged here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache

from netlint.model.resources import schemas_root
from netlint.records import record

KINDS_FILE = "kubernetes-kinds.json"
_STABILITY = {"alpha": 0, "beta": 1, None: 2}


@cache
def _version() -> re.Pattern[str]:
    """Compiled on first use, not at import (issue 31)."""
    return re.compile(r"v(\d+)(?:(alpha|beta)(\d+))?")


def version_priority(api_version: str) -> tuple[int, int, int]:
    """Kubernetes' order of versions, highest first when sorted in reverse: GA before beta
    before alpha, then the larger number (`v2` > `v1` > `v1beta2` > `v1beta1` > `v1alpha1`)."""
    match = _version().fullmatch(api_version.rpartition("/")[2])
    if match is None:
        return (-1, -1, -1)
    major, stability, minor = match.groups()
    return (_STABILITY[stability], int(major), int(minor or 0))


@record(frozen=True, slots=True)
class ServedKinds:
    """Built-in groups, and for each apiVersion the kinds it serves with the first and last
    minor version (of 1.x) that serve them."""

    groups: frozenset[str]
    spans: Mapping[str, Mapping[str, tuple[int, int]]]

    def is_builtin_group(self, group: str) -> bool:
        return group in self.groups

    def span(self, api_version: str, kind: str) -> tuple[int, int] | None:
        """(first, last) minor version that serves `kind` in `api_version`; None: none does."""
        return self.spans.get(api_version, {}).get(kind)

    def serves(self, api_version: str, kind: str, minor: int) -> bool:
        span = self.span(api_version, kind)
        return span is not None and span[0] <= minor <= span[1]

    def kinds_of(self, api_version: str, minor: int) -> list[str]:
        """The kinds `api_version` serves at `minor`, sorted."""
        kinds = self.spans.get(api_version, {})
        return sorted(k for k, (first, last) in kinds.items() if first <= minor <= last)

    def api_versions_of(self, kind: str, minor: int) -> list[str]:
        """Every built-in apiVersion that serves `kind` at `minor`, the preferred one first."""
        return sorted(
            (
                api_version
                for api_version, kinds in self.spans.items()
                if kind in kinds and kinds[kind][0] <= minor <= kinds[kind][1]
            ),
            key=lambda api_version: (version_priority(api_version), api_version),
            reverse=True,
        )


@cache
def served_kinds() -> ServedKinds:
    """The bundled table, read once per process."""
    raw = json.loads(schemas_root().joinpath(KINDS_FILE).read_text(encoding="utf-8"))
    spans = {
        api_version: {kind: (int(span[0]), int(span[1])) for kind, span in kinds.items()}
        for api_version, kinds in raw["kinds"].items()
    }
    return ServedKinds(frozenset(raw["groups"]), spans)
