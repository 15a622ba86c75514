"""`ingress-host-format`: an Ingress host that the API server rejects."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.findings import Path
from netlint.model.access import as_str, dig, items_at
from netlint.model.k8s_names import (
    dns1123_subdomain_problems,
    parse_ip,
    wildcard_subdomain_problems,
)


def _hint(host: str) -> str | None:
    if ":" in host and parse_ip(host) is None:
        return "remove the port: an Ingress host matches the Host header without its port"
    if host != host.lower():
        return f"use lower case: {host.lower()!r}"
    if "*" in host:
        return "a wildcard may only be the whole first label, as in '*.example.com'"
    if host.startswith(("http://", "https://")) or "/" in host:
        return "a host is a DNS name only: no scheme, no path"
    return None


def _problems(host: str, *, check_ip: bool) -> list[str]:
    if check_ip and parse_ip(host) is not None:
        return ["must be a DNS name, not an IP address"]
    if "*" in host:
        return wildcard_subdomain_problems(host)
    return dns1123_subdomain_problems(host)


class IngressHostFormat(Rule):
    meta = RuleMeta(
        id="ingress-host-format",
        severity=Severity.ERROR,
        summary="An Ingress host is not a valid DNS name",
        what=(
            "Validates `spec.rules[].host` and `spec.tls[].hosts[]` as the API server does: a "
            "lowercase DNS-1123 subdomain, or `*.` followed by one (the wildcard only as the "
            "whole first label). A rule host must not be an IP address; a `:port` or upper case "
            "is rejected."
        ),
        why=(
            "`kubectl apply` fails with `spec.rules[0].host: Invalid value`, so nothing of the "
            "Ingress is applied (ING-03, ING-04, ING-21)."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  rules:\n  - host: Shop.example.com:443\n    http:\n"
            "      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n"
            "          service: {name: web, port: {number: 80}}\n"
        ),
        fix="Use `host: shop.example.com`: lower case, no port, no scheme.",
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards",
        tags=("ingress",),
        facts=("ING-03", "ING-04", "ING-21"),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for r_index, rule in items_at(manifest.data, "spec", "rules"):
            host = as_str(dig(rule, "host"))
            if host:
                yield from self._host(
                    manifest, ("spec", "rules", r_index, "host"), host, check_ip=True
                )
        for t_index, item in items_at(manifest.data, "spec", "tls"):
            for h_index, node in items_at(item, "hosts"):
                host = as_str(node)
                if host:
                    path: Path = ("spec", "tls", t_index, "hosts", h_index)
                    yield from self._host(manifest, path, host, check_ip=False)

    @staticmethod
    def _host(manifest: Manifest, path: Path, host: str, *, check_ip: bool) -> Iterator[Diagnostic]:
        problems = _problems(host, check_ip=check_ip)
        if problems:
            yield Diagnostic(
                path,
                f"{manifest.ref} host {host!r} is invalid: {'; '.join(problems)}",
                hint=_hint(host),
            )
