"""ingressclass-format (DESIGN §4 "The API server's validation, whole"): `ValidateIngressClass`,
with every case of the upstream `TestValidateIngressClass` (pkg/apis/networking/validation)
restated as a networking.k8s.io/v1 IngressClass.

Changed or left out, with the reason:
- "valid name, valid controller, invalid scope" (a namespace, no scope): the v1 defaulting
  (`SetDefaults_IngressClass`) makes the scope Cluster, so through v1 the API server refuses the
  namespace of a Cluster-scoped reference rather than the missing scope.
- `TestValidateIngressClassUpdate`: update-only.
The `scope` values are an enum of the strict schema (`schema`); the name is `name-format`'s."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "ingressclass-format"
SELECT = [RULE, "schema", "name-format", "metadata-format"]
CLASS = "TestValidateIngressClass"


def _class(controller: str = "foo.co/bar", parameters: str = "", name: str = "test123") -> str:
    """The upstream `makeValidIngressClass`, with `parameters` (`makeIngressClassParams`)."""
    params = f"  parameters: {{{parameters}}}\n" if parameters else ""
    return (
        "apiVersion: networking.k8s.io/v1\nkind: IngressClass\n"
        f"metadata: {{name: '{name}'}}\nspec:\n  controller: '{controller}'\n{params}"
    )


VALID = {
    (CLASS, "valid name, valid controller"): _class(),
    (CLASS, "valid name, controller max length"): _class("foo.co/" + "a" * 243),
    (CLASS, "valid name, valid controller, valid params"): _class(
        parameters="apiGroup: example.com, kind: foo, name: bar, scope: Cluster"
    ),
    (CLASS, "valid name, valid controller, valid Namespace scope"): _class(
        parameters="kind: foo, name: bar, scope: Namespace, namespace: foo-ns"
    ),
    (CLASS, "valid name, valid controller, valid Cluster scope"): _class(
        parameters="kind: foo, name: bar, scope: Cluster"
    ),
    ("issue 22", "parameters without scope are Cluster-scoped"): _class(
        parameters="apiGroup: k8s.example.com, kind: IngressParameters, name: external"
    ),
}

INVALID: dict[tuple[str, str], Refused] = {
    (CLASS, "invalid name, valid controller"): (
        _class(name="test*123"),
        [("name-format", 3, 18)],
        'IngressClass test*123 is invalid: metadata.name: Invalid value: "test*123": a lowercase RFC 1123 subdomain',
    ),
    (CLASS, "valid name, empty controller"): (
        _class(""),
        [(5, 15)],
        "IngressClass test123 is invalid: spec.controller: Required value",
    ),
    (CLASS, "valid name, controller too long"): (
        _class("foo.co/" + "a" * 244),
        [(5, 15)],
        "IngressClass test123 is invalid: spec.controller: Too long: must have at most 250 bytes",
    ),
    (CLASS, "valid name, valid controller, invalid params (no kind)"): (
        _class(parameters="apiGroup: example.com, kind: '', name: bar, scope: Cluster"),
        [(6, 45)],
        "IngressClass test123 is invalid: spec.parameters.kind: Required value",
    ),
    (CLASS, "valid name, valid controller, invalid params (no name)"): (
        _class(parameters="apiGroup: example.com, kind: foo, name: '', scope: Cluster"),
        [(6, 56)],
        "IngressClass test123 is invalid: spec.parameters.name: Required value",
    ),
    (CLASS, "valid name, valid controller, invalid params (bad kind)"): (
        _class(parameters="kind: foo/, name: bar, scope: Cluster"),
        [(6, 22)],
        "IngressClass test123 is invalid: spec.parameters.kind: Invalid value: \"foo/\": may not contain '/'",
    ),
    (CLASS, "valid name, valid controller, invalid params (bad scope)"): (
        _class(parameters="kind: foo, name: bar, scope: bad-scope"),
        [("schema", 6, 45)],
        'spec.parameters.scope: Unsupported value: "bad-scope"',
    ),
    (CLASS, "valid name, valid controller, valid scope, invalid namespace"): (
        _class(parameters="kind: foo, name: bar, scope: Namespace, namespace: foo_ns"),
        [(6, 67)],
        'IngressClass test123 is invalid: spec.parameters.namespace: Invalid value: "foo_ns": a lowercase RFC 1123 label',
    ),
    (CLASS, "valid name, valid controller, invalid scope (defaulted to Cluster in v1)"): (
        _class(parameters="kind: foo, name: bar, namespace: foo_ns"),
        [(6, 38)],
        "IngressClass test123 is invalid: spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
    ),
    (CLASS, "namespace not set when scope is Namespace"): (
        _class(parameters="kind: foo, name: bar, scope: Namespace"),
        [(6, 15)],
        "IngressClass test123 is invalid: spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
    ),
    (CLASS, "namespace is forbidden when scope is Cluster"): (
        _class(parameters="kind: foo, name: bar, scope: Cluster, namespace: foo-ns"),
        [(6, 54)],
        "IngressClass test123 is invalid: spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
    ),
    (CLASS, "empty namespace is forbidden when scope is Cluster"): (
        _class(parameters="kind: foo, name: bar, scope: Cluster, namespace: ''"),
        [(6, 54)],
        "IngressClass test123 is invalid: spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
    ),
    ("issue 22", "controller: nginx"): (
        _class("nginx"),
        [(5, 15)],
        'IngressClass test123 is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID, select=SELECT
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 7, 15, "error"),
        (RULE, 19, 5, "error"),
        (RULE, 26, 15, "error"),
        (RULE, 28, 5, "error"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            'IngressClass nginx is invalid: spec.controller: Invalid value: "nginx": must be a '
            'domain-prefixed path (such as "acme.io/foo")',
            "ingress-nginx's controller is k8s.io/ingress-nginx",
        ),
        (
            "IngressClass external is invalid: spec.parameters.namespace: Forbidden: "
            "`parameters.scope` is set to 'Cluster'",
            "remove namespace, or set scope: Namespace for a namespaced parameters object",
        ),
        (
            'IngressClass internal is invalid: spec.controller: Invalid value: "Example.com": a '
            "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
            "or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
            "write the controller as a domain and a path, such as k8s.io/ingress-nginx",
        ),
        (
            "IngressClass internal is invalid: spec.parameters.namespace: Required value: "
            "`parameters.scope` is set to 'Namespace'",
            "name the namespace of the parameters object",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_a_controller_path_with_characters_outside_rfc_3986_is_refused() -> None:
    (finding,) = lint_text(_class("example.com/in gress"), select=[RULE])
    assert finding.message == (
        'IngressClass test123 is invalid: spec.controller: Invalid value: "in gress": Invalid '
        "path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"
    )


def test_a_controller_without_spec_is_required() -> None:
    text = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: x}\n"
    (finding,) = lint_text(text, select=[RULE])
    assert finding.message == "IngressClass x is invalid: spec.controller: Required value"


def test_no_message_prints_a_python_none() -> None:
    texts = [*VALID.values(), *(case[0] for case in INVALID.values())]
    for text in texts:
        assert [f.message for f in lint_text(text, select=SELECT) if "None" in f.message] == []
