"""ValidatingAdmissionPolicies evaluated offline (issue 32, item 3): matching, parameters,
variables, failure policy, validation actions, and what cannot be known offline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from netlint.api import ExternalObjects, Settings
from netlint.findings import Finding
from netlint.policy import PolicyError, load_policy_paths
from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.selection import Selection
from tests.helpers import brief, run_netlint, schemas

POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {{name: {name}}}
spec:
  failurePolicy: {failure}
  matchConstraints:
{constraints}
  validations:
  - expression: {expression}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {{name: {name}-binding}}
spec:
  policyName: {name}
  validationActions: {actions}
"""

DEPLOYMENTS = """\
  resourceRules:
  - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}"""


def _policy(
    tmp_path: Path,
    *,
    name: str = "max-replicas",
    constraints: str = DEPLOYMENTS,
    expression: str = "object.spec.replicas <= 2",
    actions: str = "[Deny]",
    failure: str = "Fail",
    extra: str = "",
) -> Path:
    path = tmp_path / "policies" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    text = POLICY.format(
        name=name,
        constraints=textwrap.indent(constraints, "  "),  # under matchConstraints
        expression=expression,
        actions=actions,
        failure=failure,
    )
    path.write_text(text + extra)
    return path


def _lint(
    tmp_path: Path,
    manifests: str,
    *policies: Path,
    settings: Settings | None = None,
    context: str | None = None,
) -> list[Finding]:
    loaded = load_policy_paths(policies)
    rule_set = load_rules((), loaded)
    target = tmp_path / "manifests.yaml"
    target.write_text(textwrap.dedent(manifests))
    context_paths: list[str] = []
    if context is not None:
        (tmp_path / "context.yaml").write_text(textwrap.dedent(context))
        context_paths.append(str(tmp_path / "context.yaml"))
    options = RunOptions(
        paths=[str(target)],
        context=context_paths,
        settings=settings or Settings(),
        selection=Selection(select=tuple(rule.meta.id for _, rule in loaded)),
    )
    return run(options, rule_set, schemas()).active


def _deployment(name: str, replicas: int, namespace: str = "shop", labels: str = "{}") -> str:
    return f"""\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}, labels: {labels}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: app, image: "nginx:1.27"}}]}}
"""


def test_a_denied_deployment_is_an_error_at_the_object(tmp_path: Path) -> None:
    findings = _lint(tmp_path, _deployment("web", 3) + _deployment("api", 2), _policy(tmp_path))
    assert brief(findings) == [("max-replicas", 2, 1, "error")]
    assert findings[0].message == (
        "Deployment shop/web: ValidatingAdmissionPolicy 'max-replicas' with binding "
        "'max-replicas-binding' denied request: failed expression: object.spec.replicas <= 2"
    )
    assert findings[0].hint == (
        "the API server refuses this object when it is created (422 Invalid): change it to pass "
        "the policy, or exempt it in the binding"
    )


@pytest.mark.parametrize(
    ("actions", "severity", "wording"),
    [
        (
            "[Warn]",
            "warning",
            "Validation failed for ValidatingAdmissionPolicy 'max-replicas' with",
        ),
        ("[Audit]", "info", "ValidatingAdmissionPolicy 'max-replicas' with binding"),
        ("[Warn, Audit]", "warning", "Validation failed for"),
        ("[Deny, Audit]", "error", "ValidatingAdmissionPolicy 'max-replicas' with binding"),
    ],
)
def test_validation_actions_give_the_severity(
    tmp_path: Path, actions: str, severity: str, wording: str
) -> None:
    findings = _lint(tmp_path, _deployment("web", 3), _policy(tmp_path, actions=actions))
    assert [f.severity.label for f in findings] == [severity]
    assert wording in findings[0].message


@pytest.mark.parametrize(
    ("resources", "matched"),
    [
        ("[deployments]", True),
        ('["*"]', True),
        ('["*/*"]', True),
        ('["deployments/*"]', True),  # upstream's Matcher.resource: `*` matches no subresource
        ("[deployments/scale]", False),
        ('["*/status"]', False),
        ("[replicasets]", False),
    ],
)
def test_resource_patterns(tmp_path: Path, resources: str, matched: bool) -> None:
    constraints = (
        "  resourceRules:\n"
        f"  - {{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: {resources}}}"
    )
    findings = _lint(tmp_path, _deployment("web", 3), _policy(tmp_path, constraints=constraints))
    assert bool(findings) is matched


