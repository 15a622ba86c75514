"""`yaml-ambiguous-value` (DESIGN §4 "Scalars": go-yaml v2 decoding)."""

from __future__ import annotations

import pytest
from netlint._builtin.rules.input.yaml_ambiguous_value import ambiguous_paths

from netlint.api import RuleContext, Settings
from netlint.input.loader import load_yaml
from netlint.model.inventory import Inventory
from netlint.model.manifest import objects_of
from netlint.policy.schema_checker import BundledSchemas
from tests.helpers import FIXTURES_ROOT, brief, lint_fixture, lint_text, only

RULE = "yaml-ambiguous-value"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_each_value_at_its_line() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 7, 13, "error"),  # label canary: yes
        (RULE, 8, 14, "error"),  # label version: 1.10
        (RULE, 10, 25, "error"),  # annotation: 8080
        (RULE, 11, 27, "error"),  # annotation: true
        (RULE, 15, 14, "error"),  # Service selector: On
        (RULE, 27, 16, "error"),  # matchLabels: On
        (RULE, 32, 18, "error"),  # template label: On
        (RULE, 35, 14, "error"),  # nodeSelector: y
        (RULE, 41, 18, "error"),  # env value: no
        (RULE, 43, 18, "error"),  # env value: 0022 (octal)
        (RULE, 50, 12, "error"),  # ConfigMap data: off
        (RULE, 51, 10, "error"),  # ConfigMap data: 0x1F
    ]
    messages = [f.message for f in findings]
    assert messages[0].startswith("label canary: yes is decoded as boolean true; ")
    assert "the API server refuses Service web (cannot unmarshal bool" in messages[0]
    assert messages[0].endswith('Quote it: "yes"')
    assert findings[0].hint == 'quote it: canary: "yes"'
    assert "version: 1.10 is decoded as the number 1.1;" in messages[1]
    assert messages[1].endswith('Quote it: "1.10"')
    assert "prometheus.io/port: 8080 is decoded as the number 8080" in messages[2]
    assert "cannot unmarshal number" in messages[2]
    assert "prometheus.io/scrape: true is decoded as boolean true" in messages[3]
    assert "selector label enabled: On" in messages[4]
    assert "env var DEBUG: no is decoded as boolean false" in messages[8]
    assert "UMASK: 0022 is decoded as the octal number 18" in messages[9]
    assert messages[9].endswith('Quote it: "0022"')
    assert "ratio: 0x1F is decoded as the number 31" in messages[11]


def test_good_fixture_quoted_values_and_base_60_lookalikes() -> None:
    """`1:20` and `10:30` stay strings in go-yaml (no base-60 numbers)."""
    assert lint_fixture(RULE, "good.yaml") == []


@pytest.mark.parametrize(
    "text", ["y", "Y", "yes", "Yes", "YES", "n", "NO", "on", "ON", "Off", "True", "FALSE"]
)
def test_yaml_1_1_booleans_in_every_casing(text: str) -> None:
    findings = only(
        lint_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    flag: {text}\n"
        ),
        RULE,
    )
    assert brief(findings) == [(RULE, 6, 11, "error")]
    assert f"label flag: {text} is decoded as boolean" in findings[0].message
    assert findings[0].message.endswith(f'Quote it: "{text}"')


def test_strings_that_only_look_special_are_fine() -> None:
    findings = lint_text(
        """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
          labels: {a: "yes", b: yep, c: "0755", d: 1-2, e: v1.10}
        data: {time: 1:20, word: nope, dots: 1.2.3}
        """
    )
    assert only(findings, RULE) == []


def test_secret_string_data_and_replication_controller_selector() -> None:
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        stringData: {enabled: yes}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: rc}
        spec:
          selector: {app: web, on: off}
          template:
            metadata:
              labels: {app: web, "on": "off"}
            spec:
              containers: [{name: c, image: nginx}]
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 4, 23, "error"), (RULE, 10, 28, "error")]


def test_selectors_deep_in_a_pod_spec_and_in_a_custom_resource() -> None:
    # k8s-api-rules §1 (labels are strings): a LabelSelector's values wherever it sits, and
    # only there; containers have no selector field, schemas only describe one.
    findings = lint_text(
        """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, zone: a}}
            spec:
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                  - topologyKey: zone
                    labelSelector:
                      matchExpressions:
                      - {key: canary, operator: In, values: ["no", yes]}
              topologySpreadConstraints:
              - maxSkew: 1
                topologyKey: zone
                whenUnsatisfiable: DoNotSchedule
                labelSelector: {matchLabels: {tier: 1}}
              containers:
              - name: web
                image: nginx
                matchLabels: {misplaced: on}
        ---
        apiVersion: example.com/v1
        kind: Balancer
        metadata: {name: b}
        spec:
          targets:
          - selector: {matchLabels: {ready: off}}
          schema: {matchLabels: {described: true}}
        """
    )
    assert brief(only(findings, RULE)) == [
        (RULE, 15, 60, "error"),  # matchExpressions value: yes
        (RULE, 20, 45, "error"),  # matchLabels tier: 1
        (RULE, 31, 37, "error"),  # the custom resource's matchLabels ready: off
    ]
    messages = [f.message for f in only(findings, RULE)]
    assert messages[0].startswith("matchExpressions value: yes is decoded as boolean true")
    assert messages[1].startswith("matchLabels tier: 1 is decoded as the number 1")
    assert messages[2].startswith("matchLabels ready: off is decoded as boolean false")
    paths = [f.obj_path for f in only(findings, RULE)]
    assert paths[0] == (
        "spec", "template", "spec", "affinity", "podAntiAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution", 0, "labelSelector",
        "matchExpressions", 0, "values", 1,
    )  # fmt: skip
    assert paths[2] == ("spec", "targets", 0, "selector", "matchLabels", "ready")


def _schema_paths_and_owned(
    text: str,
) -> tuple[set[tuple[str | int, ...]], set[tuple[str | int, ...]]]:
    loaded = load_yaml(text, "x.yaml")
    manifest = objects_of(loaded.documents).manifests[0]
    ctx = RuleContext(Inventory([manifest]), Settings(), BundledSchemas("1.37"))
    schema_paths = {
        tuple(path)
        for path, _, _ in ctx.schemas.violations(manifest.api_version, manifest.kind, manifest.data)
    }
    return schema_paths, ambiguous_paths(manifest, ctx)


def test_ambiguous_paths_cover_the_schema_type_errors_one_problem_one_finding() -> None:
    """`schema` reports the same values as type errors; `ambiguous_paths` is the set it must
    leave to this rule (DESIGN §4 "One problem, one finding")."""
    text = (FIXTURES / "bad.yaml").read_text(encoding="utf-8").split("---")[0]
    schema_paths, owned = _schema_paths_and_owned(text)
    assert schema_paths == {
        ("metadata", "labels", "canary"),
        ("metadata", "labels", "version"),
        ("metadata", "annotations", "prometheus.io/port"),
        ("metadata", "annotations", "prometheus.io/scrape"),
        ("spec", "selector", "enabled"),
    }
    assert schema_paths <= owned
