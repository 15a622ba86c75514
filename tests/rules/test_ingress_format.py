"""ingress-format, with the other Ingress rules of the API server's validation (DESIGN §4 "The
API server's validation, whole"): `ValidateIngressCreate`, with every case of the upstream
`TestValidateIngress`, `TestValidateIngressRuleValue`, `TestValidateIngressCreate`,
`TestValidateIngressTLS` and `TestValidateEmptyIngressTLS` (pkg/apis/networking/validation)
restated as a networking.k8s.io/v1 Ingress.

Each refusal is reported by the rule of its topic: hosts by `ingress-host-format`, paths by
`ingress-path-format`, backends by `ingress-backend-format`, TLS secret names by
`ingress-tls-secret`, the class annotation beside `ingressClassName` by `ingress-class-missing`
(policies word their findings their own way); `pathType` values are an enum
of the strict schema (`schema`). `TestValidateIngressUpdate` and `TestValidateIngressStatusUpdate`
are update-only and status-only: the API server drops `status` on create, so an invalid status is
restated as a valid case."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "ingress-format"
HOST = "ingress-host-format"
PATH = "ingress-path-format"
BACKEND = "ingress-backend-format"
TLS = "ingress-tls-secret"
CLASS = "ingress-class-missing"
SELECT = [
    RULE,
    HOST,
    PATH,
    BACKEND,
    TLS,
    "ingress-no-rules",
    "schema",
    "metadata-format",
    "name-format",
]
INGRESS = "TestValidateIngress"
RULE_VALUE = "TestValidateIngressRuleValue"
CREATE = "TestValidateIngressCreate"
BACKEND_80 = "{service: {name: defaultbackend, port: {number: 80}}}"
RESOURCE = "{apiGroup: example.com, kind: foo, name: bar}"


def _ingress(
    spec: str = f"  defaultBackend: {BACKEND_80}\n",
    *,
    meta: str = "{name: foo, namespace: default}",
) -> str:
    return f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {meta}\nspec:\n{spec}"


def _rule(
    host: str = "foo.bar.com",
    path: str | None = "/foo",
    path_type: str = "ImplementationSpecific",
    backend: str = BACKEND_80,
) -> str:
    path_field = "" if path is None else f"path: '{path}', "
    host_field = "" if host == "" else f"host: '{host}', "
    return (
        f"  - {{{host_field}http: {{paths: [{{{path_field}pathType: {path_type}, "
        f"backend: {backend}}}]}}}}\n"
    )


def _base(**rule: str) -> str:
    """The upstream `baseIngress` of TestValidateIngress: a default backend and one rule."""
    return _ingress(f"  defaultBackend: {BACKEND_80}\n  rules:\n" + _rule(**rule))


def _create(spec: str = "", meta: str = "") -> str:
    """The upstream `baseIngress` of TestValidateIngressCreate (test123 in test123)."""
    return _ingress(
        f"  defaultBackend: {BACKEND_80}\n" + spec,
        meta="{name: test123, namespace: test123" + meta + "}",
    )


def _rule_value(path_type: str, path: str) -> str:
    """A TestValidateIngressRuleValue case: one rule with one path."""
    return _ingress("  rules:\n" + _rule(host="", path=path, path_type=path_type))


def _tls_ingress(rule_host: str, tls: str) -> str:
    """The `newValid` Ingress of TestValidateIngressTLS with a rule host and `tls`."""
    return _ingress(f"  defaultBackend: {BACKEND_80}\n  rules:\n" + _rule(host=rule_host) + tls)


def _empty_tls(tls: str) -> str:
    """The `newValid` Ingress of TestValidateEmptyIngressTLS: a path without `path`."""
    backend = "{service: {name: defaultbackend, port: {number: 443}}}"
    return _ingress("  rules:\n" + _rule(path=None, backend=backend) + tls)


VALID = {
    (INGRESS, "empty path (implementation specific)"): _base(path=""),
    (INGRESS, "valid path"): _base(path="/valid"),
    (INGRESS, "valid wildcard host"): _base(host="*.bar.com"),
    (INGRESS, "the base Ingress with its status (dropped on create)"): _base()
    + "status: {loadBalancer: {ingress: [{ip: 127.0.0.1}]}}\n",
    ("TestValidateIngressStatusUpdate", "invalid status (status-only)"): _base()
    + "status: {loadBalancer: {ingress: [{ip: abcd, hostname: 127.0.0.1}]}}\n",
    (RULE_VALUE, "implementation specific: leading slash"): _rule_value(
        "ImplementationSpecific", "/foo"
    ),
    (RULE_VALUE, "implementation specific: many slashes"): _rule_value(
        "ImplementationSpecific", "/foo/bar/foo"
    ),
    (RULE_VALUE, "implementation specific: repeating slashes"): _rule_value(
        "ImplementationSpecific", "/foo//bar/foo"
    ),
    (RULE_VALUE, "prefix: leading slash"): _rule_value("Prefix", "/foo"),
    (RULE_VALUE, "prefix: many slashes"): _rule_value("Prefix", "/foo/bar/foo"),
    (RULE_VALUE, "exact: leading slash"): _rule_value("Exact", "/foo"),
    (RULE_VALUE, "exact: many slashes"): _rule_value("Exact", "/foo/bar/foo"),
    (CREATE, "class field set"): _create("  ingressClassName: bar\n"),
    (CREATE, "class annotation set"): _create(
        meta=", annotations: {kubernetes.io/ingress.class: foo}"
    ),
    (CREATE, "class field and annotation set with same value"): _create(
        "  ingressClassName: foo\n", ", annotations: {kubernetes.io/ingress.class: foo}"
    ),
    (CREATE, "valid regex path"): _create("  rules:\n" + _rule(path="/([a-z0-9]*)")),
    (CREATE, "invalid regex path allowed (v1)"): _create(
        "  rules:\n" + _rule(path="/([a-z0-9]*)[")
    ),
    (CREATE, "Spec.Backend.Resource field allowed on create"): _ingress(
        f"  defaultBackend: {{resource: {RESOURCE}}}\n",
        meta="{name: test123, namespace: test123}",
    ),
    (CREATE, "Paths.Backend.Resource field allowed on create"): _create(
        "  rules:\n" + _rule(path="/([a-z0-9]*)", backend=f"{{resource: {RESOURCE}}}")
    ),
    (CREATE, "valid secret"): _create("  tls: [{secretName: valid}]\n"),
    (CREATE, "valid rules with wildcard host"): _create(
        "  tls: [{hosts: ['*.bar.com']}]\n  rules:\n"
        + _rule(host="*.foo.com", path="/foo", path_type="Exact")
    ),
    ("TestValidateIngressTLS", "spec.tls[0].hosts: Valid value: '*.bar.com'"): _tls_ingress(
        "*.bar.com", "  tls: [{hosts: ['*.bar.com']}]\n"
    ),
    ("TestValidateEmptyIngressTLS", "an empty tls entry"): _empty_tls("  tls: [{}]\n"),
    ("TestValidateEmptyIngressTLS", "empty tls hosts"): _empty_tls("  tls: [{hosts: []}]\n"),
}

INVALID: dict[tuple[str, str], Refused] = {
    (INGRESS, "backend with no service"): (
        _ingress(
            "  defaultBackend: {service: {name: '', port: {number: 80}}}\n  rules:\n" + _rule()
        ),
        [(BACKEND, 5, 36)],
        "Ingress default/foo is invalid: spec.defaultBackend.service.name: Required value",
    ),
    (INGRESS, "invalid path type"): (
        _base(path_type="foo"),
        [("schema", 7, 67)],
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "foo"',
    ),
    (INGRESS, "empty path (prefix)"): (
        _base(path="", path_type="Prefix"),
        [(PATH, 7, 49)],
        "Ingress default/foo path '' (pathType Prefix) is invalid: must be an absolute path",
    ),
    (INGRESS, "no paths"): (
        _ingress(
            f"  defaultBackend: {BACKEND_80}\n  rules:\n  - {{host: foo.bar.com, http: {{paths: []}}}}\n"
        ),
        [(7, 39)],
        "Ingress default/foo is invalid: spec.rules[0].http.paths: Required value",
    ),
    (INGRESS, "invalid host (foobar:80)"): (
        _base(host="foobar:80"),
        [(HOST, 7, 12)],
        "Ingress default/foo host 'foobar:80' is invalid",
    ),
    (INGRESS, "invalid host (127.0.0.1)"): (
        _base(host="127.0.0.1"),
        [(HOST, 7, 12)],
        "Ingress default/foo host '127.0.0.1' is invalid",
    ),
    (INGRESS, "invalid wildcard host (foo.*.bar.com)"): (
        _base(host="foo.*.bar.com"),
        [(HOST, 7, 12)],
        "Ingress default/foo host 'foo.*.bar.com' is invalid",
    ),
    (INGRESS, "invalid wildcard host (*)"): (
        _base(host="*"),
        [(HOST, 7, 12)],
        "Ingress default/foo host '*' is invalid",
    ),
    (INGRESS, "path resource backend and service name are not allowed together"): (
        _base(
            backend=f"{{service: {{name: defaultbackend, port: {{number: 80}}}}, resource: {RESOURCE}}}"
        ),
        [(BACKEND, 7, 100)],
        'Ingress default/foo is invalid: spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends',
    ),
    (INGRESS, "spec.backend resource and service name are not allowed together"): (
        _ingress(
            f"  defaultBackend: {{service: {{name: defaultbackend, port: {{number: 80}}}}, resource: {RESOURCE}}}\n"
            "  rules:\n" + _rule()
        ),
        [(BACKEND, 5, 19)],
        'Ingress default/foo is invalid: spec.defaultBackend: Invalid value: "": cannot set both resource and service backends',
    ),
    (RULE_VALUE, "implementation specific: no leading slash"): (
        _rule_value("ImplementationSpecific", "foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path 'foo' (pathType ImplementationSpecific) is invalid: must be an absolute path",
    ),
    (RULE_VALUE, "prefix: no leading slash"): (
        _rule_value("Prefix", "foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path 'foo' (pathType Prefix) is invalid: must be an absolute path",
    ),
    (RULE_VALUE, "prefix: repeating slashes"): (
        _rule_value("Prefix", "/foo//bar/foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path '/foo//bar/foo' (pathType Prefix) is invalid: must not contain '//'",
    ),
    (RULE_VALUE, "exact: no leading slash"): (
        _rule_value("Exact", "foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path 'foo' (pathType Exact) is invalid: must be an absolute path",
    ),
    (RULE_VALUE, "exact: repeating slashes"): (
        _rule_value("Exact", "/foo//bar/foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path '/foo//bar/foo' (pathType Exact) is invalid: must not contain '//'",
    ),
    (RULE_VALUE, "prefix: with /./"): (
        _rule_value("Prefix", "/foo/./foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path '/foo/./foo' (pathType Prefix) is invalid: must not contain '/./'",
    ),
    (RULE_VALUE, "exact: with /../"): (
        _rule_value("Exact", "/foo/../foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path '/foo/../foo' (pathType Exact) is invalid: must not contain '/../'",
    ),
    (RULE_VALUE, "prefix: with %2f"): (
        _rule_value("Prefix", "/foo/%2f/foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path '/foo/%2f/foo' (pathType Prefix) is invalid: must not contain '%2f'",
    ),
    (RULE_VALUE, "exact: with %2F"): (
        _rule_value("Exact", "/foo/%2F/foo"),
        [(PATH, 6, 28)],
        "Ingress default/foo path '/foo/%2F/foo' (pathType Exact) is invalid: must not contain '%2F'",
    ),
    (CREATE, "invalid secret"): (
        _create("  tls: [{secretName: invalid name}]\n"),
        [(TLS, 6, 22)],
        'Ingress test123/test123 is invalid: spec.tls[0].secretName: Invalid value: "invalid name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    ),
    (CREATE, "invalid rules with wildcard host"): (
        _create(
            "  tls: [{hosts: ['*.bar.com']}]\n  rules:\n"
            + _rule(host="*.foo.com", path="foo", path_type="Exact")
        ),
        [(PATH, 8, 47)],
        "Ingress test123/test123 path 'foo' (pathType Exact) is invalid: must be an absolute path",
    ),
    ("TestValidateIngressTLS", "spec.tls[0].hosts[0]: Invalid value: 'foo.*.bar.com'"): (
        _tls_ingress("*.foo.bar.com", "  tls: [{hosts: ['foo.*.bar.com']}]\n"),
        [(HOST, 8, 18)],
        "Ingress default/foo host 'foo.*.bar.com' is invalid",
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID, select=SELECT
)

# The class annotation is `ingress-class-missing`'s, which warns about class-less Ingresses too:
# its upstream case runs with that rule alone.
CLASS_INVALID: dict[tuple[str, str], Refused] = {
    (CREATE, "class field and annotation set with different value"): (
        _create("  ingressClassName: bar\n", ", annotations: {kubernetes.io/ingress.class: foo}"),
        [(3, 90)],
        'Ingress test123/test123 is invalid: annotations[kubernetes.io/ingress.class]: Invalid value: "foo": must match `ingressClassName` when both are specified',
    ),
}
_, test_upstream_class_annotation_case_gets_an_error = upstream_tests(
    CLASS, {}, CLASS_INVALID, select=[CLASS]
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 12, 14, "error"), (RULE, 20, 21, "error")]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "Ingress shop/web is invalid: spec.rules[0].http.paths: Required value",
            "give the rule at least one path, or remove its http block",
        ),
        (
            'Ingress shop/api is invalid: spec.ingressClassName: Invalid value: "Internal_Nginx": '
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character (e.g. "
            "'example.com')",
            "name an IngressClass: lowercase letters, digits, '-' and '.'",
        ),
    ]


def test_the_class_annotation_beside_a_different_class_name_is_ingress_class_missings() -> None:
    text = _create(
        "  ingressClassName: nginx\n", ", annotations: {kubernetes.io/ingress.class: traefik}"
    )
    findings = lint_text(text, select=[RULE, CLASS])
    assert brief(findings) == [(CLASS, 3, 90, "error")]
    assert findings[0].hint == "remove the deprecated kubernetes.io/ingress.class annotation"


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_no_message_prints_a_python_none() -> None:
    texts = [*VALID.values(), *(case[0] for case in INVALID.values())]
    for text in texts:
        assert [f.message for f in lint_text(text, select=SELECT) if "None" in f.message] == []
