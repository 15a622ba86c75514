"""The bundled examples teach (issue 30, item 7): `netlint check examples/` shows, for each
`examples/<rule-id>.yaml`, the findings of that rule and no others, none caused by another
example (`examples/.netlint.yaml` applies each file on its own and declares what the examples
assume the cluster has); an off-by-default rule's example shows its rule once selected."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from netlint.run.registry import load_rules
from tests.helpers import run_netlint

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
RULES = {rule.meta.id: rule.meta for rule in load_rules().rules}
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if not p.name.startswith("."))

# Findings an example shows besides its own rule's, each because of what the example must contain.
ALSO_SHOWN: dict[str, set[str]] = {
    # v1 Endpoints itself is deprecated since Kubernetes 1.33: any Endpoints object shows it.
    "endpoints-format.yaml": {"deprecated-api"},
    "endpoints-limits.yaml": {"deprecated-api"},
    # An ingress-nginx Ingress that routes a sub-path without rewrite-target sends the full path
    # to the backend (info); the conflict needs such sub-paths.
    "ingress-path-conflict.yaml": {"ingress-rewrite-target"},
}


def _rules_by_file(*args: str) -> dict[str, set[str]]:
    result = run_netlint(REPO, "check", "examples/", "--output-format", "json", *args)
    assert result.returncode == 1, result.stderr.decode()
    shown: dict[str, set[str]] = defaultdict(set)
    for finding in json.loads(result.stdout)["findings"]:
        shown[Path(finding["path"]).name].add(finding["rule"])
    return shown


@pytest.fixture(scope="module")
def default_run() -> dict[str, set[str]]:
    return _rules_by_file()


def test_every_example_is_named_after_a_rule() -> None:
    assert [name for name in EXAMPLE_FILES if name.removesuffix(".yaml") not in RULES] == []


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_an_example_shows_its_own_rule_and_nothing_else(
    name: str, default_run: dict[str, set[str]]
) -> None:
    rule_id = name.removesuffix(".yaml")
    if RULES[rule_id].enabled_by_default:
        assert default_run.get(name, set()) == {rule_id} | ALSO_SHOWN.get(name, set())
    else:  # off by default: nothing until selected
        assert name not in default_run
        assert _rules_by_file("--extend-select", rule_id)[name] == {rule_id}
