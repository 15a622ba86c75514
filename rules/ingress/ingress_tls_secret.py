"""`ingress-tls-secret`: a TLS `secretName` that is not a TLS Secret of the Ingress's namespace."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from netlint.api import Diagnostic, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_map, as_str, dig, items_at, qualified, refusal, resolve

from .._references import (
    TLS_TYPE,
    cert_manager_shim,
    problems_on_every_copy,
    secret_type,
    secret_written,
)
from ._ingress import annotation, ingress_refusals
from ._ingress_validation import TLS_SECRET_RULE

TLS_ACME = "kubernetes.io/tls-acme"
SECRET_NAME_HINT = "a Secret name is a DNS subdomain: lowercase letters, digits, '-' and '.'"


def _has_tls_keys(secret: Manifest) -> bool:
    keys: set[str] = set()
    for field in ("data", "stringData"):
        found = as_map(dig(secret.data, field))
        if found is not None:
            keys.update(found)
    return {"tls.crt", "tls.key"} <= keys


def _type_problem(manifest: Manifest, path: Path, secret: Manifest) -> Iterator[Diagnostic]:
    """A Secret that is not `kubernetes.io/tls`: an error, unless it is an Opaque one that
    holds `tls.crt` and `tls.key` (ingress-nginx and GKE read the keys, not the type)."""
    secret_kind = secret_type(secret)
    if secret_kind == TLS_TYPE:
        return
    hint = f"create it with `kubectl create secret tls` (type {TLS_TYPE}, keys tls.crt and tls.key)"
    if secret_kind == "Opaque" and _has_tls_keys(secret):
        yield Diagnostic(
            path,
            f"{manifest.ref} uses {secret.ref} for TLS; it holds tls.crt and tls.key but its "
            f"type is 'Opaque', not {TLS_TYPE!r}: controllers that read the keys accept it, "
            "but the API server does not validate it as a certificate",
            severity=Severity.INFO,
            hint=f"set type: {TLS_TYPE}",
        )
        return
    yield Diagnostic(
        path,
        f"{manifest.ref} uses {secret.ref} for TLS, but its type is {secret_kind!r}, not "
        f"{TLS_TYPE!r}, and it does not hold both tls.crt and tls.key",
        hint=hint,
    )


def _issued_by_cert_manager(manifest: Manifest) -> bool:
    return cert_manager_shim(manifest) or annotation(manifest, TLS_ACME) == "true"


class IngressTlsSecret(Rule):
    meta = RuleMeta(
        id="ingress-tls-secret",
        severity=Severity.ERROR,
        summary="An Ingress TLS secretName is not a TLS Secret in the Ingress's namespace",
        what=(
            "Checks each `spec.tls[].secretName`. A name that is not a Secret name (a DNS "
            "subdomain) is an error worded as the API server refuses it (`validateIngressTLS`). "
            "A Secret that exists only in another namespace "
            "is an error, and so is a Secret whose `type` is not `kubernetes.io/tls` (info only "
            "for an "
            "`Opaque` Secret that holds `tls.crt` and `tls.key`, which ingress-nginx and GKE "
            "accept); with variants of the Secret in several files, only when no variant is a "
            "TLS Secret. A Secret "
            "that is nowhere in the linted files is info only (Secrets are rarely committed), and "
            "nothing at all when something will create it: a cert-manager annotation on the "
            "Ingress (`cert-manager.io/cluster-issuer`, `cert-manager.io/issuer`, "
            '`kubernetes.io/tls-acme: "true"`), a cert-manager `Certificate`, `SealedSecret` or '
            "`ExternalSecret` in the input that writes that Secret, or config "
            "`external: {secrets: [...]}`."
        ),
        why=(
            "The API server checks neither the Secret's existence, nor its type, nor its "
            "namespace (ING-22). An Ingress can only use a Secret of its own namespace: "
            "otherwise the controller serves its default, self-signed certificate and browsers "
            "reject the site."
            " Severity: an error where the controller cannot load a certificate from the Secret (not a Secret name, another namespace, no TLS keys): it serves its default certificate instead, which clients refuse, so HTTPS traffic for those hosts cannot flow; info where netlint cannot see the Secret or controllers accept it."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  ingressClassName: nginx\n  tls:\n"
            "  - hosts: [shop.example.com]\n    secretName: shop-tls\n  rules:\n"
            "  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n"
            "        pathType: Prefix\n        backend:\n          service: "
            "{name: web, port: {number: 80}}\n"
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-tls\n  namespace: default\n"
            "type: kubernetes.io/tls\n"
        ),
        fix=(
            "Create the Secret (type `kubernetes.io/tls`, keys `tls.crt` and `tls.key`) in the "
            "Ingress's namespace, or let cert-manager issue it with a "
            "`cert-manager.io/cluster-issuer` annotation."
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        tags=("ingress", "reference", "tls"),
        facts=("ING-22",),
        gateway_counterpart="gateway-tls-secret",
    )
    kinds = frozenset({"Ingress"})
    # A wrong type needs every copy of the Secret to be wrong: more copies, fewer findings.
    # A missing Secret is reported only after the whole run is asked.
    settles_locally = True

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        refused = {error.path: error for error in ingress_refusals(manifest, TLS_SECRET_RULE)}
        for index, item in items_at(manifest.data, "spec", "tls"):
            name = as_str(dig(item, "secretName"))
            if not name:
                continue  # no secretName: the controller's default certificate, by choice
            path = ("spec", "tls", index, "secretName")
            if path in refused:
                # Not a Secret name: the API server refuses the Ingress; no Secret to look up.
                yield refusal(manifest, refused[path], hint=SECRET_NAME_HINT)
                continue
            # Asked first: where its own file holds a copy, the per-file stage settles the check.
            copies = ctx.inventory.all_named("Secret", manifest.namespace, name)
            if copies:
                # Variants of one Secret in several files: a finding when no copy is TLS.
                yield from problems_on_every_copy(
                    copies, manifest, partial(_type_problem, manifest, path)
                )
                continue
            found = resolve(ctx, "Secret", manifest.namespace, name, "secrets")
            if found.external or _issued_by_cert_manager(manifest):
                continue
            if secret_written(ctx.inventory, manifest.namespace, name):
                continue
            if found.elsewhere:
                yield Diagnostic(
                    path,
                    f"{manifest.ref} uses TLS Secret {name!r}, which is not in namespace "
                    f"{manifest.namespace} but exists in {found.elsewhere_text()}; an Ingress can "
                    "only use Secrets of its own namespace",
                    hint=f"create or copy the Secret into namespace {manifest.namespace}",
                )
                continue
            yield Diagnostic(
                path,
                f"{manifest.ref} uses TLS Secret {qualified(manifest.namespace, name)}, which is not found "
                "in the linted files",
                severity=Severity.INFO,
                hint=(
                    "fine if it is created outside these files; declare it: "
                    f"external: {{secrets: [{qualified(manifest.namespace, name)}]}}"
                ),
            )
