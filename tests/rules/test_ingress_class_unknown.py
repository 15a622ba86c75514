"""`ingress-class-unknown` (Fact ING-24)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-class-unknown"

TYPO = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: alb
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""


def test_bad_fixture_names_the_known_classes_ing_24() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 15, 21, "info")]
    assert "IngressClass 'ngnix', which is not found in the linted files" in found[0].message
    assert "the linted files define nginx" in found[0].message


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_external_declaration_silences_it() -> None:
    assert brief(only(lint_text(TYPO), RULE)) == [(RULE, 5, 21, "info")]
    settings = Settings(external=ExternalObjects(patterns={"ingressClasses": ("alb",)}))
    assert only(lint_text(TYPO, settings=settings), RULE) == []
