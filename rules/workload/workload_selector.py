"""`workload-selector`: a workload's selector the API server refuses, or that its pod template's
labels do not carry."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import ErrorType, FieldError, dig, label_list, string_map

from ._core_validation import MISMATCH_DETAIL
from ._meta_validation import selector_matches
from ._workload import SELECTOR, SELECTOR_KINDS, WORKLOADS_DOCS, errors_of, refusal_of


def _hint(manifest: Manifest, error: FieldError) -> str | None:
    if error.type is ErrorType.REQUIRED and error.path[-1:] == ("selector",):
        if manifest.kind == "ReplicationController":
            return "add spec.selector, or labels to the pod template (an absent selector is them)"
        return (
            "add spec.selector.matchLabels with labels of the pod template "
            "(apps/v1 never fills the selector in from them)"
        )
    if error.detail != MISMATCH_DETAIL:
        return None
    template = error.path[:-2]
    selector = dig(manifest.data, *template[:-1], "selector")
    if manifest.kind == "ReplicationController":
        selector = {"matchLabels": selector}
    owner_labels = dig(manifest.data, "metadata", "labels")
    pod_labels = label_list(string_map(dig(manifest.data, *template, "metadata", "labels")))
    if selector is not None and selector_matches(selector, owner_labels):
        return (
            f"the selector matches the {manifest.kind}'s own metadata.labels, but a selector "
            "matches the pod template's labels, not the workload's: add its labels to "
            f"spec.template.metadata.labels (now {pod_labels})"
        )
    return f"make the selector a subset of the pod template's labels ({pod_labels})"


class WorkloadSelector(Rule):
    meta = RuleMeta(
        id="workload-selector",
        severity=Severity.ERROR,
        summary="A workload selector the API server refuses, or that its pod template does not carry",
        what=(
            "Reports what the API server refuses in the selector of a Deployment, ReplicaSet, "
            "DaemonSet or StatefulSet (apps/v1), a ReplicationController, a Job or a CronJob "
            "(batch/v1) when it is created: a missing selector (apps/v1 never fills it in from "
            "the template's labels), an empty one, invalid label keys and values, "
            "`matchExpressions` with an unknown operator or the wrong number of values, a "
            "selector that the pod template's labels (`spec.template.metadata.labels`) do not "
            'carry ("`selector` does not match template `labels`"), invalid template labels; '
            "for Jobs without `manualSelector: true`, a selector the API server would not "
            "generate and a `job-name` template label that is not the Job's name; for CronJobs, "
            "any selector in the job template. A ReplicationController without a selector "
            "takes its template's labels, as the API server defaults it. The message is the "
            "API server's own, with a hint when the selector matches the workload's "
            "metadata labels instead of the template's."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the object, so no pods are created "
            "and every Service that selects them has no endpoints. The selector is how the "
            "controller finds its pods; Services select the template's labels too, which is "
            "why the template must carry them."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
            "  labels: {app: web}\nspec:\n  selector:\n    matchLabels: {app: web}\n"
            "  template:\n    metadata:\n      labels: {app: frontend}\n    spec:\n"
            "      containers: [{name: web, image: nginx}]\n"
        ),
        fix=(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
            "  labels: {app: web}\nspec:\n  selector:\n    matchLabels: {app: web}\n"
            "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n"
            "      containers: [{name: web, image: nginx}]\n"
        ),
        help_uri=WORKLOADS_DOCS + "controllers/deployment/#selector",
        tags=("workload", "api-validation"),
    )
    kinds = SELECTOR_KINDS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in errors_of(manifest, ctx.settings, SELECTOR):
            yield refusal_of(manifest, error, _hint(manifest, error))
