"""`ingress-tls-host`: a TLS host that no rule of the Ingress serves."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str, capped, dig, items_at

from ._ingress import host_matches


class IngressTlsHost(Rule):
    meta = RuleMeta(
        id="ingress-tls-host",
        severity=Severity.WARNING,
        summary="An Ingress TLS host matches no host of its rules",
        what=(
            "Reports a `spec.tls[].hosts[]` entry that no `spec.rules[].host` matches. A wildcard "
            "matches exactly one label (`*.foo.com` covers `bar.foo.com`, not `foo.com` nor "
            "`a.b.foo.com`), in either direction. An Ingress with a rule without host, or with "
            "only a default backend, serves every host and is not reported."
        ),
        why=(
            "The API server does not compare TLS hosts with rule hosts (ING-23). A TLS host that "
            "no rule serves is usually a typo or a leftover: the certificate is configured for a "
            "name that routes nowhere, while the real host may be served without it."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  tls:\n  - hosts: [www.example.com]\n    secretName: "
            "web-tls\n"
            "  rules:\n  - host: example.com\n    http:\n      paths:\n      - path: /\n"
            "        pathType: Prefix\n        backend:\n          service: "
            "{name: web, port: {number: 80}}\n"
        ),
        fix="List the same host in `tls[].hosts` and in `rules[].host`.",
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        tags=("ingress", "tls"),
        facts=("ING-05", "ING-23"),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        rule_hosts: list[str] = []
        for _, rule in items_at(manifest.data, "spec", "rules"):
            host = as_str(dig(rule, "host"))
            if not host:
                return  # a rule without host serves every host
            rule_hosts.append(host)
        if not rule_hosts:
            return  # only a default backend: every host
        for t_index, item in items_at(manifest.data, "spec", "tls"):
            for h_index, host_node in items_at(item, "hosts"):
                host = as_str(host_node)
                if not host:
                    continue
                if any(host_matches(rule, host) or host_matches(host, rule) for rule in rule_hosts):
                    continue
                distinct = sorted(set(rule_hosts))
                shown = capped(distinct, len(distinct))
                yield Diagnostic(
                    ("spec", "tls", t_index, "hosts", h_index),
                    f"{manifest.ref} lists TLS host {host!r}, which no rule host matches "
                    f"(rule hosts: {shown})",
                    hint="add a rule for this host, or fix the host name in tls[].hosts",
                )
