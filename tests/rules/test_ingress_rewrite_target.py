"""`ingress-rewrite-target` (ingress-nginx rewrite semantics, reference §5; NGX-05)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-rewrite-target"


def test_bad_fixture_seed_case_groups_and_use_regex() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 13, 15, "info"),
        (RULE, 17, 15, "info"),
        (RULE, 35, 15, "info"),
    ]
    assert "routes '/test' without rewrite-target: the backend receives the full path" in (
        found[0].message
    )
    assert found[0].hint is not None and "'/test(/|$)(.*)'" in found[0].hint
    assert "looks like a regex, but no Ingress for host '*' sets use-regex" in found[1].message
    assert "rewrite-target '/$2' uses $2, but path '/api(/.*)' has 1 capture group" in (
        found[2].message
    )


def test_good_fixture_nginx_by_ingress_class_controller() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_use_regex_elsewhere_on_the_host_counts() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: a
          annotations: {nginx.ingress.kubernetes.io/use-regex: "true"}
        spec:
          ingressClassName: nginx
          rules:
          - host: a.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: b
          annotations: {kubernetes.io/ingress.class: nginx}
        spec:
          rules:
          - host: a.example.com
            http:
              paths:
              - path: /.*
                pathType: ImplementationSpecific
                backend: {service: {name: b, port: {number: 80}}}
        """
    )
    assert only(findings, RULE) == []


def test_unknown_class_named_nginx_is_nginx() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: a}
        spec:
          ingressClassName: nginx
          rules:
          - http:
              paths:
              - {path: /app, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 9, 16, "info")]