@pytest.mark.parametrize(
    ("rule", "matched"),
    [
        ("{apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: [deployments]}", True),
        ("{apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [deployments]}", False),
        ("{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [deployments]}", False),
        ("{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], scope: Cluster}", False),
        ("{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], scope: Namespaced}", True),
        ("{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], resourceNames: [web]}", True),
        ("{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], resourceNames: [api]}", False),
        # Only an equivalent version matches: the API server would convert the object first.
        ("{apiGroups: [apps], apiVersions: [v1beta2], operations: [CREATE], resources: [deployments]}", False),
    ],
)  # fmt: skip
def test_resource_rule_fields(tmp_path: Path, rule: str, matched: bool) -> None:
    constraints = f"  resourceRules:\n  - {rule}"
    findings = _lint(tmp_path, _deployment("web", 3), _policy(tmp_path, constraints=constraints))
    assert bool(findings) is matched


def test_exclude_resource_rules_and_object_selector(tmp_path: Path) -> None:
    constraints = DEPLOYMENTS + (
        "\n  excludeResourceRules:\n"
        "  - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments],"
        " resourceNames: [skipped]}\n"
        "  objectSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [batch]}]}"
    )
    manifests = (
        _deployment("web", 3)
        + _deployment("skipped", 3)
        + _deployment("jobs", 3, labels="{tier: batch}")
    )
    findings = _lint(tmp_path, manifests, _policy(tmp_path, constraints=constraints))
    assert [f.message.split(":")[0] for f in findings] == ["Deployment shop/web"]


def test_namespace_selectors_read_the_input_and_external_namespaces(tmp_path: Path) -> None:
    constraints = DEPLOYMENTS + "\n  namespaceSelector: {matchLabels: {env: prod}}"
    manifests = (
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {env: prod}}\n"
        + _deployment("web", 3)
        + _deployment("web", 3, namespace="dev")
        + _deployment("web", 3, namespace="billing")
        + _deployment("web", 3, namespace="unknown")
    )
    settings = Settings(
        external=ExternalObjects(
            namespace_labels={"billing": {"env": "prod"}, "dev": {"env": "dev"}}
        )
    )
    findings = _lint(
        tmp_path, manifests, _policy(tmp_path, constraints=constraints), settings=settings
    )
    # shop from its Namespace, billing from external.namespaces; unknown is not judged.
    assert [f.message.split(":")[0] for f in findings] == [
        "Deployment shop/web",
        "Deployment billing/web",
    ]


def test_the_apply_namespace_is_not_judged_by_a_namespace_selector(tmp_path: Path) -> None:
    constraints = DEPLOYMENTS + "\n  namespaceSelector: {matchLabels: {env: prod}}"
    manifests = _deployment("web", 3).replace("namespace: shop, ", "")
    assert _lint(tmp_path, manifests, _policy(tmp_path, constraints=constraints)) == []


