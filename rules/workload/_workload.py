"""What the workload rules share: the API server's validation of a workload, run once per object,
its errors sorted by topic (selector, container port, probe port), and the diagnostic for each.

The built-in kinds are validated as their own create validation does (`validate_deployment`...).
A StatefulSet's validation leaves the pod spec of its template to the Pods its controller creates,
and so do the other kinds that hold a pod template (Argo Rollouts, OpenShift DeploymentConfigs,
custom kinds from config `workloads:`): their templates are validated as those Pods will be, and
a refusal says the pods are refused (`WorkloadError.of_pods`). Pod, Deployment, ... objects of an
apiVersion no longer served are `deprecated-api`'s, not validated here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from netlint.api import Diagnostic, Manifest, Node, Path, Settings
from netlint.k8s import FieldError, dig, items_at, refusal, template_path

from ._apps_validation import (
    validate_daemon_set,
    validate_deployment,
    validate_replica_set,
    validate_stateful_set,
)
from ._batch_validation import validate_cron_job, validate_job
from ._core_validation import (
    PROBES,
    is_sidecar,
    validate_pod_create,
    validate_pod_spec,
    validate_replication_controller,
)
from ._errors import WorkloadError, location, of_pods

WORKLOADS_DOCS = "https://kubernetes.io/docs/concepts/workloads/"

_Validation = Callable[[Node], Iterator[FieldError]]
# The kinds whose create validation netlint ports, by (kind, apiVersion).
API_VALIDATION: dict[tuple[str, str], _Validation] = {
    ("Deployment", "apps/v1"): validate_deployment,
    ("ReplicaSet", "apps/v1"): validate_replica_set,
    ("DaemonSet", "apps/v1"): validate_daemon_set,
    ("StatefulSet", "apps/v1"): validate_stateful_set,
    ("ReplicationController", "v1"): validate_replication_controller,
    ("Pod", "v1"): validate_pod_create,
    ("Job", "batch/v1"): validate_job,
    ("CronJob", "batch/v1"): validate_cron_job,
}
API_KINDS = frozenset(kind for kind, _ in API_VALIDATION)
# Kinds with a selector of their own (`workload-selector`).
SELECTOR_KINDS = API_KINDS - {"Pod"}
# Built-in kinds whose validation does not look into the template's pod spec.
_TEMPLATE_LEFT_TO_PODS = frozenset(["StatefulSet"])

SELECTOR = "selector"
CONTAINER_PORT = "container-port"
PROBE_PORT = "probe-port"
STATEFULSET_SERVICE = "statefulset-service"
_CONTAINER_LISTS = ("containers", "initContainers")


def topic(error: FieldError) -> str:
    """The rule that reports `error`: a container's port, a probe's or lifecycle hook's port, a
    StatefulSet's `serviceName`, or else the selector and the template's labels."""
    path = location(error)
    if path == ("spec", "serviceName"):
        return STATEFULSET_SERVICE
    for index in range(len(path) - 2):
        if path[index] in _CONTAINER_LISTS and isinstance(path[index + 1], int):
            field = path[index + 2]
            if field == "ports":
                return CONTAINER_PORT
            if field in PROBES or field == "lifecycle":
                return PROBE_PORT
    return SELECTOR


def _pod_errors(manifest: Manifest, template: Path) -> tuple[FieldError, ...]:
    spec_path = (*template, "spec")
    errors = validate_pod_spec(dig(manifest.data, *spec_path), spec_path, resource_is_pod=True)
    return tuple(of_pods(error, template) for error in errors)


def workload_errors(manifest: Manifest, settings: Settings) -> tuple[FieldError, ...]:
    """Every error of the API server's validation netlint ports for `manifest` (built once per
    object and shared by the workload rules)."""
    validate = API_VALIDATION.get((manifest.kind_key, manifest.api_version))
    errors: tuple[FieldError, ...] = ()
    if validate is not None:
        errors = manifest.memo("workload:validation", lambda m: tuple(validate(m.data)))
    elif manifest.kind_key in API_KINDS:
        return ()  # an apiVersion no longer served: deprecated-api
    if validate is None or manifest.kind_key in _TEMPLATE_LEFT_TO_PODS:
        template = template_path(manifest, settings.workloads)
        if template:
            errors += manifest.memo(f"workload:pods:{template}", lambda m: _pod_errors(m, template))
    return errors


def errors_of(manifest: Manifest, settings: Settings, wanted: str) -> Iterator[FieldError]:
    """The errors of `manifest` that the rule for topic `wanted` reports."""
    for error in workload_errors(manifest, settings):
        if topic(error) == wanted:
            yield error


def pod_spec_path(manifest: Manifest, settings: Settings) -> Path | None:
    """Where `manifest` holds the pod spec of its template (`spec` for a Pod), or None if it holds
    none or is a built-in kind of an apiVersion no longer served (deprecated-api's)."""
    if manifest.kind_key in API_KINDS and (
        (manifest.kind_key, manifest.api_version) not in API_VALIDATION
    ):
        return None
    template = template_path(manifest, settings.workloads)
    if template is None:
        return None
    return (*template, "spec")


def running_containers(manifest: Manifest, spec_path: Path) -> list[tuple[Path, Node]]:
    """The containers of the pod spec at `spec_path` that keep running, with their paths: the
    sidecars (init containers with `restartPolicy: Always`) first, as the kubelet starts them,
    then the regular containers. Items that are not mappings are left out."""
    spec = dig(manifest.data, *spec_path)
    found: list[tuple[Path, Node]] = [
        ((*spec_path, "initContainers", index), item)
        for index, item in items_at(spec, "initContainers")
        if isinstance(item, dict) and is_sidecar(item)
    ]
    found += [
        ((*spec_path, "containers", index), item)
        for index, item in items_at(spec, "containers")
        if isinstance(item, dict)
    ]
    return found


def refusal_of(manifest: Manifest, error: FieldError, hint: str | None = None) -> Diagnostic:
    """The diagnostic for `error`: worded as `kubectl apply` words the refusal, or, for the pods a
    workload creates, as their refusal; located at the node the error concerns."""
    at = location(error)
    if isinstance(error, WorkloadError) and error.of_pods:
        return Diagnostic(
            at,
            f"{manifest} is accepted, but the API server refuses the pods it creates: {error.text}",
            on_key=error.on_key,
            hint=hint,
        )
    return dataclasses.replace(refusal(manifest, error, hint=hint), path=at)
