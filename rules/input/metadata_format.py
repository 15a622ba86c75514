"""`metadata-format`: the rest of `metadata` the API server validates for every kind: namespace,
labels, annotations, finalizers, owner references, generation (ported in `_object_meta`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from netlint.api import Diagnostic, Manifest, Node, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_map, dig, path_text, refusal, served_kinds

from ._object_meta import Located, custom_resource_finalizer_warnings, validate_object_meta

# Groups whose objects are validated by apimachinery's ObjectMeta checks without core's
# finalizer rule (CustomResourceDefinition, APIService).
_GENERIC_GROUPS = frozenset(["apiextensions.k8s.io", "apiregistration.k8s.io"])
# Kinds whose create strategy keeps the generation it is given (no spec generation to start at
# 1), so a negative one is refused; elsewhere it is usually reset, hence only a warning.
_KEEPS_GENERATION = frozenset(["Service", "ConfigMap", "Secret", "Endpoints", "ServiceAccount"])


def _key(field: str, on_key: bool) -> str:
    return f"{field}#key" if on_key else field


def _schema_fields(manifest: Manifest, ctx: RuleContext) -> set[str]:
    """The fields the strict schema already reports (one problem, one finding)."""
    if not ctx.schemas.has_schema(manifest.api_version, manifest.kind):
        return set()
    found: set[str] = set()
    for path, message, on_key in ctx.schemas.violations(
        manifest.api_version, manifest.kind, manifest.data
    ):
        where = path_text(tuple(path))
        named = message.partition(": ")[0]
        if named.startswith(where) and named != where:  # a missing field, named in the message
            found.add(named)
        else:
            found.add(_key(where, on_key))
    return found


class MetadataFormat(Rule):
    meta = RuleMeta(
        id="metadata-format",
        severity=Severity.ERROR,
        summary="A label, annotation, finalizer, owner reference or namespace the API refuses",
        what=(
            "Ports the API server's validation of `metadata` for every kind, built-in or custom "
            "(the generic store runs it for all): `namespace` a DNS-1123 label; label keys "
            "qualified names (an optional DNS-subdomain prefix and `/`, a name of at most 63 "
            "alphanumerics, `-`, `_`, `.`) and label values at most 63 such characters; "
            "annotation keys qualified names in any case, and all annotations together at most "
            "256 KiB; finalizers qualified names, not both `orphan` and `foregroundDeletion`, "
            "and for built-in kinds either standard (`kubernetes`, `orphan`, "
            "`foregroundDeletion`) or with a `/`; owner references with an apiVersion that has "
            "a version, a kind, name and uid, not owned by an Event, and at most one controller; "
            "`generation` not negative. The messages are the API server's own. Names are "
            "`name-format`'s, values that are not strings `yaml-ambiguous-value`'s, and types "
            "and missing fields the strict schema's."
        ),
        why=(
            "The API server refuses the whole object: `metadata.labels: Invalid value: "
            '"team/web/api": a valid label key must consist of ...`. A finalizer without a '
            "domain on a custom resource is accepted with a warning (hence info): two "
            "controllers may pick the same short name."
            " Severity: the errors are the API server's rejections; what it accepts with a warning is info."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n"
            "    app.kubernetes.io/name/web: web\n    version: v1.2+build\nspec:\n"
            "  ports:\n  - port: 80\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n"
            "    app.kubernetes.io/name: web\n    version: v1.2-build\nspec:\n"
            "  ports:\n  - port: 80\n"
        ),
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set",
        tags=("names", "metadata"),
        options=(
            "The severity of a negative `generation` is error for kinds whose create strategy "
            "keeps it (Service, ConfigMap, Secret, Endpoints, ServiceAccount), warning for the "
            "others (most reset it to 1 before validating)."
        ),
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        meta = as_map(dig(manifest.data, "metadata"))
        if meta is None:
            return
        kinds = served_kinds()
        builtin = kinds.is_builtin_group(manifest.group)
        kube_finalizers = builtin and manifest.group not in _GENERIC_GROUPS
        found = list(
            validate_object_meta(meta, manifest.namespace is not None, None, kube_finalizers)
        )
        if not found and (builtin or not meta.get("finalizers")):
            return
        reported = _schema_fields(manifest, ctx) if found else set[str]()
        for located in found:
            if located.field is not None:
                if path_text(located.field) in reported:
                    continue
            elif _key(path_text(located.at), located.on_key) in reported:
                continue
            yield self._diagnostic(manifest, located)
        if not builtin:
            yield from self._custom_finalizers(manifest, meta)

    @staticmethod
    def _diagnostic(manifest: Manifest, located: Located) -> Diagnostic:
        severity = None
        if located.error.path[-1:] == ("generation",) and manifest.kind not in _KEEPS_GENERATION:
            severity = Severity.WARNING
        diagnostic = refusal(manifest, located.error, severity=severity)
        return replace(diagnostic, path=located.at, on_key=located.on_key)

    @staticmethod
    def _custom_finalizers(manifest: Manifest, meta: dict[str, Node]) -> Iterator[Diagnostic]:
        for path, warning in custom_resource_finalizer_warnings(meta):
            name = dig(manifest.data, *path)
            yield Diagnostic(
                path,
                f'{manifest} is accepted with a warning: {path_text(path)}: "{name}": {warning}',
                severity=Severity.INFO,
                hint="give it a domain prefix: <domain>/<name>",
            )
