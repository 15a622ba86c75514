"""metav1.LabelSelector parsing and matching, shared by policies and the Gateway API rules."""

from __future__ import annotations

import pytest

from netlint.input.document import Node
from netlint.model.selectors import LabelSelector, parse_label_selector

LABELS = {"app": "web", "tier": "front"}


def parsed(node: Node) -> LabelSelector:
    selector = parse_label_selector(node)
    assert selector is not None
    return selector


@pytest.mark.parametrize(
    ("match_labels", "expected"),
    [
        ({}, True),
        ({"app": "web"}, True),
        ({"app": "web", "tier": "front"}, True),
        ({"app": "db"}, False),
        ({"zone": "a"}, False),
    ],
)
def test_match_labels(match_labels: dict[str, Node], expected: bool) -> None:
    selector = parsed({"matchLabels": match_labels})
    assert selector.verdict(LABELS) is expected
    assert selector.matches(LABELS) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"key": "app", "operator": "In", "values": ["web", "api"]}, True),
        ({"key": "app", "operator": "In", "values": ["db"]}, False),
        ({"key": "zone", "operator": "In", "values": ["a"]}, False),
        ({"key": "app", "operator": "NotIn", "values": ["db"]}, True),
        ({"key": "app", "operator": "NotIn", "values": ["web"]}, False),
        ({"key": "zone", "operator": "NotIn", "values": ["a"]}, True),
        ({"key": "app", "operator": "Exists"}, True),
        ({"key": "zone", "operator": "Exists"}, False),
        ({"key": "zone", "operator": "DoesNotExist"}, True),
        ({"key": "app", "operator": "DoesNotExist"}, False),
    ],
)
def test_each_operator(expression: dict[str, Node], expected: bool) -> None:
    selector = parsed({"matchExpressions": [expression]})
    assert selector.verdict(LABELS) is expected
    assert selector.matches(LABELS) is expected


def test_empty_selector_matches_everything() -> None:
    assert parsed({}).verdict({}) is True


def test_not_a_mapping_is_no_selector() -> None:
    assert parse_label_selector(None) is None
    assert parse_label_selector(["app"]) is None
    assert parse_label_selector("app=web") is None


def test_values_of_the_wrong_type_are_dropped() -> None:
    selector = parsed(
        {
            "matchLabels": {"app": "web", "replicas": 3},
            "matchExpressions": [{"key": "app", "operator": "In", "values": [1, "web", None]}],
        }
    )
    assert selector.match_labels == {"app": "web"}
    assert selector.match_expressions == (("app", "In", ("web",)),)
    assert selector.verdict(LABELS) is True


@pytest.mark.parametrize(
    "expression",
    [
        {"operator": "Exists"},
        {"key": "app"},
        {"key": 1, "operator": "Exists"},
        "app",
    ],
)
def test_an_expression_of_the_wrong_shape_is_undecided(expression: Node) -> None:
    selector = parsed({"matchExpressions": [expression]})
    assert selector.verdict(LABELS) is None
    assert selector.matches(LABELS) is False


def test_an_unknown_operator_is_undecided() -> None:
    selector = parsed({"matchExpressions": [{"key": "app", "operator": "Equals"}]})
    assert selector.verdict(LABELS) is None
    assert selector.matches(LABELS) is False


def test_a_failure_before_an_undecided_expression_decides() -> None:
    wrong_shape: Node = {"operator": "Exists"}
    unknown: Node = {"key": "app", "operator": "Equals"}
    mismatch: Node = {"key": "app", "operator": "In", "values": ["db"]}
    assert (
        parsed({"matchLabels": {"app": "db"}, "matchExpressions": [wrong_shape]}).verdict(LABELS)
        is False
    )
    assert parsed({"matchExpressions": [mismatch, unknown]}).verdict(LABELS) is False
    assert parsed({"matchExpressions": [unknown, mismatch]}).verdict(LABELS) is None


def test_keys_are_the_label_keys_read() -> None:
    selector = parsed(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "Exists"},
                {"key": "zone"},
                {"operator": "Exists"},
            ],
        }
    )
    assert selector.keys() == {"app", "tier", "zone"}
