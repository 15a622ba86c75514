"""service-type-fields (DESIGN §5; reference SVC-14, 15, 19-22, 31, 36-38, 41-44)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-type-fields"


def test_bad_fixture():
    assert brief(lint_fixture(RULE, select_only=True)) == [
        (RULE, 8, 26, "error"),  # externalTrafficPolicy on ClusterIP (SVC-20)
        (RULE, 9, 34, "error"),  # allocateLoadBalancerNodePorts (SVC-19)
        (RULE, 10, 22, "error"),  # loadBalancerClass (SVC-42)
        (RULE, 11, 3, "error"),  # loadBalancerSourceRanges (SVC-41)
        (RULE, 13, 19, "warning"),  # loadBalancerIP ignored (SVC-43)
        (RULE, 14, 17, "warning"),  # externalName ignored (SVC-38)
        (RULE, 17, 15, "error"),  # nodePort on defaulted ClusterIP (SVC-14)
        (RULE, 25, 14, "error"),  # clusterIP None with NodePort (SVC-31)
        (RULE, 37, 24, "error"),  # healthCheckNodePort without Local (SVC-22)
        (RULE, 50, 14, "error"),  # clusterIP on ExternalName (SVC-36)
        (RULE, 51, 19, "error"),  # ipFamilyPolicy on ExternalName (SVC-36)
        (RULE, 52, 3, "warning"),  # selector ignored on ExternalName (SVC-37)
        (RULE, 56, 15, "warning"),  # nodePort ignored on ExternalName (SVC-15)
        (RULE, 64, 20, "warning"),  # sessionAffinity on headless (SVC-44)
        (RULE, 65, 3, "warning"),  # externalIPs on headless (SVC-44)
    ]


def test_nodeport_on_clusterip_is_forbidden_svc_14():
    finding = lint_fixture(RULE, select_only=True)[6]
    assert "Service web spec.ports[0].nodePort: Forbidden" in finding.message
    assert "type defaults to ClusterIP" in finding.message


def test_headless_nodeport_message_svc_31():
    finding = lint_fixture(RULE, select_only=True)[7]
    assert "may not be set to 'None' for NodePort services" in finding.message


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
    assert brief(findings) == [(RULE, 8, 32, "error")]
