"""`name-format` (reference rows SVC-01, ING-01, IC-01, EPS-01, EP-01, DNS-05)."""

from __future__ import annotations

import pytest

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "name-format"


def test_names_the_api_server_refuses_svc_01_ing_01_eps_01() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 5, 9, "error"),  # Service 1web: starts with a digit
        (RULE, 12, 9, "error"),  # Service Web_API
        (RULE, 19, 17, "error"),  # Service generateName 2web-
        (RULE, 26, 9, "error"),  # Ingress My_Ingress
        (RULE, 34, 9, "error"),  # Namespace team.a: a label, no dots
        (RULE, 39, 9, "error"),  # EndpointSlice db-1-: ends with a dash
        (RULE, 47, 9, "error"),  # ConfigMap settings:prod
    ]
    messages = [f.message for f in findings]
    assert messages[0].startswith(
        'Service 1web is invalid: metadata.name: Invalid value: "1web": a DNS-1035 '
        "label must consist of lower case alphanumeric characters or '-', start with an "
        "alphabetic character"
    )
    hints = [f.hint or "" for f in findings]
    assert hints[0].startswith("rename it, e.g. to 'svc-1web'; Service names must be DNS-1035")
    assert hints[1].startswith("rename it, e.g. to 'web-api'; ")
    assert 'metadata.generateName: Invalid value: "2web-"' in messages[2]
    assert hints[2].startswith("rename it, e.g. to 'svc-2web-'; ")
    assert "Ingress names must be DNS-1123 subdomains" in hints[3]
    assert messages[4] == (
        'Namespace team.a is invalid: metadata.name: Invalid value: "team.a": must not contain dots'
    )
    assert "EndpointSlice names must be DNS-1123 subdomains" in hints[5]
    assert '"settings:prod"' in messages[6]


def test_valid_names_and_unchecked_kinds() -> None:
    """Valid names, a generateName prefix ending in `-`, and kinds whose rule netlint does not
    know: an RBAC name with a colon, a Knative Service (another API group)."""
    assert lint_fixture(RULE, "good.yaml") == []


def test_empty_name_is_reported_once_by_manifest_shape() -> None:
    """The traefik fixtures' `metadata.name: ""`: the object has no name at all."""
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: ""
          namespace: default
        spec:
          defaultBackend:
            service: {name: web, port: {number: 80}}
        """
    )
    assert [f.rule_id for f in findings] == ["manifest-shape"]
    assert "metadata.name" in findings[0].message


def test_service_name_too_long() -> None:
    name = "a" * 64
    findings = only(
        lint_text(
            f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n"
            "spec:\n  ports: [{port: 80}]\n"
        ),
        RULE,
    )
    assert brief(findings) == [(RULE, 4, 9, "error")]
    assert findings[0].message.endswith(f'"{name}": must be no more than 63 characters')


def _names(kind: str, api_version: str, meta: str) -> list[str]:
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n{meta}"
    return [f.message.partition(" is invalid: ")[2] for f in only(lint_text(text), RULE)]


# Upstream cases (objectmeta_test.go `TestValidateObjectMetaTrimsTrailingDash`, generic.go's
# name functions, path/name_test.go), restated as manifests: (kind, apiVersion, metadata, the
# API server's errors).
UPSTREAM_CASES = [
    # TestValidateObjectMetaTrimsTrailingDash: a generateName's trailing dash is allowed
    ("ConfigMap", "v1", "  name: test\n  generateName: foo-\n", []),
    ("ConfigMap", "v1", "  generateName: foo-\n", []),
    # maskTrailingDash replaces the last two characters: `a_-` passes as a prefix, but the name
    # generated from it does not
    (
        "ConfigMap",
        "v1",
        "  generateName: a_-\n",
        [
            'metadata.name: Invalid value: "a_-xxxxx": a lowercase RFC 1123 subdomain must '
            "consist of lower case alphanumeric characters, '-' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'example.com')"
        ],
    ),
    # a long generateName is cut to 58 characters before the 5 random ones: a valid subdomain,
    # but the prefix itself is checked too, and a label may not be that long
    ("ConfigMap", "v1", f"  generateName: {'a' * 70}-\n", []),
    (
        "Service",
        "v1",
        f"  generateName: {'a' * 70}-\n",
        [
            f'metadata.generateName: Invalid value: "{"a" * 70}-": must be no more than 63 characters'
        ],
    ),
    # TestValidateNamespaceName-like: Namespace names are DNS-1123 labels
    (
        "Namespace",
        "v1",
        "  name: foo.bar\n",
        ['metadata.name: Invalid value: "foo.bar": must not contain dots'],
    ),
    # path/name_test.go: every other kind's name is a URL path segment
    (
        "ClusterRole",
        "rbac.authorization.k8s.io/v1",
        "  name: system:aggregated-metrics-reader\n",
        [],
    ),
    (
        "ClusterRole",
        "rbac.authorization.k8s.io/v1",
        "  name: ..\n",
        ["metadata.name: Invalid value: \"..\": may not be '..'"],
    ),
    (
        "Role",
        "rbac.authorization.k8s.io/v1",
        '  name: "."\n',
        ["metadata.name: Invalid value: \".\": may not be '.'"],
    ),
    (
        "Widget",
        "example.com/v1",
        "  name: a/b%c\n",
        [
            "metadata.name: Invalid value: \"a/b%c\": may not contain '%'",
            "metadata.name: Invalid value: \"a/b%c\": may not contain '/'",
        ],
    ),
    (
        "Widget",
        "example.com/v1",
        "  generateName: a%\n",
        ["metadata.generateName: Invalid value: \"a%\": may not contain '%'"],
    ),
    ("Widget", "example.com/v1", "  name: Hello_World\n", []),
]


@pytest.mark.parametrize(("kind", "api_version", "meta", "expected"), UPSTREAM_CASES)
def test_upstream_name_cases(kind: str, api_version: str, meta: str, expected: list[str]) -> None:
    assert _names(kind, api_version, meta) == expected
