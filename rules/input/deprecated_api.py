"""`deprecated-api`: an apiVersion the target Kubernetes version no longer serves, or deprecates
(reference §4; the Kubernetes deprecation guide)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Edit, Fix, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import (
    indent_step,
    insert_entry,
    is_flow_mapping,
    rename_key,
    replace_string,
    safe_fix,
)
from netlint.k8s import as_map, dig, items_at
from netlint.records import record

_INGRESS_RENAMES = (
    "spec.backend -> spec.defaultBackend; serviceName -> service.name; a numeric servicePort -> "
    "service.port.number, a named one -> service.port.name; pathType is now required (use "
    "ImplementationSpecific for the old behaviour)"
)
_Span = tuple[int, int, int, int]  # as `Manifest.span_of` answers
_WORKLOAD_RENAMES = "spec.selector is now required and must match the template labels"


@record(frozen=True, slots=True)
class Deprecation:
    replacement: str  # apiVersion (and kind, when it differs) to use instead
    available_since: str  # the version that introduced the replacement
    removed_in: int | None  # minor version from which the apiVersion is not served; None: never
    deprecated_in: int  # minor version from which the API server warns
    changes: str = ""  # field renames a migration needs


# (apiVersion, kind) -> what happened to it. Only Kubernetes' own APIs; minors of 1.x.
DEPRECATIONS: dict[tuple[str, str], Deprecation] = {
    ("extensions/v1beta1", "Ingress"): Deprecation(
        "networking.k8s.io/v1", "1.19", 22, 14, _INGRESS_RENAMES
    ),
    ("networking.k8s.io/v1beta1", "Ingress"): Deprecation(
        "networking.k8s.io/v1", "1.19", 22, 19, _INGRESS_RENAMES
    ),
    ("networking.k8s.io/v1beta1", "IngressClass"): Deprecation(
        "networking.k8s.io/v1", "1.19", 22, 19
    ),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): Deprecation(
        "discovery.k8s.io/v1",
        "1.21",
        25,
        21,
        'endpoints[].topology["kubernetes.io/hostname"] -> endpoints[].nodeName; '
        'endpoints[].topology["topology.kubernetes.io/zone"] -> endpoints[].zone; '
        "topology -> deprecatedTopology (not writable in v1)",
    ),
    ("extensions/v1beta1", "NetworkPolicy"): Deprecation("networking.k8s.io/v1", "1.8", 16, 9),
    ("v1", "Endpoints"): Deprecation(
        "discovery.k8s.io/v1 EndpointSlice",
        "1.21",
        None,
        33,
        "one EndpointSlice per address family, labelled kubernetes.io/service-name: <service>; "
        "subsets[].addresses[].ip -> endpoints[].addresses[], subsets[].ports -> ports",
    ),
    ("extensions/v1beta1", "PodSecurityPolicy"): Deprecation(
        "Pod Security Admission (no replacement kind)", "1.22", 16, 11
    ),
    ("policy/v1beta1", "PodSecurityPolicy"): Deprecation(
        "Pod Security Admission (no replacement kind)", "1.22", 25, 21
    ),
    ("policy/v1beta1", "PodDisruptionBudget"): Deprecation(
        "policy/v1", "1.21", 25, 21, "an empty spec.selector now selects every pod of the namespace"
    ),
    ("batch/v1beta1", "CronJob"): Deprecation("batch/v1", "1.21", 25, 21),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): Deprecation(
        "autoscaling/v2", "1.23", 25, 22
    ),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): Deprecation(
        "autoscaling/v2", "1.23", 26, 23
    ),
}
for _kind in ("Deployment", "DaemonSet", "ReplicaSet"):
    DEPRECATIONS[("extensions/v1beta1", _kind)] = Deprecation(
        "apps/v1", "1.9", 16, 9, _WORKLOAD_RENAMES
    )
    DEPRECATIONS[("apps/v1beta2", _kind)] = Deprecation("apps/v1", "1.9", 16, 9, _WORKLOAD_RENAMES)
for _kind in ("Deployment", "StatefulSet"):
    DEPRECATIONS[("apps/v1beta1", _kind)] = Deprecation("apps/v1", "1.9", 16, 9, _WORKLOAD_RENAMES)
DEPRECATIONS[("apps/v1beta2", "StatefulSet")] = Deprecation(
    "apps/v1", "1.9", 16, 9, _WORKLOAD_RENAMES
)

DEPRECATED_KINDS = frozenset(kind for _, kind in DEPRECATIONS)


def minor_of(kube_version: str) -> int:
    """`1.37` (also `v1.37.2`) -> 37; the settings hold a validated version."""
    parts = kube_version.lstrip("v").split(".")
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return 0


def _used_legacy_fields(manifest: Manifest) -> list[str]:
    """The v1beta1 Ingress / EndpointSlice fields this object actually uses, for the message."""
    found: list[str] = []
    data = manifest.data
    if manifest.kind == "Ingress":
        if as_map(dig(data, "spec", "backend")) is not None:
            found.append("spec.backend")
        uses_service_name = any(
            dig(path, "backend", "serviceName") is not None
            for _, rule in items_at(data, "spec", "rules")
            for _, path in items_at(rule, "http", "paths")
        )
        if uses_service_name or dig(data, "spec", "backend", "serviceName") is not None:
            found.append("serviceName/servicePort")
    elif manifest.kind == "EndpointSlice" and any(
        dig(endpoint, "topology") is not None for _, endpoint in items_at(data, "endpoints")
    ):
        found.append("endpoints[].topology")
    return found


# The deprecations `migration` rewrites: the fields of the old version that the new one renamed
# are rewritten too; any other field means the same in both.
_FIXED = frozenset(
    [
        ("extensions/v1beta1", "Ingress"),
        ("networking.k8s.io/v1beta1", "Ingress"),
        ("networking.k8s.io/v1beta1", "IngressClass"),
        ("discovery.k8s.io/v1beta1", "EndpointSlice"),
    ]
)


def _backend_edits(manifest: Manifest, path: Path) -> list[Edit | None]:
    """serviceName/servicePort of the IngressBackend at `path` as v1's `service:` (a numeric
    servicePort is `port.number`, a named one `port.name`); [None] when it cannot be written.

    The two keys are renamed where they are and their values left as written, so a comment on
    either line, and the quoting of the values, stay: `serviceName: web  # main` becomes
    `service:` and `  name: web  # main`."""
    backend = as_map(dig(manifest.data, *path))
    if backend is None:
        return [None]
    if "serviceName" not in backend and "servicePort" not in backend:
        return []  # a `resource` backend: the same in v1
    name, port = backend.get("serviceName"), backend.get("servicePort")
    if not isinstance(name, str) or "service" in backend:
        return [None]
    if isinstance(port, int) and not isinstance(port, bool):
        port_field = "number"
    elif isinstance(port, str):
        port_field = "name"
    else:
        return [None]
    keys = list(backend)
    first = min(keys.index("serviceName"), keys.index("servicePort"))
    if keys[first + 1 : first + 2] != [
        "servicePort" if keys[first] == "serviceName" else "serviceName"
    ]:
        return [None]  # something between them: no place for `service:`
    order = (keys[first], keys[first + 1])
    spans = [
        (manifest.span_of((*path, key), on_key=True), manifest.span_of((*path, key)))
        for key in order
    ]
    if is_flow_mapping(manifest, path):
        return _flow_backend(order, spans, port_field)
    if any(key[0] != value[0] or value[0] != value[2] for key, value in spans):
        return [None]  # a value on lines of its own would need indenting too
    column, step = spans[0][0][1], indent_step(manifest, path)

    def child(key: str, at: int) -> str:  # the new text of `key`, at column `at`
        if key == "serviceName":
            return "name"
        return f"port:\n{' ' * (at + step)}{port_field}"

    first_key, second_key = spans[0][0], spans[1][0]
    return [
        Edit(*first_key, f"service:\n{' ' * (column + step)}{child(order[0], column + step)}"),
        Edit(*second_key, " " * step + child(order[1], column + step)),
    ]


def _flow_backend(
    order: tuple[str, str], spans: list[tuple[_Span, _Span]], port_field: str
) -> list[Edit | None]:
    """`{serviceName: a, servicePort: 80}` as `{service: {name: a, port: {number: 80}}}`, by
    renaming the keys and closing the new mappings after the values."""
    edits: list[Edit | None] = []
    for number, (key, (key_span, value_span)) in enumerate(zip(order, spans, strict=True)):
        opening = "service: {" if number == 0 else ""
        if key == "serviceName":
            edits.append(Edit(*key_span, opening + "name"))
            closing = ""
        else:
            edits.append(Edit(*key_span, f"{opening}port: {{{port_field}"))
            closing = "}"
        if number == 1:
            closing += "}"
        if closing:
            end = (value_span[2], value_span[3])
            edits.append(Edit(*end, *end, closing))
    return edits


def migration(manifest: Manifest, replacement: str) -> Fix | None:
    """The object rewritten for `replacement` (`_FIXED` only): the apiVersion, and for an
    Ingress spec.backend -> spec.defaultBackend, serviceName/servicePort -> service.name and
    service.port, and v1beta1's default `pathType: ImplementationSpecific` written out. None
    when some part of the object is not in a shape that can be rewritten."""
    if (manifest.api_version, manifest.kind) not in _FIXED:
        return None
    edits: list[Edit | None] = [replace_string(manifest, ("apiVersion",), replacement)]
    data = manifest.data
    if manifest.kind == "EndpointSlice":
        if any(
            dig(endpoint, "topology") is not None for _, endpoint in items_at(data, "endpoints")
        ):
            return None  # topology -> nodeName, zone: not one-to-one
    elif manifest.kind == "Ingress":
        spec = as_map(data.get("spec"))
        if spec is not None and "backend" in spec:
            if "defaultBackend" in spec:
                return None
            edits.append(rename_key(manifest, ("spec", "backend"), "defaultBackend"))
            edits += _backend_edits(manifest, ("spec", "backend"))
        for rule_index, rule in items_at(data, "spec", "rules"):
            for path_index, item in items_at(rule, "http", "paths"):
                base = ("spec", "rules", rule_index, "http", "paths", path_index)
                entry = as_map(item)
                if entry is None:
                    return None
                if "pathType" not in entry:
                    after = "path" if "path" in entry else None
                    edits.append(
                        insert_entry(
                            manifest, base, "pathType", "ImplementationSpecific", after=after
                        )
                    )
                if "backend" in entry:
                    edits += _backend_edits(manifest, (*base, "backend"))
    return safe_fix(f"use {replacement}", *edits)


class DeprecatedApi(Rule):
    meta = RuleMeta(
        id="deprecated-api",
        severity=Severity.ERROR,
        summary="The apiVersion is not served by the target Kubernetes version, or is deprecated",
        what=(
            "Checks apiVersion and kind against Kubernetes' deprecation guide for the target "
            "version (`--kube-version`, default 1.37): `extensions/v1beta1` and "
            "`networking.k8s.io/v1beta1` Ingress and v1beta1 IngressClass (gone in 1.22), "
            "`discovery.k8s.io/v1beta1` EndpointSlice (gone in 1.25), the old workload, "
            "NetworkPolicy, CronJob, PodDisruptionBudget and HPA versions; an error when the "
            "version is no longer served, a warning when it is only deprecated (v1 Endpoints "
            "since 1.33). The message names the replacement and the fields that were renamed."
        ),
        why=(
            '`kubectl apply` fails with `no matches for kind "Ingress" in version '
            '"extensions/v1beta1"`: the object is never created. A deprecated API still works '
            "but returns a warning on every request and may lose features (v1 Endpoints cannot "
            "express dual-stack or more than 1000 addresses)."
            " Severity: an error when the target version no longer serves the API (the object is refused), a warning while it is only deprecated."
        ),
        example=(
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  backend:\n    serviceName: web\n    servicePort: 80\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n"
        ),
        help_uri="https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
        tags=("api-version",),
        facts=("EP-06",),
        options="`kube-version` (`--kube-version`): the Kubernetes version the input targets.",
        fixable="sometimes",
    )
    kinds = DEPRECATED_KINDS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        entry = DEPRECATIONS.get((manifest.api_version, manifest.kind))
        if entry is None:
            return
        target = minor_of(ctx.settings.kube_version)
        changes = entry.changes
        used = _used_legacy_fields(manifest)
        if used:
            changes = f"{changes} (this object uses {', '.join(used)})"
        tail = f"; field changes: {changes}" if changes else ""
        replacement = (
            entry.replacement
            if " " in entry.replacement
            else f"{entry.replacement} (available since {entry.available_since})"
        )
        fix = migration(manifest, entry.replacement)
        if entry.removed_in is not None and target >= entry.removed_in:
            yield Diagnostic(
                ("apiVersion",),
                f"{manifest.api_version} {manifest.kind} is no longer served since Kubernetes "
                f"1.{entry.removed_in} (target {ctx.settings.kube_version}): the API server "
                f"refuses {manifest.ref}; use {replacement}{tail}",
                severity=Severity.ERROR,
                hint=(
                    f"migrate to {entry.replacement}"
                    if " " in entry.replacement
                    else f"change apiVersion to {entry.replacement}"
                    + (" and migrate the renamed fields" if changes else "")
                ),
                fix=fix,
            )
        elif target >= entry.deprecated_in:
            removal = (
                f"and removed in 1.{entry.removed_in}"
                if entry.removed_in is not None
                else "(no removal planned, but every request returns a warning)"
            )
            yield Diagnostic(
                ("apiVersion",),
                f"{manifest.api_version} {manifest.kind} is deprecated since Kubernetes "
                f"1.{entry.deprecated_in} {removal}: {manifest.ref} should use {replacement}"
                f"{tail}",
                severity=Severity.WARNING,
                hint=f"migrate to {entry.replacement}",
                fix=fix,
            )
