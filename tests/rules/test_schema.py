"""schema (DESIGN §5): strict schemas of the target version, one finding per violation."""

from __future__ import annotations

from netlint.api import Settings
from tests.helpers import brief, lint_fixture, lint_text

RULE = "schema"


def test_bad_fixture_unknown_field_type_enum_and_required() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 8, 3, "error"),
        (RULE, 12, 11, "error"),
        (RULE, 13, 15, "error"),
        (RULE, 24, 9, "error"),
    ]
    assert [f.message for f in findings] == [
        "spec.endpointSlices: unknown field; Service spec has no such field",
        'spec.ports[0].port: must be an integer, not a string ("80")',
        'spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
        "spec.rules[0].http.paths[0].pathType: Required value",
    ]


def test_good_fixture_int_or_string_null_timestamp_and_unchecked_kinds() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_the_target_version_decides() -> None:
    # spec.trafficDistribution is a field of every supported version; a removed field such as
    # spec.ipFamily (gone in 1.20) is unknown to all of them.
    text = """
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      ipFamily: IPv6
      ports: [{port: 80}]
    """
    for version in ("1.32", "1.37"):
        findings = lint_text(text, select=[RULE], settings=Settings(kube_version=version))
        assert brief(findings) == [(RULE, 6, 3, "error")]