def test_binding_match_resources_narrow_the_policy(tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    policy.write_text(
        policy.read_text().replace(
            "  validationActions: [Deny]",
            "  validationActions: [Deny]\n  matchResources:\n"
            "    objectSelector: {matchLabels: {strict: 'yes'}}",
        )
    )
    manifests = _deployment("web", 3, labels="{strict: 'yes'}") + _deployment("api", 3)
    findings = _lint(tmp_path, manifests, policy)
    assert [f.message.split(":")[0] for f in findings] == ["Deployment shop/web"]


def test_failure_policy_decides_on_expressions_that_fail(tmp_path: Path) -> None:
    expression = "object.spec.replicas / 0 > 1"
    failing = _policy(tmp_path, name="fail", expression=expression)
    ignoring = _policy(tmp_path, name="ignore", expression=expression, failure="Ignore")
    findings = _lint(tmp_path, _deployment("web", 3), failing, ignoring)
    assert [f.rule_id for f in findings] == ["fail"]
    assert "denied request: expression 'object.spec.replicas / 0 > 1' resulted in error" in (
        findings[0].message
    )


def test_a_field_the_object_lacks_is_not_judged(tmp_path: Path) -> None:
    # The API server defaults spec.replicas to 1 before admission; netlint cannot know defaults.
    manifests = _deployment("web", 3).replace("  replicas: 3\n", "")
    assert _lint(tmp_path, manifests, _policy(tmp_path)) == []


PARAMS = """\
---
apiVersion: v1
kind: ConfigMap
metadata: {name: limits, namespace: shop, labels: {kind: limit}}
data: {max: "2"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: loose, namespace: shop, labels: {kind: limit}}
data: {max: "10"}
"""


def _param_policy(tmp_path: Path, param_ref: str) -> Path:
    path = _policy(tmp_path, expression="object.spec.replicas <= int(params.data.max)")
    text = path.read_text().replace(
        "  matchConstraints:", "  paramKind: {apiVersion: v1, kind: ConfigMap}\n  matchConstraints:"
    )
    path.write_text(
        text.replace("  validationActions: [Deny]", f"  validationActions: [Deny]\n{param_ref}")
    )
    return path


def test_param_ref_by_name_in_the_object_namespace(tmp_path: Path) -> None:
    policy = _param_policy(tmp_path, "  paramRef: {name: limits, parameterNotFoundAction: Deny}")
    manifests = _deployment("web", 3) + _deployment("web", 3, namespace="other")
    findings = _lint(tmp_path, manifests, policy, context=PARAMS)
    # namespace other holds no ConfigMap limits in the input: not judged, never guessed.
    assert [f.message.split(":")[0] for f in findings] == ["Deployment shop/web"]


def test_param_ref_by_selector_evaluates_each_param(tmp_path: Path) -> None:
    policy = _param_policy(
        tmp_path,
        "  paramRef: {namespace: shop, selector: {matchLabels: {kind: limit}},"
        " parameterNotFoundAction: Allow}",
    )
    findings = _lint(
        tmp_path, _deployment("web", 3) + _deployment("big", 11), policy, context=PARAMS
    )
    # web fails the limit of 2 only; big fails both, with one message (the same words).
    assert [f.message.split(":")[0] for f in findings] == [
        "Deployment shop/web",
        "Deployment shop/big",
    ]


def test_param_kind_without_param_ref_fails_as_the_api_server_does(tmp_path: Path) -> None:
    policy = _param_policy(tmp_path, "")
    findings = _lint(tmp_path, _deployment("web", 1), policy, context=PARAMS)
    assert [f.message for f in findings] == [
        "Deployment shop/web: ValidatingAdmissionPolicy 'max-replicas' with binding "
        "'max-replicas-binding' denied request: failed to configure binding: paramKind kind "
        "`v1, Kind=ConfigMap` is set but paramRef is empty"
    ]


def test_variables_are_lazy_and_match_conditions_filter(tmp_path: Path) -> None:
    extra_spec = (
        "  matchConditions:\n"
        "  - {name: labelled, expression: \"'team' in object.metadata.labels\"}\n"
        "  variables:\n"
        "  - {name: unused, expression: 'object.spec.nothing.here'}\n"
        "  - {name: limit, expression: '2'}\n"
    )
    policy = _policy(tmp_path, expression="object.spec.replicas <= variables.limit")
    policy.write_text(policy.read_text().replace("  validations:", extra_spec + "  validations:"))
    manifests = _deployment("web", 3, labels="{team: a}") + _deployment("api", 3)
    findings = _lint(tmp_path, manifests, policy)
    assert [f.message.split(":")[0] for f in findings] == ["Deployment shop/web"]


def test_message_expression_wins_and_falls_back_to_the_message(tmp_path: Path) -> None:
    policy = _policy(tmp_path)
    policy.write_text(
        policy.read_text().replace(
            "  - expression: object.spec.replicas <= 2",
            "  - expression: object.spec.replicas <= 2\n"
            "    message: too many replicas\n"
            "    messageExpression: \"'replicas ' + string(object.spec.replicas) + ' > 2'\"\n"
            "  - expression: object.spec.replicas <= 1\n"
            "    message: more than one replica\n"
            '    messageExpression: "object.spec.nothing"',
        )
    )
    findings = _lint(tmp_path, _deployment("web", 3), policy)
    # Findings at one node come out in message order.
    assert [f.message.rpartition("denied request: ")[2] for f in findings] == [
        "more than one replica",
        "replicas 3 > 2",
    ]


def test_namespace_object_from_the_input(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        expression="namespaceObject.metadata.labels['env'] != 'prod' || object.spec.replicas >= 2",
    )
    manifests = (
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {env: prod}}\n"
        + _deployment("web", 1)
        + _deployment("web", 1, namespace="elsewhere")
    )
    findings = _lint(tmp_path, manifests, policy)
    # elsewhere: no Namespace in the input, so namespaceObject is unknown.
    assert [f.message.split(":")[0] for f in findings] == ["Deployment shop/web"]


