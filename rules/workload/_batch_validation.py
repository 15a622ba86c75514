"""The selector and template checks of `pkg/apis/batch/validation/validation.go` for batch/v1 Jobs
and CronJobs.

Unless `manualSelector: true`, the API server generates a Job's selector when it creates it
(`controller-uid=<the new uid>`, plus the `job-name` labels on the template), so a selector the
Job names itself cannot match what is generated: "`selector` not auto-generated". Only what is
certain without the uid is reported: a selector that requires a label the generation never adds,
and a template `job-name` label that is not the Job's name. A CronJob's job template must not
name a selector at all. Parallelism, completions, schedules and the other fields are not
networking: netlint does not judge them.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import FieldError, as_map, as_str, dig, invalid, items_at, not_supported, required

from ._apps_validation import selector_mismatch
from ._core_validation import validate_has_label, validate_pod_template_spec
from ._meta_validation import validate_label_selector

# The labels selector generation puts on a Job's pods (legacy and prefixed).
JOB_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
GENERATED_LABELS = frozenset(
    [*JOB_NAME_LABELS, "controller-uid", "batch.kubernetes.io/controller-uid"]
)


def _requires_other_labels(selector: Node) -> bool:
    """Whether `selector` requires a label that selector generation never puts on the pods."""
    spec = as_map(selector) or {}
    if any(key not in GENERATED_LABELS for key in as_map(spec.get("matchLabels")) or {}):
        return True
    for _, expression in items_at(spec, "matchExpressions"):
        key = as_str(dig(expression, "key"))
        operator = dig(expression, "operator")
        if key is not None and key not in GENERATED_LABELS and operator in ("In", "Exists"):
            return True
    return False


def validate_generated_selector(job: Node) -> Iterator[FieldError]:
    """Follows `ValidateGeneratedSelector` for a Job whose selector is generated."""
    spec = dig(job, "spec")
    if dig(spec, "manualSelector") is True:
        return
    selector = dig(spec, "selector")
    if as_map(selector) is not None and _requires_other_labels(selector):
        yield invalid(("spec", "selector"), selector, "`selector` not auto-generated")
    name = as_str(dig(job, "metadata", "name"))
    if name:
        metadata = dig(spec, "template", "metadata")
        for key in JOB_NAME_LABELS:
            yield from validate_has_label(metadata, ("spec", "template", "metadata"), key, name)


def validate_job_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateJobSpec` with `manualSelector: true` (a generated selector always
    matches the generated labels): the selector is required, valid and carried by the
    template's labels; and `validateJobSpec`'s template."""
    if dig(spec, "manualSelector") is True:
        selector = dig(spec, "selector")
        path = (*fld, "selector")
        if selector is None:
            yield required(path)
        else:
            errors = list(validate_label_selector(selector, path))
            yield from errors
            if not errors:  # an empty selector selects everything: it matches
                yield from selector_mismatch(selector, dig(spec, "template"), (*fld, "template"))
    yield from validate_job_template(spec, fld)


def validate_job_template(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateJobSpec` for the pod template (`ValidatePodTemplateSpec`)."""
    yield from validate_pod_template_spec(dig(spec, "template"), (*fld, "template"))


def validate_job(job: Node) -> Iterator[FieldError]:
    """Follows `ValidateJob`."""
    yield from validate_generated_selector(job)
    yield from validate_job_spec(dig(job, "spec"), ("spec",))


def validate_job_template_spec(job_template: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateJobTemplateSpec`: the template's job spec, whose selector is always
    generated: naming one, or `manualSelector: true`, is refused."""
    spec = dig(job_template, "spec")
    spec_path = (*fld, "spec")
    yield from validate_job_template(spec, spec_path)
    selector = dig(spec, "selector")
    if selector is not None:
        yield invalid((*spec_path, "selector"), selector, "`selector` will be auto-generated")
    if dig(spec, "manualSelector") is True:
        yield not_supported((*spec_path, "manualSelector"), True, ("nil", "false"))


def validate_cron_job_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateCronJobSpec` (`validateCronJobSpec` in newer releases) for its job
    template."""
    yield from validate_job_template_spec(dig(spec, "jobTemplate"), (*fld, "jobTemplate"))


def validate_cron_job(cron_job: Node) -> Iterator[FieldError]:
    """Follows `ValidateCronJob` (`ValidateCronJobCreate` in newer releases)."""
    yield from validate_cron_job_spec(dig(cron_job, "spec"), ("spec",))
