"""`gateway-tls-secret`: a listener certificateRef to a Secret that is missing or not TLS."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import compatible, namespaces_text, qualified

from .._references import TLS_TYPE, cert_manager_shim, secret_type, secret_written
from ._gateway import (
    CORE,
    LISTENER_OWNERS,
    TLS_DOCS,
    core_objects,
    is_gateway_api,
    listeners,
)


class GatewayTlsSecret(Rule):
    meta = RuleMeta(
        id="gateway-tls-secret",
        severity=Severity.INFO,
        summary="A listener certificateRef names a Secret that is missing or not a TLS Secret",
        what=(
            "Checks every `tls.certificateRefs[]` of a Gateway or ListenerSet listener that "
            "names a Secret (the default kind). The Secret is looked up in the ref's "
            "`namespace`, which defaults to the Gateway's. A Secret whose `type` is not "
            "`kubernetes.io/tls` is an error, and so is one that exists only in other "
            "namespaces. A Secret that is nowhere in the linted files is info only (Secrets are "
            "rarely committed), and nothing at all when something will create it: a cert-manager "
            "annotation on the Gateway (`cert-manager.io/cluster-issuer`, `cert-manager.io/"
            "issuer`), a cert-manager `Certificate`, `SealedSecret` or `ExternalSecret` in the "
            "input that writes it, or config `external: {secrets: [...]}`. A cross-namespace ref "
            "without a ReferenceGrant is `route-reference-grant`'s. This is the Gateway API "
            "counterpart of `ingress-tls-secret`."
        ),
        why=(
            "The API server checks neither the Secret's existence nor its type (GW-09). The "
            "listener's `ResolvedRefs` becomes False (`InvalidCertificateRef`) and the "
            "implementation does not serve TLS on it: core support is a Secret of type "
            "`kubernetes.io/tls` with `tls.crt` and `tls.key`."
        ),
        example=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gateway\n"
            "spec:\n  gatewayClassName: example\n  listeners:\n  - name: https\n    port: 443\n"
            "    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - name: site-cert\n"
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: site-cert\ntype: Opaque\n"
        ),
        fix=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gateway\n"
            "spec:\n  gatewayClassName: example\n  listeners:\n  - name: https\n    port: 443\n"
            "    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - name: site-cert\n"
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: site-cert\n"
            "type: kubernetes.io/tls\n"
        ),
        help_uri=TLS_DOCS,
        tags=("gateway-api", "reference", "tls"),
        facts=("GW-09",),
    )
    kinds = LISTENER_OWNERS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        shim = cert_manager_shim(manifest)
        for listener in listeners(manifest):
            for ref in listener.certificate_refs():
                if ref.group != CORE or ref.kind != "Secret":
                    continue
                copies = core_objects(ctx.inventory, "Secret", ref.namespace, ref.name)
                if copies:
                    # Variants of one Secret in several files: a finding when no copy is TLS.
                    problems = [self._type_problem(manifest, ref.name_path, s) for s in copies]
                    first = problems[0]
                    if first is not None and all(problem is not None for problem in problems):
                        yield first
                    continue
                if ctx.settings.external.declares("secrets", ref.namespace, ref.name) or shim:
                    continue
                if secret_written(ctx.inventory, ref.namespace, ref.name):
                    continue
                elsewhere = [
                    m
                    for m in ctx.inventory.named_anywhere("Secret", ref.name)
                    if m.group == CORE and not compatible(m.namespace, ref.namespace)
                ]
                if elsewhere:
                    yield Diagnostic(
                        ref.name_path,
                        f"{manifest.ref} listener {listener.describe()} uses TLS Secret "
                        f"{ref.name!r} in namespace {ref.namespace}, which is not there but "
                        f"exists in {namespaces_text(elsewhere)}",
                        severity=Severity.ERROR,
                        hint=(
                            f"set `namespace: {elsewhere[0].namespace}` on the certificateRef "
                            "(with a ReferenceGrant there), or create the Secret in namespace "
                            f"{ref.namespace}"
                        ),
                    )
                    continue
                yield Diagnostic(
                    ref.name_path,
                    f"{manifest.ref} listener {listener.describe()} uses TLS Secret "
                    f"{qualified(ref.namespace, ref.name)}, which is not found in the linted files",
                    hint=(
                        "fine if it is created outside these files; declare it: "
                        f"external: {{secrets: [{qualified(ref.namespace, ref.name)}]}}"
                    ),
                )

    @staticmethod
    def _type_problem(manifest: Manifest, path: Path, secret: Manifest) -> Diagnostic | None:
        secret_kind = secret_type(secret)
        if secret_kind == TLS_TYPE:
            return None
        return Diagnostic(
            path,
            f"{manifest.ref} uses {secret.ref} as a certificate, but its type is "
            f"{secret_kind!r}, not {TLS_TYPE!r}: Gateway implementations only support TLS "
            "Secrets",
            severity=Severity.ERROR,
            hint=(
                f"create it with `kubectl create secret tls` (type {TLS_TYPE}, keys tls.crt and "
                "tls.key)"
            ),
        )