def test_policies_that_cannot_be_known_offline_are_noted_in_show_settings(tmp_path: Path) -> None:
    _policy(tmp_path, name="by-user", expression="request.userInfo.username != 'admin'")
    _policy(
        tmp_path,
        name="by-authz",
        expression="authorizer.group('apps').resource('deployments').check('create').allowed()",
    )
    lonely = tmp_path / "policies" / "lonely.yaml"
    lonely.write_text(_policy(tmp_path, name="lonely").read_text().partition("---")[0])
    _policy(tmp_path, name="plain")
    (tmp_path / ".netlint.yaml").write_text("rules: [policies/]\n")
    result = run_netlint(tmp_path, "check", "--show-settings", "--no-cache", ".")
    assert result.returncode == 0, result.stderr
    line = next(
        line
        for line in result.stdout.decode().splitlines()
        if line.startswith("admission-policies:")
    )
    assert line == (
        'admission-policies: {"by-authz": "not applied: its expressions call `authorizer`, which '
        'asks the cluster\'s authorizer, which netlint cannot know offline", "by-user": "not '
        "applied: its expressions read `request.userInfo`, who makes the request, which netlint "
        'cannot know offline", "lonely": "not applied: no ValidatingAdmissionPolicyBinding names '
        'it (nor would the API server apply it)", "plain": "applies"}'
    )


def test_policy_file_problems_are_errors_with_their_line(tmp_path: Path) -> None:
    broken = _policy(tmp_path, expression="object.spec.replicas <=")
    with pytest.raises(
        PolicyError,
        match=r"max-replicas.yaml:10: ValidatingAdmissionPolicy max-replicas: ERROR: <input>:1:22: ",
    ):
        load_policy_paths([broken])
    orphan = tmp_path / "orphan.yaml"
    orphan.write_text(
        POLICY.format(
            name="x", constraints=DEPLOYMENTS, expression="true", actions="[Deny]", failure="Fail"
        )
        .partition("---\n")[2]
        .replace("policyName: x", "policyName: missing")
    )
    with pytest.raises(PolicyError, match="names policy 'missing', which no loaded file defines"):
        load_policy_paths([orphan])
    both = _policy(tmp_path, name="both", actions="[Deny, Warn]")
    with pytest.raises(
        PolicyError, match=r"both.yaml:\d+: invalid ValidatingAdmissionPolicyBinding"
    ):
        load_policy_paths([both])


def test_a_failing_variable_is_a_cel_error_where_it_is_read(tmp_path: Path) -> None:
    # As cel-go's lazy variables: `true || <error>` is true; read alone, the error decides.
    variables = "  variables:\n  - {name: broken, expression: 'object.spec.replicas / 0'}\n"
    absorbed = _policy(tmp_path, name="absorbed", expression="'true || variables.broken > 1'")
    decided = _policy(tmp_path, name="decided", expression="'variables.broken > 1'")
    for policy in (absorbed, decided):
        policy.write_text(
            policy.read_text().replace("  validations:", variables + "  validations:")
        )
    findings = _lint(tmp_path, _deployment("web", 3), absorbed, decided)
    assert [(f.rule_id, f.message.rpartition("denied request: ")[2]) for f in findings] == [
        ("decided", "expression 'variables.broken > 1' resulted in error: division by zero")
    ]


@pytest.mark.parametrize(
    ("expression", "applies"),
    [
        ("authorizer.group('apps').resource('deployments').check('create').allowed()", False),
        ("request.userInfo.username != 'admin'", False),
        # A comprehension variable, a field and a string are no reference to the authorizer.
        ("object.spec.template.spec.containers.all(authorizer, authorizer.name != '')", True),
        ("object.metadata.?authorizer.orValue('') == '' && 'authorizer' != ''", True),
        ("request.operation == 'CREATE'", True),
    ],
)
def test_what_cannot_be_known_offline_is_read_from_the_program(
    tmp_path: Path, expression: str, applies: bool
) -> None:
    policy = _policy(tmp_path, expression=f'"{expression}"')
    findings = _lint(tmp_path, _deployment("web", 3), policy)
    assert [f.rule_id for f in findings] == []
    ((_, rule),) = load_policy_paths([policy])
    assert (getattr(rule, "not_applied", None) is None) is applies
