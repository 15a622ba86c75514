"""`statefulset-service`: a StatefulSet's governing Service (`spec.serviceName`) that gives its pods
no per-pod DNS names: refused, missing, not headless, or not selecting the pods."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from netlint.api import (
    Diagnostic,
    Inventory,
    Manifest,
    PodTemplate,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import (
    ByNamespace,
    Resolution,
    as_int,
    as_str,
    dig,
    invalid,
    label_list,
    namespace_phrase,
    pod_templates,
    qualified,
    resolve,
)

from .._references import problems_on_every_copy
from ..input.deprecated_api import minor_of
from ..service._service import (
    EXTERNAL_NAME,
    is_headless,
    pairs,
    service_type,
    string_selector,
)
from ._apps_validation import validate_stateful_set_service_name
from ._workload import refusal_of

STATEFULSET_DOCS = (
    "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id"
)
_AT = ("spec", "serviceName")
# The first Kubernetes minor whose API server validates `spec.serviceName` itself.
_VALIDATED_SINCE = 33


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A Service of the input, as far as a did-you-mean needs it."""

    name: str
    headless: bool
    selector: dict[str, str] | None


def _candidates(inventory: Inventory) -> ByNamespace[_Candidate]:
    def build(inv: Inventory) -> ByNamespace[_Candidate]:
        index: ByNamespace[_Candidate] = ByNamespace()
        for service in inv.of_kind("Service"):
            selector = string_selector(service)
            index.add(
                service.namespace,
                _Candidate(service.name, is_headless(service), dict(selector or {}) or None),
            )
        return index

    return inventory.memo("statefulset-service:services", build)


def _suggestion(name: str, template: PodTemplate | None, others: list[_Candidate]) -> str:
    """The Service the StatefulSet most likely means: a headless one selecting its pods, else the
    nearest name."""
    if template is not None:
        for other in others:
            if other.headless and other.selector and template.matches(other.selector):
                return f"; did you mean {other.name!r} (headless, and selects the pods)?"
    names = sorted({other.name for other in others})
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _peer_severity(manifest: Manifest) -> Severity:
    """Pods without DNS names of their own are very likely broken when there are several of them
    (the peers of a database or a queue find each other by those names); a single replica is
    reached through any Service that selects it, so then it is advice. apps/v1 defaults
    `replicas` to 1."""
    replicas = as_int(dig(manifest.data, "spec", "replicas"))
    return Severity.WARNING if replicas is not None and replicas > 1 else Severity.INFO


def _dns_names(manifest: Manifest, service: str) -> str:
    namespace = manifest.namespace or "<namespace>"
    return f"{manifest.name}-0.{service}.{namespace}.svc"


