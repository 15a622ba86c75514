"""traffic-blocked: NetworkPolicies drop the traffic of an Ingress or route before its pods."""

from __future__ import annotations

import json
from pathlib import Path

from netlint.api import INGRESS_NGINX, IngressController, Settings
from tests.helpers import brief, lint_fixture, lint_text, run_netlint

RULE = "traffic-blocked"
NGINX_PODS = "app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx"
CONFIG_HINT = (
    "; if the controller runs elsewhere or with other labels, say so under "
    "traffic.ingress-controllers in the configuration"
)


def _admit_hint(owner: str, port: int) -> str:
    return (
        f"admit the controller in a policy that selects {owner}: an ingress rule with "
        "`from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}, "
        "podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx, "
        "app.kubernetes.io/component: controller}}}]` and "
        f"`ports: [{{port: {port}}}]`" + CONFIG_HINT
    )


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 26, 19, "error"),
        (RULE, 33, 19, "warning"),
        (RULE, 173, 13, "error"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            'Ingress shop/web routes shop.example.com/ to Service shop/web port 80/TCP ("http"), '
            "but no traffic from ingress-nginx reaches the pods behind it: NetworkPolicy "
            "shop/default-deny isolates Deployment shop/web for ingress and no rule admits pods "
            f'{NGINX_PODS} of namespace ingress-nginx on port 8080/TCP ("http")',
            _admit_hint("Deployment shop/web", 8080),
        ),
        (
            "Ingress shop/web routes shop.example.com/api to Service shop/api port 80/TCP, but "
            "traffic from ingress-nginx reaches only some of the pods behind it (Deployment "
            "shop/api): NetworkPolicy shop/default-deny isolates Deployment shop/api-canary for "
            f"ingress and no rule admits pods {NGINX_PODS} of namespace ingress-nginx on port "
            "9000/TCP",
            _admit_hint("Deployment shop/api-canary", 9000),
        ),
        (
            "Ingress blog/blog routes defaultBackend to Service blog/blog port 80/TCP, but no "
            "traffic from ingress-nginx reaches the pods behind it: NetworkPolicy "
            "ingress-nginx/controller-egress isolates the controller's pods for egress and no "
            "rule admits Deployment blog/blog on port 2368/TCP",
            "let the controller's pods reach Deployment blog/blog: an egress rule in a policy of "
            "namespace ingress-nginx with `ports: [{port: 2368}]`" + CONFIG_HINT,
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


BEHIND_DEFAULT_DENY = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
"""

HTTP_ROUTE = """
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: infra}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: infra}]
  rules:
  - backendRefs:
    - name: web
      port: 80
"""

ENVOY_GATEWAY = IngressController(
    name="envoy-gateway",
    namespace="envoy-gateway-system",
    pod_labels={"app.kubernetes.io/name": "envoy"},
    classes=("eg",),
    controllers=("gateway.envoyproxy.io/gatewayclass-controller",),
)


def test_a_route_through_a_configured_gateway_controller() -> None:
    settings = Settings(ingress_controllers=(ENVOY_GATEWAY, INGRESS_NGINX))
    findings = lint_text(BEHIND_DEFAULT_DENY + HTTP_ROUTE, select=[RULE], settings=settings)
    assert brief(findings) == [(RULE, 38, 13, "error")]
    assert findings[0].message == (
        "HTTPRoute shop/web routes rules[0] to Service shop/web port 80/TCP, but no traffic from "
        "envoy-gateway reaches the pods behind it: NetworkPolicy shop/default-deny isolates "
        "Deployment shop/web for ingress and no rule admits pods app.kubernetes.io/name=envoy of "
        "namespace envoy-gateway-system on port 8080/TCP"
    )


def test_a_gateway_whose_controller_is_not_configured_is_unknown() -> None:
    assert lint_text(BEHIND_DEFAULT_DENY + HTTP_ROUTE, select=[RULE]) == []


INGRESS_OF_CLASS = """
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""


def test_an_ingress_class_of_another_controller_named_nginx_is_not_ingress_nginx() -> None:
    # NGINX Inc.'s controller also installs a class called nginx.
    other = """
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: nginx.org/ingress-controller}
"""
    assert lint_text(BEHIND_DEFAULT_DENY + INGRESS_OF_CLASS + other, select=[RULE]) == []


def test_a_namespace_selector_on_unknown_labels_is_no_finding() -> None:
    admit = """
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-ingress, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {role: ingress}}}]}]
"""
    assert lint_text(BEHIND_DEFAULT_DENY + INGRESS_OF_CLASS + admit, select=[RULE]) == []


def test_pods_that_no_policy_isolates_receive_the_traffic() -> None:
    open_namespace = BEHIND_DEFAULT_DENY.replace(
        "namespace: shop}\nspec: {podSelector: {}", "namespace: other}\nspec: {podSelector: {}"
    )
    assert lint_text(open_namespace + INGRESS_OF_CLASS, select=[RULE]) == []


