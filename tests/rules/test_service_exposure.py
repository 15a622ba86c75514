"""service-exposure (DESIGN §5: info, off by default)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture

RULE = "service-exposure"


def test_bad_fixture_when_selected():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 6, 9, "info"),
        (RULE, 17, 9, "info"),
        (RULE, 28, 3, "info"),
    ]
    assert "Service admin is type LoadBalancer" in findings[0].message


def test_off_by_default():
    assert lint_fixture(RULE) == []


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


INTERNAL = {"namespace-selector": {"matchLabels": {"exposure": "internal"}}}


def _namespaced(params: dict[str, object]) -> Settings:
    return Settings(
        params={RULE: params},
        external=ExternalObjects(namespace_labels={"back-office": {"exposure": "internal"}}),
    )


def test_only_in_namespaces_matching_the_namespace_selector():
    findings = lint_fixture(
        RULE, "bad-namespaces.yaml", select_only=True, settings=_namespaced(INTERNAL)
    )
    assert brief(findings) == [(RULE, 18, 9, "info"), (RULE, 36, 9, "info")]
    assert [f.message for f in findings] == [
        "Service shop/web is type NodePort: it is reachable from outside the cluster on a port of "
        "every node",
        "Service back-office/admin is type LoadBalancer: it is reachable from outside the cluster",
    ]


def test_match_expressions_and_the_namespace_name_label():
    selector = {
        "matchExpressions": [
            {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["edge", "search"]}
        ]
    }
    findings = lint_fixture(
        RULE,
        "bad-namespaces.yaml",
        select_only=True,
        settings=_namespaced({"namespace-selector": selector}),
    )
    # `search` has no Namespace in the input nor in config: its labels are unknown.
    assert brief(findings) == [(RULE, 27, 9, "info")]


def test_the_default_selects_every_namespace():
    findings = lint_fixture(RULE, "bad-namespaces.yaml", select_only=True)
    assert [f.location.line for f in findings] == [18, 27, 36, 45, 54]


def test_a_namespace_selector_that_is_no_label_selector_is_a_config_error(tmp_path: Path):
    (tmp_path / ".netlint.yaml").write_text(
        "params:\n  service-exposure:\n    namespace-selector: {matchLabels: {env: 1}}\n"
    )
    (tmp_path / "svc.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n")
    result = subprocess.run(
        [sys.executable, "-m", "netlint", "check", "svc.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        ".netlint.yaml:3: params.service-exposure.namespace-selector: expected a label selector "
        "such as {matchLabels: {env: prod}}: matchLabels must map label keys to strings"
    )
