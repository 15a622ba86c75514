"""Adapts the bundled schemas (`schema_validation.SchemaStore`) to the rule API's SchemaChecker."""

from __future__ import annotations

from collections.abc import Iterable

from netlint.api import SchemaChecker
from netlint.findings import Path
from netlint.policy.schema_validation import SchemaStore


class BundledSchemas(SchemaChecker):
    def __init__(self, kube_version: str) -> None:
        self._store = SchemaStore(kube_version)

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