def _project(folder: Path, entry: str) -> None:
    """app.yaml (a default-deny namespace behind an nginx Ingress) and a configuration with one
    `traffic.ingress-controllers` entry (YAML flow syntax)."""
    (folder / "app.yaml").write_text(BEHIND_DEFAULT_DENY + INGRESS_OF_CLASS, encoding="utf-8")
    (folder / ".netlint.yaml").write_text(
        f"traffic:\n  ingress-controllers:\n  - {entry}\n", encoding="utf-8"
    )


def test_the_controllers_of_the_configuration_come_before_the_built_in_one(
    tmp_path: Path,
) -> None:
    _project(
        tmp_path,
        "{name: nginx-internal, namespace: ingress-internal, pod-labels: {app: internal-nginx}, classes: [nginx]}",
    )
    result = run_netlint(tmp_path, "check", "--select", RULE, "--quiet", "app.yaml")
    assert result.returncode == 1, result.stderr
    assert (
        b"but no traffic from nginx-internal reaches the pods behind it: NetworkPolicy "
        b"shop/default-deny isolates Deployment shop/web for ingress and no rule admits pods "
        b"app=internal-nginx of namespace ingress-internal on port 8080/TCP"
    ) in result.stdout


def test_an_entry_without_classes_or_controllers_is_a_configuration_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "app.yaml").write_text(BEHIND_DEFAULT_DENY, encoding="utf-8")
    (tmp_path / ".netlint.yaml").write_text(
        "traffic:\n  ingress-controllers:\n  - {name: edge, namespace: edge, pod-labels: {a: b}}\n",
        encoding="utf-8",
    )
    result = run_netlint(tmp_path, "check", "app.yaml")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "netlint: error: .netlint.yaml:3: traffic.ingress-controllers[0]: entry 'edge' serves "
        "no class: give its `classes` (IngressClass or GatewayClass names) or `controllers` "
        "(IngressClass spec.controller, GatewayClass spec.controllerName)\n"
    )


def test_a_host_network_controller_is_judged_by_what_does_not_depend_on_its_labels(
    tmp_path: Path,
) -> None:
    admit = """
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-controller, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}}]}]
"""
    _project(
        tmp_path,
        "{name: ingress-nginx, namespace: ingress-nginx, "
        "pod-labels: {app.kubernetes.io/name: ingress-nginx}, classes: [nginx], host-network: true}",
    )
    (tmp_path / "admit.yaml").write_text(admit.lstrip("\n-"), encoding="utf-8")
    # A policy that admits nothing blocks the node's traffic as well as the pods'.
    blocked = run_netlint(tmp_path, "check", "--select", RULE, "--quiet", "app.yaml")
    assert blocked.returncode == 1
    assert b"error[traffic-blocked] Ingress shop/web" in blocked.stdout
    # One that admits the controller by its labels may not see them: unknown, no finding.
    admitted = run_netlint(tmp_path, "check", "--select", RULE, "app.yaml", "admit.yaml")
    assert admitted.returncode == 0, admitted.stdout.decode()
    graph = json.loads(
        run_netlint(tmp_path, "graph", "--format", "json", "app.yaml", "admit.yaml").stdout
    )
    (verdict,) = [v for e in graph["edges"] for v in e["verdicts"] if v["entry"] == "e0"]
    assert verdict["verdict"] == "unknown"
    assert any("hostNetwork" in reason for reason in verdict["reasons"])


def test_a_backend_ref_into_another_namespace_carries_traffic_only_with_a_grant() -> None:
    settings = Settings(ingress_controllers=(ENVOY_GATEWAY,))
    route = HTTP_ROUTE.replace(
        "namespace: shop}\nspec:\n  parentRefs", "namespace: front}\nspec:\n  parentRefs"
    ).replace(
        "    - name: web\n      port: 80\n",
        "    - name: web\n      namespace: shop\n      port: 80\n",
    )
    grant = """
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: front, namespace: shop}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: front}]
  to: [{group: "", kind: Service}]
"""
    assert lint_text(BEHIND_DEFAULT_DENY + route, select=[RULE], settings=settings) == []
    findings = lint_text(BEHIND_DEFAULT_DENY + route + grant, select=[RULE], settings=settings)
    assert brief(findings) == [(RULE, 38, 13, "error")]
    assert findings[0].message.startswith("HTTPRoute front/web routes rules[0] to Service shop/web")


def test_pods_that_do_not_declare_a_named_target_port_get_no_traffic_to_judge() -> None:
    named = BEHIND_DEFAULT_DENY.replace("targetPort: 8080}", "targetPort: http}")
    assert (
        lint_text(named + INGRESS_OF_CLASS, select=[RULE]) == []
    )  # service-target-port-unresolved's
