"""`service-externalname`: an ExternalName Service without a valid `externalName`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import replace_string, safe_fix, unsafe_fix
from netlint.k8s import ErrorType, FieldError, as_str, dig, dns1123_subdomain_problems, parse_ip

from ..workload._workload import refusal_of
from ._service import EXTERNAL_NAME, SERVICE_DOCS, service_type
from ._service_validation import EXTERNAL_NAME_RULE, service_refusals


class ServiceExternalName(Rule):
    meta = RuleMeta(
        id=EXTERNAL_NAME_RULE,
        severity=Severity.ERROR,
        summary="An ExternalName Service without a valid DNS name in `externalName`",
        what=(
            "For a v1 `type: ExternalName` Service, reports what `ValidateService` refuses in "
            "`externalName`: missing or empty, or not a lowercase RFC 1123 subdomain once one "
            "trailing dot is trimmed (a URL with a scheme, port or path fails, as do upper-case "
            "letters and underscores), in the API server's words. An IP address passes the API "
            "server's check and is reported as a warning."
        ),
        why=(
            "The API server rejects the Service (`spec.externalName: Required value`, or "
            "`Invalid value` with the RFC 1123 subdomain text). Severity: the errors are that "
            "rejection; an IP literal is only a warning, because it is accepted, though it is "
            "published as a DNS CNAME to a name made of digits, which never resolves."
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
        fixable="sometimes",
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        refused = False
        for error in service_refusals(manifest, EXTERNAL_NAME_RULE, ctx.settings.kube_version):
            refused = True
            yield dataclasses.replace(
                refusal_of(manifest, error, _hint(manifest, error)), fix=_fix(manifest, error)
            )
        if refused or manifest.api_version != "v1" or service_type(manifest) != EXTERNAL_NAME:
            return
        value = as_str(dig(manifest.data, "spec", "externalName")) or ""
        if parse_ip(value.removesuffix(".")) is not None:
            yield Diagnostic(
                ("spec", "externalName"),
                f"{manifest.ref} externalName {value!r} is an IP address: the API server accepts it, but "
                "it is served as a CNAME to a name made of digits, which never resolves",
                severity=Severity.WARNING,
                hint=(
                    "for a fixed IP, use a Service without selector and an EndpointSlice with "
                    "that address"
                ),
            )


def _hint(manifest: Manifest, error: FieldError) -> str:
    if error.type is ErrorType.REQUIRED:
        return "add `externalName: db.example.com` (the host name to return as CNAME)"
    value = as_str(dig(manifest.data, "spec", "externalName")) or ""
    host = _host_of_url(value)
    if host:
        return f"use the bare host name: externalName: {host}"
    return "use a lowercase DNS name such as db.example.com"


def _fix(manifest: Manifest, error: FieldError) -> Fix | None:
    """A refused externalName written as the host name it holds: in lower case (safe: DNS names
    are case-insensitive), or a URL's host (unsafe: the scheme, port and path are dropped)."""
    path = ("spec", "externalName")
    value = dig(manifest.data, *path)
    if error.path != path or error.type is ErrorType.REQUIRED or not isinstance(value, str):
        return None
    lower = value.lower()
    if lower != value and not dns1123_subdomain_problems(lower.removesuffix(".")):
        return safe_fix("use lower case", replace_string(manifest, path, lower))
    host = _host_of_url(value)
    if host is not None:
        return unsafe_fix(f"use the host name {host}", replace_string(manifest, path, host))
    return None


def _host_of_url(value: str) -> str | None:
    """`db.example.com` for `https://DB.example.com:5432/x`, when that is a valid host name;
    None for an IP address (`2001:db8::1` holds no host name before its first colon)."""
    if parse_ip(value.strip("[]")) is not None:
        return None
    rest = value.partition("://")[2] or value
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower()
    if host and host != value and not dns1123_subdomain_problems(host.rstrip(".")):
        return host
    return None
