"""schema (DESIGN §5): strict schemas of the target version, one finding per violation."""

from __future__ import annotations

from netlint.api import Settings
from tests.helpers import brief, lint_fixture, lint_text

RULE = "schema"


def test_bad_fixture_unknown_field_type_enum_and_required() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 8, 3, "error"),
        (RULE, 12, 11, "error"),
        (RULE, 13, 15, "error"),
        (RULE, 24, 9, "error"),
    ]
    assert [f.message for f in findings] == [
        "spec.endpointSlices: unknown field; Service spec has no such field",
        'spec.ports[0].port: must be an integer, not a string ("80")',
        'spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
        "spec.rules[0].http.paths[0].pathType: Required value",
    ]


def test_good_fixture_int_or_string_null_timestamp_and_unchecked_kinds() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_the_target_version_decides() -> None:
    # EndpointSlice `hints.forNodes` came with Kubernetes 1.33: unknown to the 1.32 schema.
    text = """
    apiVersion: discovery.k8s.io/v1
    kind: EndpointSlice
    metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
    addressType: IPv4
    endpoints:
    - addresses: [10.0.0.1]
      hints:
        forNodes: [{name: node-a}]
    """
    old = lint_text(text, select=[RULE], settings=Settings(kube_version="1.32"))
    assert brief(old) == [(RULE, 9, 5, "error")]
    assert old[0].message.startswith("endpoints[0].hints.forNodes: unknown field")
    for version in ("1.33", "1.37"):
        assert lint_text(text, select=[RULE], settings=Settings(kube_version=version)) == []


def test_a_field_removed_long_ago_is_unknown_to_every_version() -> None:
    # spec.ipFamily was removed in 1.20.
    text = """
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      ipFamily: IPv6
      ports: [{port: 80}]
    """
    for version in ("1.32", "1.37"):
        findings = lint_text(text, select=[RULE], settings=Settings(kube_version=version))
        assert brief(findings) == [(RULE, 6, 3, "error")]


def test_status_is_not_validated_on_create() -> None:
    """The API server drops a created object's status before validation (PrepareForCreate, a
    custom resource's status subresource): no required field, enum or CEL rule there. The
    Gateway API routes that came with `status.parents: null` got false errors."""
    text = """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
        spec:
          parentRefs: [{name: gw}]
        status:
          parents: null
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gw
        spec:
          gatewayClassName: nginx
          listeners: [{name: http, port: 80, protocol: HTTP}]
        status:
          addresses: [{value: 10.0.0.1, type: 42}]
          conditions: [{type: Accepted}]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports: [{port: 80}]
        status:
          loadBalancer:
            ingress: [{ip: 10.0.0.1, ipMode: Sideways, ports: [{port: 80}]}]
        """
    assert lint_text(text, select=[RULE]) == []


def test_strict_decoding_still_reads_status() -> None:
    """What the decoder refuses before status is dropped: an unknown field of any kind, and for a
    built-in kind a value of the wrong type for its Go field."""
    text = """\
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports: [{port: 80}]
        status:
          loadBalancer: {ingress: [{ip: 10.0.0.1, bogus: 1}]}
          conditions: 3
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
        spec: {}
        status:
          parents: 3
          bogus: 1
        """
    findings = lint_text(text, select=[RULE])
    assert [(f.location.line, f.message) for f in findings] == [
        (
            8,
            "status.loadBalancer.ingress[0].bogus: unknown field; Service status.loadBalancer.ingress[0] has no such field",
        ),
        (9, "status.conditions: must be a list, not an integer (3)"),
        (18, "status.bogus: unknown field; HTTPRoute status has no such field"),
    ]


def test_bounds_are_worded_as_the_api_server_words_them_never_with_the_whole_value() -> None:
    # kube-openapi's "in body should ..." details and field.TooMany: a list of 17 hostnames (or
    # 8,000 route matches) is counted, not printed.
    hostnames = ", ".join(f"h{index}.example.com" for index in range(17))
    text = f"""
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {{name: web, namespace: shop}}
    spec:
      parentRefs: [{{name: gw, sectionName: ""}}]
      hostnames: [{hostnames}]
      rules:
      - backendRefs: [{{name: web, port: 0}}]
        matches: [{{headers: [{{name: "bad header", value: x}}]}}]
    """
    findings = lint_text(text, select=[RULE])
    assert brief(findings) == [
        (RULE, 6, 40, "error"),
        (RULE, 6, 40, "error"),
        (RULE, 7, 14, "error"),
        (RULE, 9, 37, "error"),
        (RULE, 10, 33, "error"),
    ]
    assert [f.message for f in findings] == [
        'spec.parentRefs[0].sectionName: Invalid value: "": '
        "spec.parentRefs[0].sectionName in body should be at least 1 chars long",
        'spec.parentRefs[0].sectionName: Invalid value: "": '
        "spec.parentRefs[0].sectionName in body should match "
        "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
        "spec.hostnames: Too many: 17: must have at most 16 items",
        "spec.rules[0].backendRefs[0].port: Invalid value: 0: "
        "spec.rules[0].backendRefs[0].port in body should be greater than or equal to 1",
        'spec.rules[0].matches[0].headers[0].name: Invalid value: "bad header": '
        "spec.rules[0].matches[0].headers[0].name in body should match "
        "'^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$'",
    ]
