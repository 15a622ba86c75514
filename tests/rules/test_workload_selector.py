"""workload-selector (DESIGN §4 "The API server's validation, whole"): the selector checks of
`ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidateDaemonSetSpec`,
`ValidateStatefulSetSpec`, `ValidateReplicationControllerSpec`, `ValidateJob` and
`ValidateJobTemplateSpec`, with the upstream `validation_test.go` cases of those functions
restated as manifests (the selector and template-label ones; the others are not networking)."""

from __future__ import annotations

import textwrap

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "workload-selector"


def _apps(kind: str, selector: str | None, labels: str | None, extra: str = "") -> str:
    """An apps/v1 `kind` named abc with `selector` (YAML flow text, None: absent) and template
    `labels` (None: no template labels)."""
    lines = [f"apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: abc, namespace: default}}"]
    lines.append("spec:")
    if selector is not None:
        lines.append(f"  selector: {selector}")
    lines.append("  template:")
    if labels is not None:
        lines.append(f"    metadata: {{labels: {labels}}}")
    lines.append("    spec:")
    lines.append("      containers: [{name: abc, image: image, imagePullPolicy: IfNotPresent}]")
    return "\n".join(lines) + "\n" + textwrap.dedent(extra)


HOST_NET = """
---
apiVersion: apps/v1
kind: {kind}
metadata: {{name: hostnet, namespace: default}}
spec:
  selector: {{matchLabels: {{a: b}}}}
  template:
    metadata: {{labels: {{a: b}}}}
    spec:
      hostNetwork: true
      containers:
      - name: abc
        image: image
        ports: [{{containerPort: 12345, protocol: TCP}}]
"""

MANUAL_JOB = """
apiVersion: batch/v1
kind: Job
metadata: {{name: pi}}
spec:
  manualSelector: true
  selector: {{matchLabels: {{app: pi}}}}
  template:
    metadata: {{labels: {labels}}}
    spec:
      restartPolicy: Never
      containers: [{{name: pi, image: perl}}]
"""

# (upstream test, case name) -> manifest that the API server accepts.
VALID = {
    ("TestValidateStatefulSet", "alpha name"): _apps(
        "StatefulSet", "{matchLabels: {a: b}}", "{a: b}"
    ),
    ("TestValidateStatefulSet", "hostNetwork true"): HOST_NET.format(kind="StatefulSet"),
    ("TestValidateDaemonSet", "success abc"): _apps("DaemonSet", "{matchLabels: {a: b}}", "{a: b}"),
    ("TestValidateDaemonSet", "hostnet"): HOST_NET.format(kind="DaemonSet"),
    ("TestValidateDeployment", "validDeployment"): _apps(
        "Deployment", "{matchLabels: {name: abc}}", "{name: abc}"
    ),
    ("TestValidateDeployment", "hostNetwork with port 12345"): HOST_NET.format(kind="Deployment"),
    ("TestValidateReplicaSet", "success abc"): _apps(
        "ReplicaSet", "{matchLabels: {a: b}}", "{a: b}"
    ),
    ("TestValidateReplicaSet", "hostnet"): HOST_NET.format(kind="ReplicaSet"),
    ("netlint", "ReplicationController selector defaulted from the template"): """
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: abc}
        spec:
          template:
            metadata: {labels: {a: b}}
            spec: {containers: [{name: abc, image: image}]}
        """,
    ("netlint", "matchExpressions the labels satisfy"): _apps(
        "Deployment",
        "{matchExpressions: [{key: a, operator: In, values: [b, c]}, "
        "{key: tier, operator: DoesNotExist}, {key: x, operator: NotIn, values: [y]}]}",
        "{a: b}",
    ),
    ("netlint", "Job with a generated selector"): """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            metadata: {labels: {app: pi, job-name: pi}}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: perl}]
        """,
    ("netlint", "Job with a manual selector"): MANUAL_JOB.format(labels="{app: pi}"),
    ("netlint", "extensions/v1beta1 is not served: deprecated-api's"): _apps(
        "Deployment", None, "{a: b}"
    ).replace("apps/v1", "extensions/v1beta1"),
}


