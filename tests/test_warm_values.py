"""Warm runs tell apart the values that Python's `==` does not and the rules do: `true`, `1`, `1.0"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_warm_runs import api_run

SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports:
  - port: SERVICE_PORT
    targetPort: 8080
"""
INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: web, port: {number: BACKEND_PORT}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: default}
data: {a: "1"}
"""


def _tree(root: Path, service_port: str, backend_port: str) -> None:
    (root / "context").mkdir(parents=True, exist_ok=True)
    (root / "a.yaml").write_text(SERVICE.replace("SERVICE_PORT", service_port))
    (root / "b.yaml").write_text(INGRESS.replace("BACKEND_PORT", backend_port))


def _rules(root: Path, cache: Path | None) -> list[str]:
    return sorted(f.rule_id for f in api_run(root, cache).findings)


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (("80", "true"), ("80", "1")),  # the Ingress edited in place: its own check reused
        (("1", "1"), ("true", "1")),  # the Service edited: the Ingress's check (in b.yaml) reused
    ],
)
def test_a_value_equal_only_to_pythons_eq_is_a_change(
    tmp_path: Path, first: tuple[str, str], then: tuple[str, str]
) -> None:
    root, cache = tmp_path / "tree", tmp_path / "cache"
    _tree(root, *first)
    assert _rules(root, cache) == _rules(root, None)
    _tree(root, *then)
    assert _rules(root, cache) == _rules(root, None)
