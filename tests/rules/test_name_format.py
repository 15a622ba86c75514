"""`name-format` (reference rows SVC-01, ING-01, IC-01, EPS-01, EP-01, DNS-05)."""

from __future__ import annotations

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
    assert 'metadata.name: Invalid value: "1web": a DNS-1035 label must consist' in messages[0]
    assert "Service names must be DNS-1035 labels" in messages[0]
    assert findings[0].hint == "rename it, e.g. to 'svc-1web'"
    assert findings[1].hint == "rename it, e.g. to 'web-api'"
    assert 'metadata.generateName: Invalid value: "2web-"' in messages[2]
    assert "Ingress names must be DNS-1123 subdomains" in messages[3]
    assert '"team.a": must not contain dots' in messages[4]
    assert "EndpointSlice names must be DNS-1123 subdomains" in messages[5]
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
    assert "must be no more than 63 characters" in findings[0].message
