"""No Service or Ingress message prints Python `None` for a value it could not read (issue 22,
item 5): a port whose number or protocol has the wrong type, a path without pathType, a backend
whose Service name is not a string. Each such value is the schema's finding; the other rules
name the node instead (`spec.ports[0]`, `port 443`, `no pathType`, `(no name)`)."""

from __future__ import annotations

import re

from tests.helpers import FIXTURES_ROOT, lint_files

FIXTURE = FIXTURES_ROOT / "messages" / "unreadable-values.yaml"
PYTHON_NONE = re.compile(r"None/|/None|\(None\)|=None|port None|Service None|None:")


def test_no_message_prints_none() -> None:
    findings = lint_files([FIXTURE]).active
    rules = {f.rule_id for f in findings}
    assert {"service-port-name", "service-target-port-unresolved", "ingress-path-conflict"} <= rules
    assert [f.message for f in findings if PYTHON_NONE.search(f.message)] == []


def test_unreadable_ports_are_named_by_their_place() -> None:
    messages = [f.message for f in lint_files([FIXTURE], select=["service-port-name"]).active]
    assert messages == [
        "Service shop/web is invalid: spec.ports[0].name: Required value",
        "Service shop/web is invalid: spec.ports[1].name: Required value",
        "Service shop/web is invalid: spec.ports[2].name: Required value",
    ]


def test_a_path_without_path_type_and_a_nameless_backend_are_worded() -> None:
    (finding,) = lint_files([FIXTURE], select=["ingress-path-conflict"]).active
    assert finding.message == (
        "Ingress shop/a routes host 'x.example.com' path '/' (no pathType) to Service web:443, "
        "but the same Ingress (line 29) already routes it to Service (no name):80"
    )
