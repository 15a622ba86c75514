"""netlint.cel on real CRD rules: every `x-kubernetes-validations` rule of the bundled Gateway
API CRDs compiles, and a sample of them gives the API server's verdict on `self` (values as
the API server sees them: after defaulting, so every defaulted field is given)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import cast

import pytest
import yaml

from netlint.cel import compile_expression

CRDS = Path(__file__).parents[2] / "schemas" / "tools" / "gateway-api-crds"


def _rules(node: object) -> Iterator[dict[str, str]]:
    if isinstance(node, dict):
        mapping = cast("dict[str, object]", node)
        yield from cast("list[dict[str, str]]", mapping.get("x-kubernetes-validations") or [])
        for value in mapping.values():
            yield from _rules(value)
    elif isinstance(node, list):
        for value in cast("list[object]", node):
            yield from _rules(value)


@cache
def _all_rules() -> dict[str, str]:
    """message -> rule, of every CRD file."""
    found: dict[str, str] = {}
    for path in sorted(CRDS.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for rule in _rules(document):
                found.setdefault(rule.get("message", rule["rule"]), rule["rule"])
    return found


def test_every_rule_of_the_bundled_gateway_crds_compiles() -> None:
    rules = set(_all_rules().values())
    assert len(rules) >= 70
    for rule in sorted(rules):
        compile_expression(rule)  # CelCompileError names the one that does not


_GATEWAY_REF = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw"}


@pytest.mark.parametrize(
    ("message", "self", "verdict"),
    [
        ("Listener name must be unique within the Gateway", [{"name": "a"}, {"name": "a"}], False),
        ("Listener name must be unique within the Gateway", [{"name": "a"}, {"name": "b"}], True),
        (
            "Combination of port, protocol and hostname must be unique for each listener",
            [
                {"name": "a", "port": 80, "protocol": "HTTP", "hostname": "x.example.com"},
                {"name": "b", "port": 80, "protocol": "HTTP", "hostname": "x.example.com"},
            ],
            False,
        ),
        (
            "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
            [{"name": "a", "port": 80, "protocol": "HTTP", "tls": {"mode": "Terminate"}}],
            False,
        ),
        (
            "value must be an absolute path and start with '/' when type one of ['Exact', "
            "'PathPrefix']",
            {"type": "PathPrefix", "value": "api"},
            False,
        ),
        (
            "must only contain valid characters (matching "
            "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', "
            "'PathPrefix']",
            {"type": "Exact", "value": "/a b"},
            False,
        ),
        (  # `namespace` is a CEL keyword: the rule reads it as `__namespace__`
            "sectionName must be specified when parentRefs includes 2 or more references to the "
            "same parent",
            [
                {**_GATEWAY_REF, "namespace": "shop", "sectionName": "http"},
                {**_GATEWAY_REF, "namespace": "shop"},
            ],
            False,
        ),
        (
            "sectionName must be unique when parentRefs includes 2 or more references to the "
            "same parent",
            [{**_GATEWAY_REF, "namespace": "shop"}, {**_GATEWAY_REF, "namespace": "shop"}],
            False,
        ),
        (
            "sectionName must be specified when parentRefs includes 2 or more references to the "
            "same parent",
            [{**_GATEWAY_REF, "namespace": "shop"}, {**_GATEWAY_REF, "namespace": "other"}],
            True,
        ),
        (
            "Must have port for Service reference",
            {"group": "", "kind": "Service", "name": "web"},
            False,
        ),
        (
            "backendRequest timeout cannot be longer than request timeout",
            {"request": "10s", "backendRequest": "20s"},
            False,
        ),
        (
            "backendRequest timeout cannot be longer than request timeout",
            {"request": "10s", "backendRequest": "5s"},
            True,
        ),
    ],
)
def test_gateway_crd_rules_give_the_api_servers_verdict(
    message: str, self: object, verdict: bool
) -> None:
    rule = _all_rules()[message]
    assert compile_expression(rule).evaluate({"self": self}) is verdict
