"""`probe-port`: the port of a probe or lifecycle hook that the API server refuses."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import FieldError

from ._workload import PROBE_PORT, errors_of, refusal_of

PROBES_DOCS = (
    "https://kubernetes.io/docs/tasks/configure-pod-container/"
    "configure-liveness-readiness-startup-probes/"
)


def _hint(error: FieldError) -> str:
    value = error.value
    if isinstance(value, str) and value.isascii() and value.isdigit() and 0 < int(value) < 65536:
        return f"write port: {int(value)} without quotes (a quoted number is a port name)"
    if isinstance(value, str):
        return (
            "name a port the container declares (an IANA service name: at most 15 characters, "
            "lowercase letters, digits and single hyphens, at least one letter), or use a number"
        )
    return "use the port number the container listens on (1-65535), or a container port name"


class ProbePort(Rule):
    meta = RuleMeta(
        id="probe-port",
        severity=Severity.ERROR,
        summary="A probe or lifecycle hook port the API server refuses",
        what=(
            "Reports the port of a liveness, readiness or startup probe (`httpGet`, `tcpSocket`, "
            "`grpc`) or of a `postStart`/`preStop` hook (`httpGet`, `tcpSocket`) that the API "
            "server refuses: a number outside 1-65535 (an absent port is 0), or a name that is "
            'not an IANA service name, such as a quoted number (`port: "8080"` is a name). '
            "Regular containers and sidecars (init containers with `restartPolicy: Always`) "
            "are checked; as for `container-port`, the pods of a StatefulSet or a custom "
            "workload are refused rather than the object."
        ),
        why=(
            "The object (or its pods) is refused: nothing runs, and the Services selecting "
            "the pods have no endpoints. A readiness probe is what puts a pod behind its "
            "Services."
            " Severity: every finding is a rejection of the object or of its pods."
        ),
        example=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
            "  - name: web\n    image: nginx\n    readinessProbe:\n      httpGet:\n"
            '        path: /healthz\n        port: "8080"\n'
        ),
        fix=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
            "  - name: web\n    image: nginx\n    readinessProbe:\n      httpGet:\n"
            "        path: /healthz\n        port: 8080\n"
        ),
        help_uri=PROBES_DOCS,
        tags=("workload", "api-validation"),
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in errors_of(manifest, ctx.settings, PROBE_PORT):
            yield refusal_of(manifest, error, _hint(error))
