"""`service-exposure`: a Service reachable from outside the cluster (a policy, off by default)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint._builtin.rules.service._service import (
    CLUSTER_IP,
    NODE_PORT_TYPES,
    SERVICE_DOCS,
    service_type,
)

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.model.access import as_list, dig


class ServiceExposure(Rule):
    meta = RuleMeta(
        id="service-exposure",
        severity=Severity.INFO,
        summary="A NodePort or LoadBalancer Service exposes pods outside the cluster",
        what=(
            "Reports every Service of type NodePort or LoadBalancer, and ClusterIP Services with "
            "`externalIPs`. Off by default: a policy that teams enable (`--select "
            "service-exposure`) where workloads should be reached only through an Ingress or a "
            "Gateway. With the parameter `namespace-selector` (a label selector, e.g. `params: "
            "{service-exposure: {namespace-selector: {matchLabels: {exposure: internal}}}}`) it "
            "reports only Services in namespaces whose labels match; the labels come from the "
            "Namespace objects of the input (or `--context`) and config `external.namespaces`, "
            "and a Service whose namespace has unknown labels is not reported."
        ),
        why=(
            "A NodePort opens a port on every node; a LoadBalancer usually gets a public address. "
            "Both bypass the Ingress or Gateway where TLS, authentication and rate limits live."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\nspec:\n  type: LoadBalancer\n"
            "  selector: {app: admin}\n  ports:\n  - port: 80\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\nspec:\n  selector: "
            "{app: admin}\n  ports:\n  - port: 80\n# and route to it from an Ingress or HTTPRoute\n"
        ),
        help_uri=SERVICE_DOCS + "#publishing-services-service-types",
        tags=("service", "security", "policy"),
        security_severity=4.0,
        enabled_by_default=False,
        # The policy's `namespace-selector` parameter (issue 27): this oracle implements only
        # its default, `{}` (every namespace), which is what the comparisons run with.
        options=(
            "`params: {service-exposure: {namespace-selector: ...}}` (label-selector, default "
            "{}): only namespaces whose labels match (as a Namespace's "
            "`matchLabels`/`matchExpressions`); the default `{}` is every namespace"
        ),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        if kind in NODE_PORT_TYPES:
            yield Diagnostic(
                ("spec", "type"),
                f"{manifest.ref} is type {kind}: it is reachable from outside the cluster"
                + (" on a port of every node" if kind == "NodePort" else ""),
                hint="use a ClusterIP Service behind an Ingress or Gateway, if that is the intent",
            )
        elif kind == CLUSTER_IP and as_list(dig(manifest.data, "spec", "externalIPs")):
            yield Diagnostic(
                ("spec", "externalIPs"),
                f"{manifest.ref} has externalIPs: it is reachable from outside the cluster on "
                "those addresses",
                on_key=True,
                hint="route external traffic through an Ingress or Gateway instead",
            )