class StatefulSetService(Rule):
    meta = RuleMeta(
        id="statefulset-service",
        severity=Severity.WARNING,
        summary="A StatefulSet's serviceName that gives its pods no per-pod DNS names",
        what=(
            "Checks the governing Service that an apps/v1 StatefulSet names in `spec.serviceName`. "
            "Error: a name that is not a DNS-1123 label (the API server refuses the StatefulSet "
            "since Kubernetes 1.33, and before that the pods, whose `subdomain` it becomes), and "
            "a Service that exists only in another namespace. Reported too, as a warning when "
            "the StatefulSet has more than one replica and as info for a single one: no Service "
            "of that name in the StatefulSet's namespace, when the input has other Services "
            "there (with the headless Service that selects the pods, or the nearest name, as a "
            "did-you-mean; a namespace without Services in the input gives nothing to judge "
            "against, and config `external: {services: [...]}` declares Services that live "
            "elsewhere); a Service that is not headless (`clusterIP: None`); a headless "
            "Service whose selector does not select the StatefulSet's pod template. An absent "
            "or empty `serviceName` is not reported: the field is optional (marked so since "
            "1.33), and a StatefulSet whose pods need no stable names is fine without one. A "
            "Service without a selector (its endpoints written by hand) is not judged either."
        ),
        why=(
            "The governing Service exists for one thing: the stable DNS name of each pod "
            "(`web-0.web.shop.svc`), which the peers of a database or a queue use to find each "
            "other. The cluster DNS publishes those names only for a headless Service of the "
            "StatefulSet's own namespace whose endpoints are the pods; otherwise they never "
            "resolve, and the API server says nothing. Until 1.33 the schema marked the field "
            "required, so many manifests fill it with the name of the ordinary client Service, "
            "harmless for a single replica that nobody addresses by its pod name: hence info "
            "there, and a warning where there are peers."
        ),
        example=(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: shop\n"
            "spec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n"
            "    metadata:\n      labels: {app: db}\n    spec:\n"
            "      containers: [{name: db, image: postgres}]\n---\napiVersion: v1\nkind: Service\n"
            "metadata:\n  name: db\n  namespace: shop\nspec:\n  selector: {app: db}\n"
            "  ports: [{port: 5432}]\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: shop\nspec:\n"
            "  clusterIP: None\n  selector: {app: db}\n  ports: [{port: 5432}]\n"
        ),
        help_uri=STATEFULSET_DOCS,
        tags=("workload", "reference"),
    )
    kinds = frozenset({"StatefulSet"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if manifest.api_version != "apps/v1":
            return  # not served: deprecated-api
        refused = False
        # Only the name's own errors (`errors_of(..., STATEFULSET_SERVICE)` gives the same ones):
        # this check asks the inventory, so it runs again in the cross-file stage, where the
        # validation the workload rules share (a StatefulSet's whole template) is derived anew.
        spec_errors = validate_stateful_set_service_name(dig(manifest.data, "spec"), ("spec",))
        for error in spec_errors:
            refused = True
            hint = "use the name of a Service: lowercase letters, digits and '-'"
            if minor_of(ctx.settings.kube_version) >= _VALIDATED_SINCE:
                yield dataclasses.replace(
                    refusal_of(manifest, error, hint), severity=Severity.ERROR
                )
                continue
            subdomain = invalid(("spec", "subdomain"), error.value, error.detail)
            yield Diagnostic(
                _AT,
                f"{manifest} is accepted (Kubernetes {ctx.settings.kube_version} does not check "
                f"spec.serviceName), but the API server refuses the pods it creates: "
                f"{subdomain.text}",
                severity=Severity.ERROR,
                hint=hint,
            )
        name = as_str(dig(manifest.data, *_AT))
        if refused or not name:
            return  # absent or empty: optional; not a string: schema
        namespace = manifest.namespace
        found = resolve(ctx, "Service", namespace, name, "services")
        if found.external:
            return
        templates = pod_templates(manifest, ctx.settings.workloads)
        template = templates[0] if templates else None
        if found.target is None:
            yield from self._missing(manifest, ctx, name, template, found)
            return
        copies = ctx.inventory.all_named("Service", namespace, name)
        problems = problems_on_every_copy(
            copies, manifest, lambda service: self._judge(manifest, service, template)
        )
        yield from problems[:1]

    def _missing(
        self,
        manifest: Manifest,
        ctx: RuleContext,
        name: str,
        template: PodTemplate | None,
        found: Resolution,
    ) -> Iterator[Diagnostic]:
        namespace = manifest.namespace
        service = qualified(namespace, name)
        if found.elsewhere:
            yield Diagnostic(
                _AT,
                f"{manifest.ref} names Service {name!r} as its governing Service, which is not "
                f"in {namespace_phrase(namespace)} but exists in {found.elsewhere_text()}: pod "
                f"DNS names such as {_dns_names(manifest, name)} only come from a headless "
                "Service of the StatefulSet's own namespace, so they never resolve",
                severity=Severity.ERROR,
                hint=f"add a headless Service {name!r} to {namespace_phrase(namespace)}",
            )
            return
        others = list(_candidates(ctx.inventory).compatible_with(namespace))
        if not others:
            return  # no Service of the namespace in the input: nothing to judge against
        yield Diagnostic(
            _AT,
            f"{manifest.ref} names Service {service} as its governing Service, which is not found "
            f"in the linted files, although they define Services in {namespace_phrase(namespace)}: "
            f"pod DNS names such as {_dns_names(manifest, name)} never resolve without it"
            f"{_suggestion(name, template, others)}",
            severity=_peer_severity(manifest),
            hint=(
                "name the headless Service that selects the pods, lint it together with the "
                "Service's manifest (or pass it with --context), or declare it: "
                f"external: {{services: [{service}]}}"
            ),
        )

    def _judge(
        self, manifest: Manifest, service: Manifest, template: PodTemplate | None
    ) -> list[Diagnostic]:
        """What is wrong with `service` as the governing Service of `manifest`."""
        if not is_headless(service):
            address = (
                "only an alias of another name"
                if service_type(service) == EXTERNAL_NAME
                else "only the Service's cluster IP"
            )
            return [
                Diagnostic(
                    _AT,
                    f"{manifest.ref} names {service.ref} as its governing Service, which is not "
                    f"headless: the pods get no DNS names of their own (such as "
                    f"{_dns_names(manifest, service.name)}), {address}",
                    severity=_peer_severity(manifest),
                    hint=(
                        f"set clusterIP: None on {service.ref} (the field cannot be changed "
                        "in place: recreate it), or add a headless Service for the StatefulSet "
                        "and name it here"
                    ),
                )
            ]
        selector = string_selector(service)
        if template is None or selector is None:
            # No selector: endpoints written by hand. A selector whose values are not all
            # strings is yaml-ambiguous-value's or schema's.
            return []
        if template.matches(selector):
            return []
        return [
            Diagnostic(
                _AT,
                f"{manifest.ref} names {service.ref} as its governing Service, but its selector "
                f"{pairs(selector)} does not select the StatefulSet's pods "
                f"({label_list(template.labels)}): they are not its endpoints and get no DNS "
                f"names (such as {_dns_names(manifest, service.name)})",
                severity=_peer_severity(manifest),
                hint=(
                    f"make the selector of {service.ref} match the pod template's labels "
                    "(spec.template.metadata.labels)"
                ),
            )
        ]
