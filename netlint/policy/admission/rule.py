"""`AdmissionPolicyRule`: a ValidatingAdmissionPolicy with its bindings, as one rule whose id is
the policy's name. Each object of the input is judged as the API server judges its CREATE:
matched by the policy's `matchConstraints` and each binding's `matchResources`, evaluated once
per parameter object, and every failure is a finding whose severity is the binding's
`validationActions` (Deny: error, Warn: warning, Audit: info)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Rule, RuleContext, RuleMeta
from netlint.findings import Severity
from netlint.input.document import Node
from netlint.k8s import namespace_labels
from netlint.model.manifest import Manifest
from netlint.model.namespace import APPLY_NAMESPACE
from netlint.policy.admission.evaluate import (
    Compiled,
    Failure,
    Unknown,
    compile_policy,
    evaluate,
)
from netlint.policy.admission.matching import OPERATION, match_verdict, rule_verdict
from netlint.policy.admission.params import resolve_params
from netlint.policy.admission.references import offline_gap, reads_namespace_object
from netlint.policy.admission.resources import (
    RequestResource,
    object_at_admission,
    request_resource,
)
from netlint.policy.admission.spec import AdmissionPolicy, Binding

HELP_URI = "https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/"
_ACTION_SEVERITY = {"Deny": Severity.ERROR, "Warn": Severity.WARNING, "Audit": Severity.INFO}
# The HTTP status the API server answers a denial with, by the validation's reason.
_STATUS = {"Invalid": 422, "Forbidden": 403, "Unauthorized": 401, "RequestEntityTooLarge": 413}


def binding_severity(binding: Binding) -> Severity:
    return max(_ACTION_SEVERITY[action] for action in binding.actions)


def _expressions(policy: AdmissionPolicy) -> list[str]:
    found = [c.expression for c in policy.match_conditions]
    found += [v.expression for v in policy.variables]
    for validation in policy.validations:
        found.append(validation.expression)
        if validation.message_expression:
            found.append(validation.message_expression)
    return found


def _meta(policy: AdmissionPolicy, bindings: tuple[Binding, ...]) -> RuleMeta:
    checks = "; ".join(f"`{v.expression.strip()}`" for v in policy.validations) or "none"
    bound = (
        ", ".join(f"{b.name} ({'/'.join(b.actions)})" for b in bindings)
        or "none (the policy has no effect)"
    )
    return RuleMeta(
        id=policy.name,
        severity=max((binding_severity(b) for b in bindings), default=Severity.ERROR),
        summary=policy.description
        or f"ValidatingAdmissionPolicy {policy.name}, evaluated as the API server would",
        what=(
            f"Evaluates the ValidatingAdmissionPolicy {policy.name} ({policy.source}) as the API "
            f"server would for the CREATE of each object it and its bindings match. "
            f"Validations: {checks}. Bindings: {bound}."
        ),
        why=(
            "The API server refuses (Deny), warns about (Warn) or audits (Audit) an object that "
            "fails an admission policy when it is created; netlint says so before it is applied."
        ),
        help_uri=HELP_URI,
        tags=("policy", "admission"),
        options=f"its ValidatingAdmissionPolicyBindings: {bound}",
    )


def _wording(binding: Binding, policy: str) -> str:
    if "Deny" in binding.actions:
        return f"ValidatingAdmissionPolicy '{policy}' with binding '{binding.name}' denied request"
    if "Warn" in binding.actions:
        return f"Validation failed for ValidatingAdmissionPolicy '{policy}' with binding '{binding.name}'"
    return f"ValidatingAdmissionPolicy '{policy}' with binding '{binding.name}' audits a failure"


def _hint(binding: Binding, failure: Failure) -> str:
    if "Deny" in binding.actions:
        status = _STATUS.get(failure.reason, 422)
        return (
            f"the API server refuses this object when it is created ({status} {failure.reason}): "
            "change it to pass the policy, or exempt it in the binding"
        )
    if "Warn" in binding.actions:
        return "the API server admits it with this warning: change it to pass the policy"
    return "the API server admits it and records the failure in the audit log"


def _request(manifest: Manifest, resource: RequestResource) -> dict[str, object]:
    """The AdmissionRequest of a CREATE (admission.k8s.io/v1), without what only the cluster
    knows: `userInfo`, `uid`, and the namespace an object without one is applied to."""
    gvk = {"group": resource.group, "version": resource.version, "kind": resource.kind}
    gvr = {"group": resource.group, "version": resource.version, "resource": resource.resource}
    request: dict[str, object] = {
        "kind": gvk,
        "resource": gvr,
        "requestKind": gvk,
        "requestResource": gvr,
        "name": manifest.name,
        "operation": OPERATION,
        "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
    }
    if manifest.namespace is None:
        request["namespace"] = ""
    elif manifest.namespace != APPLY_NAMESPACE:
        request["namespace"] = manifest.namespace
    return request


class AdmissionPolicyRule(Rule):
    """A ValidatingAdmissionPolicy and the bindings that name it."""

    def __init__(self, policy: AdmissionPolicy, bindings: tuple[Binding, ...]) -> None:
        self.policy = policy
        self.bindings = bindings
        self.meta = _meta(policy, bindings)
        expressions = _expressions(policy)
        gap = offline_gap(expressions)
        # Why the policy never applies offline (`--show-settings` says so), None if it may.
        self.not_applied: str | None = (
            f"not applied: {gap}, which netlint cannot know offline"
            if gap is not None
            else None
            if bindings
            else "not applied: no ValidatingAdmissionPolicyBinding names it (nor would the API "
            "server apply it)"
        )
        self._reads_namespace = reads_namespace_object(expressions)
        self._compiled: Compiled | None = None

    # Compiled programs stay in their process; a worker compiles its own (cached there).
    def __getstate__(self) -> dict[str, object]:
        state = dict(vars(self))
        state["_compiled"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)

    def status(self) -> str:
        """How the policy applies offline, for `--show-settings`."""
        if self.not_applied is not None:
            return self.not_applied
        notes = [
            f"binding {b.name}: only where the input holds its {self.policy.param_kind[1]} "
            f"parameter objects"
            for b in self.bindings
            if self.policy.param_kind is not None and b.param_ref is not None
        ]
        return "; ".join(["applies", *notes])

    def applies_to(self, manifest: Manifest) -> bool:
        if self.not_applied is not None:
            return False
        request = request_resource(manifest)
        return any(
            rule_verdict(rule, request, manifest.name) is not False
            for rule in self.policy.match.resource_rules
        )

    def _namespace_object(self, manifest: Manifest, ctx: RuleContext) -> Node:
        """`namespaceObject`; raises Unknown when the policy reads it and the input lacks it."""
        namespace = manifest.namespace
        if namespace is None:
            return None
        if namespace != APPLY_NAMESPACE:
            found = ctx.inventory.get("Namespace", None, namespace)
            if found is not None:
                return found.data
            labels = namespace_labels(ctx, namespace)  # config external.namespaces
            if labels is not None:
                return {
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "metadata": {"name": namespace, "labels": dict(labels)},
                }
        if self._reads_namespace:
            raise Unknown
        return None

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        policy = self.policy
        request = request_resource(manifest)
        if match_verdict(policy.match, manifest, request, ctx, rules_required=True) is not True:
            return
        try:
            namespace_object = self._namespace_object(manifest, ctx)
        except Unknown:
            return
        if self._compiled is None:
            self._compiled = compile_policy(policy)
        bindings: dict[str, object] = {
            "object": object_at_admission(manifest),
            "oldObject": None,
            "request": _request(manifest, request),
            "namespaceObject": namespace_object,
        }
        for binding in self.bindings:
            if (
                binding.match is not None
                and match_verdict(binding.match, manifest, request, ctx, rules_required=False)
                is not True
            ):
                continue
            params = resolve_params(policy, binding, manifest, ctx)
            if params is None:
                continue
            failures: list[Failure] = []
            if params.error is not None and policy.failure_policy == "Fail":
                failures.append(
                    Failure(f"failed to configure binding: {params.error}", "Invalid", None)
                )
            for param in params.objects:
                try:
                    failures += evaluate(policy, self._compiled, {**bindings, "params": param})
                except Unknown:
                    continue
            seen: set[str] = set()
            for failure in failures:
                if failure.message in seen:
                    continue  # the same failure with another parameter object
                seen.add(failure.message)
                yield Diagnostic(
                    (),
                    f"{manifest.ref}: {_wording(binding, policy.name)}: {failure.message}",
                    severity=binding_severity(binding),
                    hint=_hint(binding, failure),
                )
