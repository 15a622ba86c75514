"""`service-ip-fields`: cluster IPs, IP families, external IPs or source ranges of a Service
that the API server refuses when it is created."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import delete_copy, replace_string, safe_fix
from netlint.k8s import CIDR_TEXT, IP_TEXT, ErrorType, FieldError, dig, items_at

from ..workload._workload import refusal_of
from ._service_validation import IP_FIELDS_RULE, service_refusals


def _hint(error: FieldError) -> str | None:
    field = next((step for step in error.path if isinstance(step, str) and step != "spec"), "")
    if error.detail == CIDR_TEXT:
        return "write a CIDR such as 203.0.113.0/24 (a /32 for a single IPv4 address)"
    if error.detail == IP_TEXT:
        return "write a bare IP address, such as 10.96.0.10 (no brackets, port, name or prefix)"
    if "RequireDualStack" in error.detail:
        return "set `ipFamilyPolicy: PreferDualStack` (or RequireDualStack), or keep one value"
    if field == "externalIPs":
        return "an external IP is one that routes to the cluster's nodes; remove special addresses"
    if field == "ipFamilies" and error.type is ErrorType.DUPLICATE:
        return "list each IP family once: [IPv4], [IPv6], [IPv4, IPv6] or [IPv6, IPv4]"
    if "first value must match" in error.detail or "must be empty" in error.detail:
        return "make clusterIPs[0] the clusterIP, or remove clusterIPs and let it follow clusterIP"
    if "ipFamilies[" in error.detail:
        return "give each cluster IP the family its ipFamilies entry names, or drop ipFamilies"
    if field == "clusterIPs":
        return "at most one IPv4 and one IPv6 address; `None` (headless) only alone"
    return None


class ServiceIpFields(Rule):
    meta = RuleMeta(
        id=IP_FIELDS_RULE,
        severity=Severity.ERROR,
        summary="Cluster IPs, IP families, external IPs or source ranges the API server refuses",
        what=(
            "Reports what the API server refuses in a v1 Service's IP fields when it is "
            "created (`ValidateServiceClusterIPsRelatedFields`, `ValidateService`, the "
            "registry's `initIPFamilyFields`): `clusterIPs[0]` different from `clusterIP`, or "
            "`clusterIPs` without `clusterIP`; a cluster IP that is not an IP, `None` beside "
            "another value, more than two cluster IPs or two of one family, a cluster IP of "
            "another family than its `ipFamilies` entry; an IP family listed twice; two "
            "cluster IPs or two families with `ipFamilyPolicy` SingleStack (the default when "
            "the policy is left out, except for a headless Service without selector); an "
            "external IP that is not an IP or is unspecified, loopback or link-local; a "
            "`loadBalancerSourceRanges` entry, or an entry of the "
            "`service.beta.kubernetes.io/load-balancer-source-ranges` annotation, that is not "
            "a CIDR. These fields on a type that forbids them are `service-type-fields`', the "
            "family and policy values the schema's. The message is the API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the whole Service, so its clients "
            "reach nothing. A cluster IP names one address per IP family, and a SingleStack "
            "Service gets one; a loopback or link-local external IP would capture traffic "
            "meant for each node itself; a source range that is not a CIDR cannot be "
            "programmed into the load balancer's firewall."
            " Severity: every finding is a rejection of the API server or of the registry's create step."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns\n  namespace: kube-system\n"
            "spec:\n  selector: {app: dns}\n  clusterIP: 10.96.0.10\n"
            "  clusterIPs: [10.96.0.11]\n  externalIPs: [127.0.0.1]\n  ports:\n"
            "  - {name: dns, port: 53, protocol: UDP}\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns\n  namespace: kube-system\n"
            "spec:\n  selector: {app: dns}\n  clusterIP: 10.96.0.10\n"
            "  clusterIPs: [10.96.0.10]\n  externalIPs: [203.0.113.10]\n  ports:\n"
            "  - {name: dns, port: 53, protocol: UDP}\n"
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/dual-stack/",
        tags=("service", "api-validation"),
        facts=("SVC-27", "SVC-28", "SVC-29", "SVC-32", "SVC-33", "SVC-40", "SVC-41"),
        fixable="sometimes",
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in service_refusals(manifest, IP_FIELDS_RULE, ctx.settings.kube_version):
            yield dataclasses.replace(
                refusal_of(manifest, error, _hint(error)), fix=_fix(manifest, error)
            )


def _fix(manifest: Manifest, error: FieldError) -> Fix | None:
    """Safe fixes of refusals whose meaning is certain: an IP family listed twice (the copy
    removed), and `none` for the headless `None` (in clusterIP and clusterIPs)."""
    if error.type is ErrorType.DUPLICATE and error.path[:2] == ("spec", "ipFamilies"):
        return safe_fix("remove the copy", delete_copy(manifest, error.path))
    if error.detail != IP_TEXT or not isinstance(error.value, str):
        return None
    if error.value.lower() != "none":
        return None
    paths: list[Path] = [("spec", "clusterIP")]
    paths += [
        ("spec", "clusterIPs", index) for index, _ in items_at(manifest.data, "spec", "clusterIPs")
    ]
    edits = [
        replace_string(manifest, path, "None")
        for path in paths
        if isinstance(value := dig(manifest.data, *path), str)
        and value.lower() == "none"
        and value != "None"
    ]
    return safe_fix("write None (headless)", *edits) if edits else None
