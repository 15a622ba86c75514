"""`ingress-path-format` (Facts ING-09, ING-10, ING-11, NGX-02)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-path-format"


def test_bad_fixture_ing_09_10_11_ngx_02() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 12, 15, "error"),
        (RULE, 16, 15, "error"),
        (RULE, 19, 15, "error"),
        (RULE, 22, 15, "error"),
        (RULE, 25, 15, "warning"),
        (RULE, 28, 15, "warning"),
    ]
    assert "path 'api' (pathType Prefix) is invalid: must be an absolute path" in found[0].message
    assert "must not contain '//'; must not contain '/../'" in found[1].message
    assert "must not contain '%2F'" in found[2].message
    assert (
        "(pathType ImplementationSpecific) is invalid: must be an absolute path" in found[3].message
    )
    assert "regex characters under pathType Prefix" in found[4].message
    assert "ingress-nginx >= 1.12" in found[5].message


def test_good_fixture_regex_under_implementation_specific_and_legacy() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_empty_prefix_path_is_not_absolute_ing_09() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: traefik
          rules:
          - http:
              paths:
              - path: ""
                pathType: Exact
                backend: {service: {name: web, port: {number: 80}}}
              - pathType: Prefix
                backend: {service: {name: web, port: {number: 80}}}
              - path: /~user
                pathType: Prefix
                backend: {service: {name: web, port: {number: 80}}}
        """
    )
    # the '~' is only reported for ingress-nginx; traefik takes it literally
    assert brief(only(findings, RULE)) == [(RULE, 9, 15, "error"), (RULE, 12, 19, "error")]


def test_path_ending_with_dot_segment_ing_10() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: traefik
          rules:
          - http:
              paths:
              - path: /a/..
                pathType: Prefix
                backend: {service: {name: web, port: {number: 80}}}
        """
    )
    found = only(findings, RULE)
    assert brief(found) == [(RULE, 9, 15, "error")]
    assert "cannot end with '/..'" in found[0].message
