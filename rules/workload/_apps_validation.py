"""The selector and template checks of `pkg/apis/apps/validation/validation.go`, after apps/v1
defaulting (`pkg/apis/apps/v1/defaults.go`), which in apps/v1 never fills a selector from the
template's labels (extensions/v1beta1 did; it is no longer served).

A spec without a selector is refused twice upstream (`spec.selector: Required value`, then the
template "does not match" the selector that selects nothing): netlint reports the first only
(one problem, one finding). Likewise an invalid selector is reported where it is wrong, not again
as the generic `invalid label selector`. The template's pod spec is checked even when the
selector is wrong (upstream stops there): its problems are refusals of their own. Replicas,
strategies, minReadySeconds and the other fields of the specs are not networking: netlint does
not judge them.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import FieldError, as_map, dig, dns1123_label_problems, invalid, required

from ._core_validation import MISMATCH_DETAIL, validate_pod_template_spec
from ._meta_validation import (
    is_empty_selector,
    selector_matches,
    string_labels,
    validate_label_selector,
    validate_labels,
)


def selector_mismatch(selector: Node, template: Node, fld: Path) -> Iterator[FieldError]:
    """The template's labels must carry a (valid, non-empty) selector: "`selector` does not match
    template `labels`", at `<template>.metadata.labels`."""
    labels = dig(template, "metadata", "labels")
    if selector_matches(selector, labels) is False:
        yield invalid((*fld, "metadata", "labels"), string_labels(labels), MISMATCH_DETAIL)


def _spec_selector(spec: Node, fld: Path, kind: str) -> tuple[list[FieldError], bool]:
    """The selector checks Deployment, ReplicaSet and StatefulSet specs share: required,
    valid, not empty. Also whether the template is to be matched against it."""
    selector = dig(spec, "selector")
    path = (*fld, "selector")
    if selector is None:
        return [required(path)], False
    if as_map(selector) is None:
        return [], False  # not a mapping: a decoding error, before validation
    errors = list(validate_label_selector(selector, path))
    if is_empty_selector(selector):
        errors.append(invalid(path, selector, f"empty selector is invalid for {kind}"))
        return errors, False
    return errors, not errors


def validate_pod_template_spec_for_replica_set(
    template: Node, selector: Node, fld: Path, match: bool
) -> Iterator[FieldError]:
    """Follows `ValidatePodTemplateSpecForReplicaSet`: the template's labels carry the selector
    (when `match`: the selector is valid and not empty), and it is a valid pod template
    (`restartPolicy` Always and no `activeDeadlineSeconds` are not networking)."""
    if match:
        yield from selector_mismatch(selector, template, fld)
    yield from validate_pod_template_spec(template, fld)


def _replica_set_like_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """What `ValidateDeploymentSpec` and `ValidateReplicaSetSpec` check alike."""
    errors, match = _spec_selector(spec, fld, "deployment")
    yield from errors
    yield from validate_pod_template_spec_for_replica_set(
        dig(spec, "template"), dig(spec, "selector"), (*fld, "template"), match
    )


def validate_deployment_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateDeploymentSpec` for the selector and the template."""
    yield from _replica_set_like_spec(spec, fld)


def validate_deployment(deployment: Node) -> Iterator[FieldError]:
    """Follows `ValidateDeployment` (its metadata is the object metadata rules')."""
    yield from validate_deployment_spec(dig(deployment, "spec"), ("spec",))


def validate_replica_set_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateReplicaSetSpec` for the selector and the template (upstream calls an empty
    ReplicaSet selector "invalid for deployment", and so does netlint)."""
    yield from _replica_set_like_spec(spec, fld)


def validate_replica_set(replica_set: Node) -> Iterator[FieldError]:
    """Follows `ValidateReplicaSet`."""
    yield from validate_replica_set_spec(dig(replica_set, "spec"), ("spec",))


def validate_pod_template_spec_for_stateful_set(
    template: Node, selector: Node, fld: Path, match: bool
) -> Iterator[FieldError]:
    """Follows `ValidatePodTemplateSpecForStatefulSet`: the labels carry the selector and are
    valid labels. The pod spec is not validated with the StatefulSet (upstream leaves it to
    the Pods: see `of_pods`)."""
    if match:
        yield from selector_mismatch(selector, template, fld)
    yield from validate_labels(
        dig(template, "metadata", "labels"), (*fld, "labels"), (*fld, "metadata", "labels")
    )


def validate_stateful_set_service_name(spec: Node, fld: Path) -> Iterator[FieldError]:
    """The governing Service's name, as `ValidateStatefulSetSpec` checks it first: optional, and a
    DNS-1123 label when set."""
    name = dig(spec, "serviceName")
    if isinstance(name, str) and name:
        for problem in dns1123_label_problems(name):
            yield invalid((*fld, "serviceName"), name, problem)


def validate_stateful_set_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateStatefulSetSpec` for the governing Service's name, the selector and the
    template. A `serviceName` is optional; one that is set must be a DNS-1123 label (since
    Kubernetes 1.33: it becomes the `subdomain` of every pod, which must be one; the exemption
    of an old object's invalid name, `AllowInvalidServiceName`, is update-only)."""
    yield from validate_stateful_set_service_name(spec, fld)
    errors, match = _spec_selector(spec, fld, "statefulset")
    yield from errors
    yield from validate_pod_template_spec_for_stateful_set(
        dig(spec, "template"), dig(spec, "selector"), (*fld, "template"), match
    )


def validate_stateful_set(stateful_set: Node) -> Iterator[FieldError]:
    """Follows `ValidateStatefulSet`."""
    yield from validate_stateful_set_spec(dig(stateful_set, "spec"), ("spec",))


def validate_daemon_set_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateDaemonSetSpec` for the selector and the template. Unlike the other specs it
    has no `Required` for a missing selector: the template then "does not match" it, and that is
    the one error upstream prints."""
    selector = dig(spec, "selector")
    template = dig(spec, "template")
    path = (*fld, "selector")
    errors = list(validate_label_selector(selector, path))
    yield from errors
    template_path = (*fld, "template")
    if selector is not None and as_map(selector) is None:
        pass  # not a mapping: a decoding error, before validation
    elif selector is None:
        labels = dig(template, "metadata", "labels")
        yield invalid(
            (*template_path, "metadata", "labels"), string_labels(labels), MISMATCH_DETAIL
        )
    elif is_empty_selector(selector):
        yield invalid(path, selector, "empty selector is invalid for daemonset")
    elif not errors:
        yield from selector_mismatch(selector, template, template_path)
    yield from validate_pod_template_spec(template, template_path)


def validate_daemon_set(daemon_set: Node) -> Iterator[FieldError]:
    """Follows `ValidateDaemonSet`."""
    yield from validate_daemon_set_spec(dig(daemon_set, "spec"), ("spec",))
