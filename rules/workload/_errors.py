"""Field errors of the workload validation, placed on the node they concern.

The API server's path is the contract of the message, but it does not always name a node of the
manifest: label errors name the whole map (`spec.template.labels`, where the YAML says
`spec.template.metadata.labels`), an init container's host port conflict always names
`initContainers[0]`, and the errors of the pods a StatefulSet creates name the Pod's fields
(`spec.containers[0]...`). `WorkloadError.at` is then the node to point at.
"""

from __future__ import annotations

from netlint.api import Path
from netlint.k8s import FieldError
from netlint.records import record


@record(frozen=True, slots=True)
class WorkloadError(FieldError):
    at: Path | None = None  # the node to point at; None: `path`
    of_pods: bool = False  # an error of the Pods the workload creates, not of the workload


def placed(error: FieldError, at: Path, *, on_key: bool = False) -> WorkloadError:
    """`error` with its message unchanged, located at `at` (its key with `on_key`)."""
    return WorkloadError(
        error.path,
        error.type,
        error.value,
        error.detail,
        on_key or error.on_key,
        error.supported,
        at=at,
    )


def location(error: FieldError) -> Path:
    """Where the finding for `error` points."""
    if isinstance(error, WorkloadError) and error.at is not None:
        return error.at
    return error.path


def of_pods(error: FieldError, template: Path) -> WorkloadError:
    """`error`, found in the pod template at `template`, as the error of the Pods made from it:
    its path as a Pod's (`spec.containers[0]...`), still located in the template."""
    at = location(error)
    return WorkloadError(
        error.path[len(template) :],
        error.type,
        error.value,
        error.detail,
        error.on_key,
        error.supported,
        at=at,
        of_pods=True,
    )