# (upstream test, case name) -> (manifest, [(line, column)], the start of the first message).
INVALID: dict[tuple[str, str], Refused] = {
    ("TestValidateStatefulSet", "empty selector"): (
        _apps("StatefulSet", None, "{a: b}"),
        [(5, 3)],
        "StatefulSet default/abc is invalid: spec.selector: Required value",
    ),
    ("TestValidateStatefulSet", "selector_doesnt_match"): (
        _apps("StatefulSet", "{matchLabels: {foo: bar}}", "{a: b}"),
        [(7, 24)],
        'StatefulSet default/abc is invalid: spec.template.metadata.labels: Invalid value: {"a":"b"}: '
        "`selector` does not match template `labels`",
    ),
    ("TestValidateStatefulSet", "invalid_label 2"): (
        _apps(
            "StatefulSet",
            '{matchLabels: {"NoUppercaseOrSpecialCharsLike=Equals": b}}',
            '{"NoUppercaseOrSpecialCharsLike=Equals": b}',
        ),
        [(5, 28), (7, 25)],
        'StatefulSet default/abc is invalid: spec.selector.matchLabels: Invalid value: "NoUppercase',
    ),
    ("TestValidateDaemonSet", "nil selector"): (
        _apps("DaemonSet", None, "{a: b}"),
        [(6, 24)],
        "DaemonSet default/abc is invalid: spec.template.metadata.labels: Invalid value: "
        '{"a":"b"}: `selector` does not match template `labels`',
    ),
    ("TestValidateDaemonSet", "empty selector"): (
        _apps("DaemonSet", "{}", "{a: b}"),
        [(5, 13)],
        "DaemonSet default/abc is invalid: spec.selector: Invalid value: {}: "
        "empty selector is invalid for daemonset",
    ),
    ("TestValidateDaemonSet", "selector_doesnt_match"): (
        _apps("DaemonSet", "{matchLabels: {foo: bar}}", "{a: b}"),
        [(7, 24)],
        "DaemonSet default/abc is invalid: spec.template.metadata.labels",
    ),
    ("TestValidateDaemonSet", "invalid template"): (
        _apps("DaemonSet", "{matchLabels: {a: b}}", None),
        [(7, 5)],
        "DaemonSet default/abc is invalid: spec.template.metadata.labels: Invalid value: null: "
        "`selector` does not match template `labels`",
    ),
    ("TestValidateDaemonSet", "invalid_label 2"): (
        _apps("DaemonSet", None, None),
        [(6, 5)],
        "DaemonSet default/abc is invalid: spec.template.metadata.labels: Invalid value: null",
    ),
    ("TestValidateDeployment", "`selector` does not match template `labels`"): (
        _apps("Deployment", "{matchLabels: {name: def}}", "{name: abc}"),
        [(7, 24)],
        "Deployment default/abc is invalid: spec.template.metadata.labels: Invalid value: "
        '{"name":"abc"}: `selector` does not match template `labels`',
    ),
    ("TestValidateReplicaSet", "empty selector"): (
        _apps("ReplicaSet", None, "{a: b}"),
        [(5, 3)],
        "ReplicaSet default/abc is invalid: spec.selector: Required value",
    ),
    ("TestValidateReplicaSet", "selector_doesnt_match"): (
        _apps("ReplicaSet", "{matchLabels: {foo: bar}}", "{a: b}"),
        [(7, 24)],
        "ReplicaSet default/abc is invalid: spec.template.metadata.labels",
    ),
    ("TestValidateReplicaSet", "invalid manifest"): (
        _apps("ReplicaSet", "{matchLabels: {a: b}}", None),
        [(7, 5)],
        "ReplicaSet default/abc is invalid: spec.template.metadata.labels: Invalid value: null",
    ),
    ("TestValidateReplicaSet", "invalid_label 2"): (
        _apps("ReplicaSet", None, '{"NoUppercaseOrSpecialCharsLike=Equals": b}'),
        [(5, 3), (6, 25)],
        "ReplicaSet default/abc is invalid: spec.selector: Required value",
    ),
    ("netlint", "empty ReplicaSet selector, worded as upstream"): (
        _apps("ReplicaSet", "{matchLabels: {}}", "{a: b}"),
        [(5, 13)],
        'ReplicaSet default/abc is invalid: spec.selector: Invalid value: {"matchLabels":{}}: '
        "empty selector is invalid for deployment",
    ),
    ("netlint", "a manual Job selector the template does not carry"): (
        MANUAL_JOB.format(labels="{app: tau}"),
        [(9, 24)],
        "Job pi is invalid: spec.template.metadata.labels: Invalid value: "
        '{"app":"tau"}: `selector` does not match template `labels`',
    ),
    ("netlint", "matchExpressions the API server refuses"): (
        _apps(
            "Deployment",
            "{matchExpressions: [{key: a, operator: In}, {key: b, operator: Exists, values: [c]},"
            " {key: c, operator: Equals, values: [d]}]}",
            "{a: b}",
        ),
        [(5, 33), (5, 84), (5, 117)],
        "Deployment default/abc is invalid: spec.selector.matchExpressions[0].values: Required "
        "value: must be specified when `operator` is 'In' or 'NotIn'",
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID
)


def test_replication_controller_selector_is_required_without_template_labels():
    findings = lint_text(
        """
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: abc}
        spec:
          selector: {app: abc}
          template:
            metadata: {labels: {app: def}}
            spec: {containers: [{name: abc, image: image}]}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: bare}
        spec:
          template:
            spec: {containers: [{name: abc, image: image}]}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: no-template}
        spec:
          selector: {app: abc}
        """,
        select=[RULE],
    )
    assert brief(findings) == [
        (RULE, 8, 24, "error"),
        (RULE, 15, 3, "error"),
        (RULE, 22, 3, "error"),
    ]
    assert 'spec.template.metadata.labels: Invalid value: {"app":"def"}' in findings[0].message
    assert "spec.selector: Required value" in findings[1].message
    assert "spec.template: Required value" in findings[2].message


def test_jobs_whose_selector_is_generated():
    findings = lint_text(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          selector: {matchLabels: {app: pi}}
          template:
            metadata: {labels: {app: pi, job-name: other}}
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: perl}]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              manualSelector: true
              selector: {matchLabels: {app: nightly}}
              template:
                metadata: {labels: {app: nightly}}
                spec:
                  restartPolicy: Never
                  containers: [{name: job, image: busybox}]
        """,
        select=[RULE],
    )
    assert brief(findings) == [
        (RULE, 6, 13, "error"),
        (RULE, 8, 44, "error"),
        (RULE, 20, 23, "error"),
        (RULE, 21, 17, "error"),
    ]
    assert findings[0].message.endswith(
        'spec.selector: Invalid value: {"matchLabels":{"app":"pi"}}: `selector` not auto-generated'
    )
    assert "spec.template.metadata.labels[job-name]: Invalid value:" in findings[1].message
    assert findings[1].message.endswith("must be 'pi'")
    assert findings[2].message.endswith(
        'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"'
    )
    assert "`selector` will be auto-generated" in findings[3].message


def test_metadata_labels_near_miss_hint_matches_service_selector_no_match():
    (finding,) = lint_fixture(RULE, select_only=True)[:1]
    assert finding.hint is not None
    assert "a selector matches the pod template's labels, not the workload's" in finding.hint


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 12, 9, "error"),  # template labels miss the selector (its metadata labels have it)
        (RULE, 23, 3, "error"),  # no selector
        (RULE, 39, 14, "error"),  # template label value too long
    ]
    assert "does not match template `labels`" in findings[0].message
    assert "spec.selector: Required value" in findings[1].message
    assert "spec.template.labels: Invalid value:" in findings[2].message


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_a_selector_of_the_wrong_type_is_a_decoding_error_not_judged_here():
    for kind in ("Deployment", "DaemonSet"):
        assert lint_text(_apps(kind, "[app]", "{a: b}"), select=[RULE]) == []
