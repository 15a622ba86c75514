"""Adapts the bundled schemas (`schema_validation.SchemaStore`), and the CRDs a user gives, to
the rule API's SchemaChecker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path as FsPath

from netlint.api import SchemaChecker
from netlint.findings import Path
from netlint.policy.schema_validation import SchemaStore


class BundledSchemas(SchemaChecker):
    """`crds`: CRD files or folders (`--crd`, config `crds:`); `CrdError` when one cannot be
    used."""

    def __init__(self, kube_version: str, crds: Sequence[FsPath] = ()) -> None:
        custom = None
        self._token = ""
        if crds:
            from netlint.policy.crd.loading import load_crds

            loaded = load_crds(crds)
            custom, self._token = loaded.kinds, loaded.digest
        self._store = SchemaStore(kube_version, custom=custom)

    def cache_token(self) -> str:
        return self._token

    def has_schema(self, api_version: str, kind: str) -> bool:
        return self._store.has_schema(api_version, kind)

    def violations(
        self, api_version: str, kind: str, obj: object
    ) -> Iterable[tuple[Path, str, bool]]:
        for violation in self._store.validate(api_version, kind, obj):
            yield violation.path, violation.message, violation.on_key

    def detailed_violations(
        self, api_version: str, kind: str, obj: object
    ) -> Iterable[tuple[Path, str, bool, tuple[str, ...]]]:
        for violation in self._store.validate(api_version, kind, obj):
            yield violation.path, violation.message, violation.on_key, violation.supported
