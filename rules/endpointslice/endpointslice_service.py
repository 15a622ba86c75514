"""`endpointslice-service`: the `kubernetes.io/service-name` label links to nothing (EPS-19)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_map, dig, qualified

from ._endpointslice import SERVICE_NAME_LABEL, SERVICE_NAME_PATH, linked_service


class EndpointSliceService(Rule):
    meta = RuleMeta(
        id="endpointslice-service",
        severity=Severity.WARNING,
        summary="An EndpointSlice has no kubernetes.io/service-name label, or names no Service",
        what=(
            "The `kubernetes.io/service-name` label is the only link from an EndpointSlice to its "
            "Service (the slice's name means nothing). Reports a slice without it (warning), a "
            "slice whose Service exists only in another namespace (error: the link works only "
            "inside the slice's namespace), and one whose Service is not in the linted files "
            "(warning; declare it under `external: {services: [...]}` if it lives elsewhere). "
            "A missing label is a warning, not an error: the API server and every controller "
            "accept the slice, and a slice need not belong to a Service (other consumers read "
            "slices too); the Service that was meant to get its endpoints is "
            "`service-no-endpoints`'s warning."
        ),
        why=(
            "The API server does not validate the label, so the slice is accepted, but kube-proxy "
            "and the DNS server group slices by it: a slice without it, or with a name that is "
            "not a Service of its namespace, carries no traffic at all."
        ),
        example=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            'addressType: IPv4\nports:\n- port: 5432\nendpoints:\n- addresses: ["10.0.3.17"]\n'
        ),
        fix=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n"
            '- port: 5432\nendpoints:\n- addresses: ["10.0.3.17"]\n'
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#ownership",
        tags=("endpointslice", "references"),
        facts=("EPS-19", "EPS-24"),
    )
    kinds = frozenset({"EndpointSlice"})
    settles_locally = True  # it reports only a Service that is missing

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        raw = manifest.labels.get(SERVICE_NAME_LABEL)
        if raw is not None and not isinstance(raw, str):
            return  # a boolean or a number: yaml-ambiguous-value's (or `schema`'s)
        linked = linked_service(manifest, ctx)
        if linked is not None:
            name, resolution = linked
            if resolution.found:
                return
            if resolution.elsewhere:
                yield Diagnostic(
                    SERVICE_NAME_PATH,
                    f"{manifest.ref} belongs to Service {name!r}, which is not in "
                    f"namespace {manifest.namespace} but only in {resolution.elsewhere_text()}; a "
                    "slice serves only a Service of its own namespace",
                    severity=Severity.ERROR,
                    hint=f"move the EndpointSlice to the namespace of Service {name}",
                )
                return
            yield Diagnostic(
                SERVICE_NAME_PATH,
                f"{manifest.ref} belongs to Service {qualified(manifest.namespace, name)}, "
                "which is not found in the linted files",
                severity=Severity.WARNING,
                hint="lint it together with its Service, or declare the Service in config "
                "`external: {services: [...]}`",
            )
            return
        path: Path = ("metadata",)
        if SERVICE_NAME_LABEL in manifest.labels:
            path = SERVICE_NAME_PATH
        elif as_map(dig(manifest.data, "metadata", "labels")) is not None:
            path = ("metadata", "labels")
        label = "an empty" if SERVICE_NAME_LABEL in manifest.labels else "no"
        yield Diagnostic(
            path,
            f"{manifest.ref} has {label} {SERVICE_NAME_LABEL} label: kube-proxy and "
            "DNS ignore it, so its endpoints serve no Service",
            on_key=True,
            hint=f"add the label `{SERVICE_NAME_LABEL}: <service name>` naming the Service in "
            "the same namespace",
        )
