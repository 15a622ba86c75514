"""service-nodeport-conflict (DESIGN §5; reference SVC-18, SVC-23)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text, only

RULE = "service-nodeport-conflict"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_31000_in_two_namespaces_and_health_check_port_svc_18():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 12, 15, "error"),
        (RULE, 22, 24, "error"),
        (RULE, 27, 15, "error"),
        (RULE, 40, 15, "error"),
    ]
    assert "Service shop/web claims node port 31000" in findings[0].message
    assert "also claimed by Service billing/api" in findings[0].message
    assert "Service billing/api claims node port 31000" in findings[2].message
    assert "also claimed by Service shop/web" in findings[2].message
    assert "(healthCheckNodePort)" in findings[1].message
    assert "Service billing/metrics" in findings[1].message


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_copies_of_one_service_do_not_conflict(tmp_path: Path):
    text = (FIXTURES / "good.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text)
    report = lint_files([tmp_path / "a.yaml", tmp_path / "b.yaml"], select=[RULE])
    assert only(report.active, RULE) == []


def test_context_service_is_named_but_only_report_set_is_reported(tmp_path: Path):
    (tmp_path / "mine.yaml").write_text((FIXTURES / "good.yaml").read_text())
    (tmp_path / "other.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: ops}\nspec:\n"
        "  type: NodePort\n  selector: {app: x}\n  ports: [{port: 80, nodePort: 31001}]\n"
    )
    report = lint_files([tmp_path / "mine.yaml"], context=[tmp_path / "other.yaml"], select=[RULE])
    findings = only(report.active, RULE)
    assert brief(findings) == [(RULE, 25, 15, "error")]
    assert "Service ops/x" in findings[0].message


def test_nodeports_out_of_range_or_on_clusterip_do_not_conflict():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        spec:
          type: NodePort
          selector: {app: a}
          ports: [{port: 80, nodePort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b}
        spec:
          type: NodePort
          selector: {app: b}
          ports: [{port: 80, nodePort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: c}
        spec:
          selector: {app: c}
          ports: [{port: 80, nodePort: 31000}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: d}
        spec:
          type: NodePort
          selector: {app: d}
          ports: [{port: 80, nodePort: 31000}]
        """,
        select=[RULE],
    )
    assert findings == []


def test_many_services_on_one_port_each_name_three_others_and_count_the_rest():
    # web is there three times (copies: not a conflict with itself); 6 other Services.
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: shop}\n"
        "spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 31000}]}\n"
    )
    names = ["web", "web", "a", "b", "web", "c", "d", "e", "f"]
    found = only(lint_text("---\n".join(service % name for name in names)), RULE)
    assert len(found) == len(names)
    claim = "(nodePort of port 80/TCP)"
    assert found[0].message == (
        f"Service shop/web claims node port 31000 {claim}, also claimed by Service shop/a "
        f"{claim}, Service shop/b {claim}, Service shop/c {claim} and 3 more: node ports are "
        "cluster-wide, the allocator refuses whichever Service is applied second"
    )
    assert found[2].message.startswith(
        f"Service shop/a claims node port 31000 {claim}, also claimed by Service shop/web "
        f"{claim}, Service shop/web {claim}, Service shop/b {claim} and 5 more:"
    )
