"""service-type-fields (DESIGN §5; reference SVC-14, 15, 19-22, 31, 36-38, 41-44)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-type-fields"


LB_ONLY = "Forbidden: may only be used when `type` is 'LoadBalancer'"
EXTERNAL_NAME = "Forbidden: may not be set for ExternalName services"


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 8, 26, "error"),  # externalTrafficPolicy on ClusterIP (SVC-20)
        (RULE, 9, 3, "error"),  # allocateLoadBalancerNodePorts (SVC-19), at the key: Forbidden
        (RULE, 10, 3, "error"),  # loadBalancerClass (SVC-42)
        (RULE, 11, 3, "error"),  # loadBalancerSourceRanges (SVC-41)
        (RULE, 13, 19, "warning"),  # loadBalancerIP ignored (SVC-43)
        (RULE, 14, 17, "warning"),  # externalName ignored (SVC-38)
        (RULE, 17, 5, "error"),  # nodePort on defaulted ClusterIP (SVC-14)
        (RULE, 25, 14, "error"),  # clusterIP None with NodePort (SVC-31)
        (RULE, 37, 24, "error"),  # healthCheckNodePort without Local (SVC-22)
        (RULE, 50, 3, "error"),  # clusterIP on ExternalName (SVC-36): clusterIPs once normalized
        (RULE, 51, 3, "error"),  # ipFamilyPolicy on ExternalName (SVC-36)
        (RULE, 52, 3, "warning"),  # selector ignored on ExternalName (SVC-37)
        (RULE, 56, 15, "warning"),  # nodePort ignored on ExternalName (SVC-15)
        (RULE, 64, 20, "warning"),  # sessionAffinity on headless (SVC-44)
        (RULE, 65, 3, "warning"),  # externalIPs on headless (SVC-44)
    ]
    errors = [f.message for f in findings if f.severity.label == "error"]
    assert errors == [
        'Service web is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be '
        "set for externally-accessible services",
        f"Service web is invalid: spec.allocateLoadBalancerNodePorts: {LB_ONLY}",
        f"Service web is invalid: spec.loadBalancerClass: {LB_ONLY}",
        f"Service web is invalid: spec.LoadBalancerSourceRanges: {LB_ONLY}",
        "Service web is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` "
        "is 'ClusterIP'",
        'Service headless-np is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be '
        "set to 'None' for NodePort services",
        "Service lb is invalid: spec.healthCheckNodePort: Invalid value: 31000: may only be set "
        "when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        f"Service alias is invalid: spec.clusterIPs: {EXTERNAL_NAME}",
        f"Service alias is invalid: spec.ipFamilyPolicy: {EXTERNAL_NAME}",
    ]


def test_nodeport_on_clusterip_hint_says_the_type_was_defaulted_svc_14():
    finding = lint_fixture(RULE, select_only=True)[6]
    assert finding.hint == (
        "set `type: NodePort` (or LoadBalancer), or remove nodePort (`type` defaults to ClusterIP)"
    )


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_external_traffic_policy_on_external_name_is_forbidden_svc_20():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          type: ExternalName
          externalName: db.example.com
          externalTrafficPolicy: Cluster
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 8, 26, "error")]
    assert findings[0].message == (
        'Service db is invalid: spec.externalTrafficPolicy: Invalid value: "Cluster": may only be '
        "set for externally-accessible services"
    )


def test_source_ranges_annotation_on_clusterip_svc_41():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations:
            service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 7, 5, "error")]
    assert findings[0].message == (
        "Service web is invalid: metadata.annotations[service.beta.kubernetes.io/"
        f"load-balancer-source-ranges]: {LB_ONLY}"
    )


def test_empty_type_is_cluster_ip():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: ""
          selector: {app: web}
          ports: [{port: 80, nodePort: 30080}]
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 8, 22, "error")]


def test_external_traffic_policy_with_external_ips_is_allowed_on_cluster_ip_svc_20():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          externalIPs: [192.0.2.10]
          externalTrafficPolicy: Local
          ports: [{port: 80}]
        """,
        select=[RULE],
    )
    assert findings == []


def test_headless_load_balancer_points_at_cluster_ips_when_written():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: LoadBalancer
          clusterIP: None
          clusterIPs: [None]
          selector: {app: web}
          ports: [{port: 80}]
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 8, 16, "error")]
    assert findings[0].message == (
        'Service web is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to '
        "'None' for LoadBalancer services"
    )
