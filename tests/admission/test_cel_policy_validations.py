"""netlint policies with CEL `validations:` instead of `schema:` (issue 32, item 4), run
through the CLI: a false expression is a finding at its fieldPath with its message, forEach
judges each item, and a field the object lacks gives no finding."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_netlint

POLICY = """\
id: service-port-names
severity: warning
summary: Service ports must be named, and NodePort Services are refused
match: {kinds: [Service]}
parameters:
  forbidden-type: {type: string, default: NodePort}
validations:
- expression: "object.spec.type != params['forbidden-type']"
  messageExpression: "'type ' + object.spec.type + ' is not allowed'"
  fieldPath: spec.type
- expression: "has(self.name) && self.name.lowerAscii() == self.name"
  forEach: spec.ports
  message: "{{ ref }} has a port without a lower-case name"
"""

SERVICES = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80}
  - {port: 81}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
  - {name: grpc, port: 90}
"""


def test_cel_validations_of_a_policy_are_findings_at_their_field(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY)
    (tmp_path / "services.yaml").write_text(SERVICES)
    result = run_netlint(
        tmp_path,
        "check",
        "--no-cache",
        "--rules",
        "policy.yaml",
        "--select",
        "service-port-names",
        "services.yaml",
    )
    assert result.returncode == 1, result.stderr
    # api has no spec.type: the API server defaults it (ClusterIP), netlint does not judge.
    headers = [line for line in result.stdout.decode().splitlines() if ": warning[" in line]
    assert headers == [
        "services.yaml:5:9: warning[service-port-names] type NodePort is not allowed",
        "services.yaml:9:5: warning[service-port-names] Service shop/web has a port without a "
        "lower-case name",
    ]
