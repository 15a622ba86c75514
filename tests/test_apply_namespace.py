"""The apply namespace (DESIGN §3 "Manifest", issue 23 item 1): an object without
`metadata.namespace` lives in the namespace chosen when it is applied, so a reference between it
and an explicit namespace is never "another namespace", and messages show it without `default/`."""

from __future__ import annotations

from pathlib import Path

from netlint.api import Settings
from tests.helpers import brief, lint_text, run_netlint

SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
"""
INGRESS_IN_SHOP = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
"""
DEPLOYMENT_IN_SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
"""
REFERENCE_RULES = [
    "ingress-backend-service-missing",
    "ingress-backend-port-mismatch",
    "service-selector-no-match",
    "service-target-port-unresolved",
]


def bundle(*documents: str) -> str:
    return "---\n".join(documents)


def test_an_olm_style_bundle_mixing_explicit_and_no_namespace_has_no_finding() -> None:
    # The Service has no namespace: applied with the bundle, it lands beside the Ingress and the
    # Deployment (OLM, `kubectl apply -n shop`). Before issue 23 both references were errors.
    text = bundle(SERVICE, INGRESS_IN_SHOP, DEPLOYMENT_IN_SHOP)
    assert lint_text(text, select=REFERENCE_RULES) == []


def test_a_namespace_less_service_still_reports_a_selector_matching_nothing_without_default() -> (
    None
):
    text = bundle(
        SERVICE, DEPLOYMENT_IN_SHOP.replace("app: web}}\n    spec", "app: api}}\n    spec")
    )
    [finding] = lint_text(text, select=["service-selector-no-match"])
    assert brief([finding]) == [("service-selector-no-match", 5, 3, "warning")]
    assert finding.message == (
        "Service web selects no pods: no pod template in the apply namespace of the linted files "
        "has app=web"
    )
    assert finding.obj is not None and finding.obj.namespace == ""


def test_explicit_namespaces_that_differ_are_still_an_error() -> None:
    service_in_prod = SERVICE.replace("{name: web}", "{name: web, namespace: prod}")
    [finding] = lint_text(
        bundle(service_in_prod, INGRESS_IN_SHOP), select=["ingress-backend-service-missing"]
    )
    assert brief([finding]) == [("ingress-backend-service-missing", 16, 63, "error")]
    assert "exists in namespace prod" in finding.message


def test_a_configured_default_namespace_is_an_explicit_statement() -> None:
    settings = Settings(default_namespace="prod")
    [finding] = lint_text(
        bundle(SERVICE, INGRESS_IN_SHOP),
        select=["ingress-backend-service-missing"],
        settings=settings,
    )
    assert finding.severity.label == "error"
    assert (
        "Service 'web', which is not in namespace shop but exists in namespace prod"
        in finding.message
    )


def test_a_missing_reference_from_the_apply_namespace_names_it_without_a_namespace() -> None:
    ingress = INGRESS_IN_SHOP.replace("{name: web, namespace: shop}", "{name: web}")
    [finding] = lint_text(ingress, select=["ingress-backend-service-missing"])
    assert finding.message == (
        "Ingress web routes to Service web, which is not found in the linted files"
    )
    assert finding.hint is not None and "external: {services: [web]}" in finding.hint


GATEWAY_IN_INFRA = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: example
  listeners: [{name: http, protocol: HTTP, port: 80}]
"""
ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: edge, namespace: infra}]
  rules:
  - backendRefs: [{name: web, namespace: shop, port: 80}]
"""
SERVICE_IN_SHOP = SERVICE.replace("{name: web}", "{name: web, namespace: shop}")


def test_a_route_in_the_apply_namespace_may_be_in_the_gateway_s_and_the_backend_s() -> None:
    # Whether `from: Same` admits it, and whether the backendRef crosses namespaces, is decided
    # when the route is applied: no error either way.
    findings = lint_text(
        bundle(GATEWAY_IN_INFRA, ROUTE, SERVICE_IN_SHOP),
        select=["route-not-allowed", "route-reference-grant", "route-backend-missing"],
    )
    assert findings == []


def test_an_explicit_route_namespace_is_still_refused_by_from_same() -> None:
    route = ROUTE.replace("{name: web}", "{name: web, namespace: shop}", 1)
    [finding] = lint_text(bundle(GATEWAY_IN_INFRA, route), select=["route-not-allowed"])
    assert finding.severity.label == "error"
    assert "admits routes of namespace infra only" in finding.message


def test_the_text_report_shows_namespace_less_objects_unqualified(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE)
    result = run_netlint(tmp_path, "check", "svc.yaml", "--select", "service-selector-no-match")
    out = result.stdout.decode()
    assert result.returncode == 1
    assert out.startswith(
        "svc.yaml:5:3: warning[service-selector-no-match] Service web selects no pods: no pod "
        "template in the apply namespace of the linted files has app=web"
    )
    assert "default/" not in out
