"""`name-format`: an object name the API server refuses for its kind (SVC-01, ING-01, IC-01,
EPS-01, EP-01), with the name functions of `_object_meta` (the name part of
`ValidateObjectMetaAccessor`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from netlint.api import Diagnostic, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import replace_string, unsafe_fix
from netlint.k8s import as_map, dig, refusal

from .._renames import may_be_referred_to
from ._object_meta import (
    NameFn,
    name_is_dns1035_label,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_object_meta_names,
    validate_path_segment_name,
)

# kind -> (API groups whose kind this is, the kind's name function, how to call the format):
# the `ValidateNameFunc` each upstream `Validate<Kind>` passes to `ValidateObjectMeta`.
_LABEL_1035 = (name_is_dns1035_label, "DNS-1035 labels")
_LABEL_1123 = (name_is_dns_label, "DNS-1123 labels")
_SUBDOMAIN = (name_is_dns_subdomain, "DNS-1123 subdomains")
NAME_RULES: dict[str, tuple[frozenset[str], tuple[NameFn, str]]] = {
    "Service": (frozenset([""]), _LABEL_1035),
    "Namespace": (frozenset([""]), _LABEL_1123),
    "Endpoints": (frozenset([""]), _SUBDOMAIN),
    "Secret": (frozenset([""]), _SUBDOMAIN),
    "ConfigMap": (frozenset([""]), _SUBDOMAIN),
    "Pod": (frozenset([""]), _SUBDOMAIN),
    "ReplicationController": (frozenset([""]), _SUBDOMAIN),
    "Ingress": (frozenset(["networking.k8s.io", "extensions"]), _SUBDOMAIN),
    "IngressClass": (frozenset(["networking.k8s.io"]), _SUBDOMAIN),
    "EndpointSlice": (frozenset(["discovery.k8s.io"]), _SUBDOMAIN),
    "Deployment": (frozenset(["apps", "extensions"]), _SUBDOMAIN),
    "StatefulSet": (frozenset(["apps"]), _SUBDOMAIN),
    "DaemonSet": (frozenset(["apps", "extensions"]), _SUBDOMAIN),
    "ReplicaSet": (frozenset(["apps", "extensions"]), _SUBDOMAIN),
    "Job": (frozenset(["batch"]), _SUBDOMAIN),
    "CronJob": (frozenset(["batch"]), _SUBDOMAIN),
    "ServiceAccount": (frozenset([""]), _SUBDOMAIN),
    "Node": (frozenset([""]), _SUBDOMAIN),
    "LimitRange": (frozenset([""]), _SUBDOMAIN),
    "ResourceQuota": (frozenset([""]), _SUBDOMAIN),
    "StorageClass": (frozenset(["storage.k8s.io"]), _SUBDOMAIN),
    "PriorityClass": (frozenset(["scheduling.k8s.io"]), _SUBDOMAIN),
    "RuntimeClass": (frozenset(["node.k8s.io"]), _SUBDOMAIN),
    "ResourceClaim": (frozenset(["resource.k8s.io"]), _SUBDOMAIN),
    "ResourceClaimTemplate": (frozenset(["resource.k8s.io"]), _SUBDOMAIN),
}
# Every other kind: the generic store's check, a name is a segment of the object's URL.
_PATH_SEGMENT = (validate_path_segment_name, "URL path segments")

_WHY_SERVICE = (
    ": they become DNS labels and environment variable prefixes, so they start with a letter"
)


def name_rule(manifest: Manifest) -> tuple[NameFn, str]:
    """The name function the API server applies to `manifest`'s kind, and its format's name."""
    groups, rule = NAME_RULES.get(manifest.kind, (frozenset[str](), _PATH_SEGMENT))
    return rule if manifest.group in groups else _PATH_SEGMENT


def suggest(name: str, check: NameFn) -> str | None:
    """A nearby valid name (lower case, `_` and other characters as `-`), if there is one."""
    if check is validate_path_segment_name:
        fixed = name.replace("/", "-").replace("%", "-").strip(".") or None
        return fixed if fixed and fixed != name and not check(fixed, False) else None
    keep_dots = check is name_is_dns_subdomain
    allowed = r"[^a-z0-9.-]" if keep_dots else r"[^a-z0-9-]"
    fixed = re.sub(allowed, "-", name.lower())
    fixed = re.sub(r"-{2,}", "-", fixed).strip("-.")
    if check is name_is_dns1035_label and fixed[:1].isdigit():
        fixed = "svc-" + fixed
    if not fixed or fixed == name or check(fixed, False):
        return None
    return fixed


class NameFormat(Rule):
    meta = RuleMeta(
        id="name-format",
        severity=Severity.ERROR,
        summary="An object name is not in the format the API server requires for its kind",
        what=(
            "Checks `metadata.name` (or the `generateName` prefix, whose trailing `-` is allowed) "
            "against the API server's rule for the kind: a DNS-1035 label for Service (at most "
            "63 characters, lower case, starting with a letter), a DNS-1123 label for Namespace, "
            "and a DNS-1123 subdomain (at most 253 characters of lower-case alphanumerics, `-` "
            "and `.`) for Ingress, IngressClass, EndpointSlice, Endpoints, Secret, ConfigMap, "
            "ServiceAccount, Node, LimitRange, ResourceQuota, StorageClass, PriorityClass, "
            "RuntimeClass, ResourceClaim(Template) and the workload kinds. Every other kind (RBAC objects, custom resources, aggregated APIs) "
            "gets the check the API server's generic store makes for all of them: a name is a "
            "segment of the object's URL, so it may not be `.` or `..` nor contain `/` or `%` "
            "(`system:aggregated-metrics-reader` is a valid ClusterRole name). A generateName "
            "is checked as the prefix it is, and so is the name the API server generates from "
            "it (the prefix cut to 58 characters and 5 random ones)."
        ),
        why=(
            'The API server refuses the object (`metadata.name: Invalid value: "1web": a '
            "DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            "with an alphabetic character ...`), so nothing that refers to it works."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: 2nd_Web\nspec:\n"
            "  ports:\n  - port: 80\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-2\nspec:\n"
            "  ports:\n  - port: 80\n"
        ),
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
        tags=("names",),
        facts=("SVC-01", "ING-01", "IC-01", "EPS-01", "EP-01", "DNS-05"),
        fixable="sometimes",
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        meta = as_map(dig(manifest.data, "metadata"))
        if meta is None:
            return  # no name at all: `manifest-shape`
        check, format_name = name_rule(manifest)
        why = _WHY_SERVICE if manifest.kind == "Service" else ""
        for located in validate_object_meta_names(meta, check):
            field = str(located.at[-1])
            value = str(meta.get(field) or "")
            base = value[:-1] if field == "generateName" and value.endswith("-") else value
            fixed = suggest(base, check)
            tail = "-" if fixed and base != value else ""
            rename = f"rename it, e.g. to {fixed + tail!r}; " if fixed else ""
            hint = f"{rename}{manifest.kind} names must be {format_name}{why}"
            diagnostic = refusal(manifest, located.error, hint=hint)
            fix = _lower_case(manifest, ctx, field, value, check)
            yield replace(diagnostic, path=located.at, on_key=located.on_key, fix=fix)


def _lower_case(
    manifest: Manifest, ctx: RuleContext, field: str, name: str, check: NameFn
) -> Fix | None:
    """`metadata.name` in lower case, when that is all that is wrong with it, no object of the
    kind has that name already, and no other object of the input may refer to this one by its
    written name (`may_be_referred_to`). Unsafe: what refers to the name from outside the input
    must follow."""
    lower = name.lower()
    if field != "name" or lower == name or check(lower, False):
        return None
    if ctx.inventory.get(manifest.kind_key, manifest.namespace, lower) is not None:
        return None
    if may_be_referred_to(ctx.inventory, manifest, name):
        return None
    path = ("metadata", "name")
    return unsafe_fix(f"rename it to {lower}", replace_string(manifest, path, lower))
