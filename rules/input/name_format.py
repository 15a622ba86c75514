"""`name-format`: an object name the API server refuses for its kind (SVC-01, ING-01, IC-01,
EPS-01, EP-01)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import (
    as_str,
    dig,
    dns1035_label_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
)

Check = Callable[[str], list[str]]

# kind -> (API groups whose kind this is, the name check, how to call the format).
_LABEL_1035 = (dns1035_label_problems, "DNS-1035 labels")
_LABEL_1123 = (dns1123_label_problems, "DNS-1123 labels")
_SUBDOMAIN = (dns1123_subdomain_problems, "DNS-1123 subdomains")
NAME_RULES: dict[str, tuple[frozenset[str], tuple[Check, str]]] = {
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
}

_WHY_SERVICE = (
    ": they become DNS labels and environment variable prefixes, so they start with a letter"
)


def suggest(name: str, check: Check) -> str | None:
    """A nearby valid name (lower case, `_` and other characters as `-`), if there is one."""
    keep_dots = check is dns1123_subdomain_problems
    allowed = r"[^a-z0-9.-]" if keep_dots else r"[^a-z0-9-]"
    fixed = re.sub(allowed, "-", name.lower())
    fixed = re.sub(r"-{2,}", "-", fixed).strip("-.")
    if check is dns1035_label_problems and fixed[:1].isdigit():
        fixed = "svc-" + fixed
    if not fixed or fixed == name or check(fixed):
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
            "and `.`) for Ingress, IngressClass, EndpointSlice, Endpoints, Secret, ConfigMap and "
            "the workload kinds. Kinds whose naming rule differs (RBAC objects, whose names are "
            "path segments such as `system:aggregated-metrics-reader`) or is unknown (custom "
            "resources) are not checked."
        ),
        why=(
            'The API server refuses the object (`metadata.name: Invalid value: "1web": a '
            "DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            "with an alphabetic character ...`), so nothing that refers to it works."
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
    )
    kinds = frozenset(NAME_RULES)

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        groups, (check, format_name) = NAME_RULES[manifest.kind]
        if manifest.group not in groups:
            return
        name = as_str(dig(manifest.data, "metadata", "name"))
        field = "name"
        if not name:
            name = as_str(dig(manifest.data, "metadata", "generateName"))
            field = "generateName"
            if not name:
                return  # no name at all: `manifest-shape`
        # The API server validates a generateName prefix without its trailing dash.
        value = name[:-1] if field == "generateName" and name.endswith("-") else name
        problems = check(value)
        if not problems:
            return
        why = _WHY_SERVICE if manifest.kind == "Service" else ""
        fixed = suggest(value, check)
        hint = f"rename it, e.g. to {fixed!r}" if fixed else None
        if fixed and field == "generateName" and name.endswith("-"):
            hint = f"rename it, e.g. to {fixed + '-'!r}"
        yield Diagnostic(
            ("metadata", field),
            f'metadata.{field}: Invalid value: "{name}": {"; ".join(problems)} ({manifest.kind} '
            f"names must be {format_name}{why}); the API server refuses it",
            hint=hint,
        )
