"""`service-externalname`: an ExternalName Service without a valid `externalName`."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str, dig, dns1123_subdomain_problems, parse_ip

from ._service import EXTERNAL_NAME, SERVICE_DOCS, service_type


class ServiceExternalName(Rule):
    meta = RuleMeta(
        id="service-externalname",
        severity=Severity.ERROR,
        summary="An ExternalName Service without a valid DNS name in `externalName`",
        what=(
            "For `type: ExternalName`, reports a missing or empty `externalName` and one that is "
            "not a lowercase RFC 1123 hostname (one trailing dot allowed): a URL with a scheme, "
            "port or path fails, as do upper-case letters and underscores. An IP address passes "
            "the API server's check but is reported as a warning."
        ),
        why=(
            "The API server rejects the Service (`spec.externalName: Required value`, or the "
            "RFC 1123 subdomain text). An IP literal is accepted but is published as a DNS CNAME "
            "to a name made of digits, which never resolves."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n"
            "  externalName: https://db.example.com:5432/\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n"
            "  externalName: db.example.com\n"
        ),
        help_uri=SERVICE_DOCS + "#externalname",
        tags=("service", "api-validation"),
        facts=("SVC-35",),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if service_type(manifest) != EXTERNAL_NAME:
            return
        ref = str(manifest.ref)
        node = dig(manifest.data, "spec", "externalName")
        if node is not None and as_str(node) is None:
            return  # wrong type: schema
        value = as_str(node) or ""
        if not value:
            yield Diagnostic(
                ("spec", "externalName") if node is not None else ("spec", "type"),
                f"{ref} spec.externalName: Required value: an ExternalName Service needs the DNS "
                "name it aliases",
                hint="add `externalName: db.example.com` (the host name to return as CNAME)",
            )
            return
        name = value[:-1] if value.endswith(".") else value
        problems = dns1123_subdomain_problems(name)
        if problems:
            host = _host_of_url(value)
            yield Diagnostic(
                ("spec", "externalName"),
                f"{ref} externalName {value!r} is invalid: {'; '.join(problems)}",
                hint=(
                    f"use the bare host name: externalName: {host}"
                    if host
                    else "use a lowercase DNS name such as db.example.com"
                ),
            )
            return
        if parse_ip(name) is not None:
            yield Diagnostic(
                ("spec", "externalName"),
                f"{ref} externalName {value!r} is an IP address: the API server accepts it, but "
                "it is served as a CNAME to a name made of digits, which never resolves",
                severity=Severity.WARNING,
                hint=(
                    "for a fixed IP, use a Service without selector and an EndpointSlice with "
                    "that address"
                ),
            )


def _host_of_url(value: str) -> str | None:
    """`db.example.com` for `https://DB.example.com:5432/x`, when that is a valid host name."""
    rest = value.partition("://")[2] or value
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower()
    if host and host != value and not dns1123_subdomain_problems(host.rstrip(".")):
        return host
    return None
