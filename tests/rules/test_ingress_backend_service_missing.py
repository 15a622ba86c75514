"""`ingress-backend-service-missing` (Facts ING-13, ING-18, ING-20; DESIGN §4 open world)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-backend-service-missing"


def test_bad_fixture_rules_default_backend_and_legacy_ing_18_20() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 19, 21, "warning"),
        (RULE, 27, 27, "error"),
        (RULE, 36, 18, "warning"),
    ]
    assert "Service shop/fallback, which is not found in the linted files" in found[0].message
    assert "Service 'api', which is not in namespace shop but exists in namespace default" in (
        found[1].message
    )
    assert "can only use Services of its own namespace" in found[1].message
    assert "Ingress shop/legacy routes to Service shop/old-web" in found[2].message


def test_good_fixture_resource_backend_and_alb_action_ing_13() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_external_declaration_silences_a_missing_service() -> None:
    settings = Settings(
        external=ExternalObjects(patterns={"services": ("shop/fallback", "old-web")})
    )
    found = lint_fixture(RULE, settings=settings)
    assert brief(found) == [(RULE, 27, 27, "error")]


def test_use_annotation_without_action_annotation_is_still_a_service() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: alb
          defaultBackend:
            service: {name: ssl-redirect, port: {name: use-annotation}}
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 7, 21, "warning")]


def test_argo_rollouts_writes_the_alb_action_itself() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: alb
          defaultBackend:
            service: {name: root, port: {name: use-annotation}}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          strategy:
            canary:
              stableService: stable
              canaryService: canary
              trafficRouting:
                alb: {ingress: web, rootService: root, servicePort: 80}
        """
    )
    assert only(findings, RULE) == []


def test_a_service_in_many_other_namespaces_names_the_first_ten() -> None:
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ns-%02d}\n"
        "spec: {selector: {app: web}, ports: [{port: 80}]}\n"
    )
    ingress = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: blog}\n"
        "spec:\n  ingressClassName: nginx\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n"
    )
    text = "---\n".join([service % index for index in range(13)] + [ingress])
    [found] = only(lint_text(text), RULE)
    shown = ", ".join(f"ns-{index:02}" for index in range(10))
    assert found.message == (
        f"Ingress blog/web routes to Service 'web', which is not in namespace blog but exists in "
        f"namespaces {shown} and 3 more; an Ingress can only use Services of its own namespace"
    )


def test_a_name_that_is_not_a_service_name_is_ingress_backend_formats_alone() -> None:
    text = """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: web, namespace: shop}
    spec:
      defaultBackend: {service: {name: 2048-game, port: {number: 80}}}
    """
    findings = lint_text(text, select=[RULE, "ingress-backend-format"])
    assert [f.rule_id for f in findings] == ["ingress-backend-format"]
