"""`ingress-class-missing` (Facts ING-24..ING-27)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-class-missing"

ANNOTATED = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {kubernetes.io/ingress.class: nginx}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""


def test_bad_fixture_ing_24_25_26() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 7, 1, "warning"),
        (RULE, 17, 34, "warning"),
        (RULE, 28, 34, "error"),
    ]
    assert "Ingress shop/no-class has no spec.ingressClassName" in found[0].message
    assert "'nginx' with the deprecated kubernetes.io/ingress.class" in found[1].message
    assert found[1].hint is not None and "spec.ingressClassName: nginx" in found[1].hint
    assert found[2].message == (
        "Ingress shop/both-differ is invalid: annotations[kubernetes.io/ingress.class]: Invalid "
        'value: "traefik": must match `ingressClassName` when both are specified'
    )


def test_good_fixture_default_class_in_input_ing_27() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_equal_annotation_and_field_is_not_an_error_ing_25() -> None:
    both = ANNOTATED.replace("spec:\n", "spec:\n  ingressClassName: nginx\n")
    assert only(lint_text(both), RULE) == []


def test_default_must_be_exactly_true_ing_27() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: nginx
          annotations: {ingressclass.kubernetes.io/is-default-class: "True"}
        spec: {controller: k8s.io/ingress-nginx}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 11, 1, "warning")]


def test_the_move_to_the_field_is_offered_only_for_a_known_class() -> None:
    # As ingress-class-unknown judges it: the fix must not bring in its finding.
    (unknown,) = only(lint_text(ANNOTATED), RULE)
    assert unknown.fix is None
    assert unknown.hint == (
        "migrate to spec.ingressClassName: nginx and remove the annotation (`--fix "
        "--unsafe-fixes` does it once IngressClass nginx is known: in the linted files, "
        "--context or config external.ingressClasses)"
    )
    settings = Settings(external=ExternalObjects(patterns={"ingressClasses": ("nginx",)}))
    (known,) = only(lint_text(ANNOTATED, settings=settings), RULE)
    assert known.hint == "migrate to spec.ingressClassName: nginx and remove the annotation"
    assert known.fix is not None
    assert known.fix.title == "move the class to spec.ingressClassName"
