"""A user's CRDs (`--crd`, config `crds:`): their custom resources validated under `schema`
against the CRD's strict schema and its CEL rules, evaluated as the API server does on a create
(`netlint.policy.crd`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from netlint.policy.crd.rules import rule_failures
from netlint.policy.crd.structural import defaulted, rule_schema
from tests.helpers import run_netlint

FIXTURES = Path(__file__).parent / "fixtures" / "crds"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("widgets.yaml", "widgets-bad.yaml", "widgets-good.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def _findings(cwd: Path, *args: str) -> tuple[int, list[tuple[str, int, int, str, str]]]:
    done = run_netlint(cwd, "check", "--output-format", "json", *args)
    assert done.stderr == b"", done.stderr
    report = json.loads(done.stdout)
    return done.returncode, [
        (f["rule"], f["line"], f["column"], f["severity"], f["message"]) for f in report["findings"]
    ]


BAD = [
    # messageExpression, on the object the rule sits on; defaults do not hide a broken rule
    (
        "schema",
        6,
        1,
        "error",
        "spec: Invalid value: minReplicas (3) must not exceed maxReplicas (2)",
    ),
    # fieldPath and reason: at the field (absent here: at the mapping that lacks it); the
    # defaulted empty secretName is what the rule judges
    ("schema", 9, 8, "error", "spec.tls.secretName: Required value: a TLS widget needs its Secret"),
    # a rule on a list: the API server names the list, the finding points at the repeat
    ("schema", 12, 5, "error", "spec.ports: Invalid value: port names must be unique"),
]


def test_three_cel_rules_of_a_users_crd_judge_its_custom_resources(project: Path) -> None:
    code, found = _findings(project, "--crd", "widgets.yaml", "widgets-bad.yaml")
    assert (code, found) == (1, BAD)
    # the transition rule (`self.mode == oldSelf.mode`) has no old object on create: never run
    assert not any("immutable" in message for *_, message in found)


def test_a_custom_resource_that_keeps_its_crds_rules_passes(project: Path) -> None:
    assert _findings(project, "--crd", "widgets.yaml", "widgets-good.yaml") == (0, [])


def test_without_its_crd_a_custom_resource_is_not_judged(project: Path) -> None:
    assert _findings(project, "widgets-bad.yaml") == (0, [])


def test_config_crds_loads_the_crd_and_show_settings_lists_it(project: Path) -> None:
    (project / ".netlint.yaml").write_text("crds: [widgets.yaml]\n")
    assert _findings(project, "widgets-bad.yaml") == (1, BAD)
    shown = run_netlint(project, "check", "--show-settings", "--crd", "widgets.yaml")
    assert 'crds: ["widgets.yaml"]' in shown.stdout.decode()  # named twice, read once


def test_the_crds_schema_is_strict_and_a_wrong_type_stops_the_cel_rules(project: Path) -> None:
    (project / "typed.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
        "spec:\n  minReplicas: three\n  maxReplicas: 2\n  colour: red\n"
    )
    code, found = _findings(project, "--crd", "widgets.yaml", "typed.yaml")
    # `hasBlockingErr`: with a value of the wrong type the API server runs no CEL rule
    assert (code, found) == (
        1,
        [
            (
                "schema",
                5,
                16,
                "error",
                'spec.minReplicas: must be an integer, not a string ("three")',
            ),
            ("schema", 7, 3, "error", "spec.colour: unknown field; Widget spec has no such field"),
        ],
    )


def test_a_changed_crd_is_never_answered_from_the_cache(project: Path) -> None:
    assert _findings(project, "--crd", "widgets.yaml", "widgets-bad.yaml") == (1, BAD)
    crd = project / "widgets.yaml"
    crd.write_text(crd.read_text().replace("port names must be unique", "ports repeat"))
    code, found = _findings(project, "--crd", "widgets.yaml", "widgets-bad.yaml")
    assert (code, found[-1][-1]) == (1, "spec.ports: Invalid value: ports repeat")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("self.minReplicas <= self.maxReplicas", "self.minReplicas <="),
            "widgets.yaml:23: CustomResourceDefinition widgets.example.com: version v1: rule "
            "'self.minReplicas <=' does not compile: ERROR: <input>:1:18: Syntax error",
        ),
        (
            ("fieldPath: .tls.secretName", "fieldPath: '.tls..secretName'"),
            "widgets.yaml:26: CustomResourceDefinition widgets.example.com: version v1: "
            "'.tls..secretName' is not a field path such as spec.ports[0].nodePort",
        ),
        (
            ("apiVersion: apiextensions.k8s.io/v1", "apiVersion: apiextensions.k8s.io/v1beta1"),
            "widgets.yaml:3: CustomResourceDefinition widgets.example.com: apiVersion must be "
            "apiextensions.k8s.io/v1",
        ),
    ],
)
def test_a_crd_the_api_server_would_refuse_is_a_usage_error(
    project: Path, edit: tuple[str, str], message: str
) -> None:
    crd = project / "widgets.yaml"
    crd.write_text(crd.read_text().replace(*edit))
    done = run_netlint(project, "check", "--crd", "widgets.yaml", "widgets-bad.yaml")
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode() == f"netlint: error: {message}\n"


def test_a_crd_path_that_holds_no_crd_or_does_not_exist_is_a_usage_error(project: Path) -> None:
    done = run_netlint(project, "check", "--crd", "widgets-bad.yaml", "widgets-bad.yaml")
    assert (done.returncode, done.stderr) == (
        2,
        b"netlint: error: widgets-bad.yaml: no CustomResourceDefinition in it\n",
    )
    done = run_netlint(project, "check", "--crd", "nowhere.yaml", "widgets-bad.yaml")
    assert (done.returncode, done.stderr) == (
        2,
        b"netlint: error: --crd nowhere.yaml: no such file or folder\n",
    )


def test_loading_a_crd_runs_nothing_in_it(project: Path) -> None:
    marker = project / "ran"
    (project / "hostile.yaml").write_text(
        (FIXTURES / "widgets.yaml").read_text()
        + "---\n!!python/object/apply:os.system\nargs: ['touch ran']\n"
    )
    done = run_netlint(project, "check", "--crd", "hostile.yaml", "widgets-bad.yaml")
    assert done.returncode == 2
    assert done.stderr.startswith(b"netlint: error: hostile.yaml:")
    assert not marker.exists()


# --- the evaluation itself ----------------------------------------------------------------------


def _schema(**spec: Any) -> dict[str, Any]:
    reduced = rule_schema({"type": "object", "properties": {"spec": {"type": "object", **spec}}})
    assert reduced is not None
    return reduced


def test_defaults_fill_absent_fields_and_non_nullable_nulls_recursively() -> None:
    schema = _schema(
        properties={
            "mode": {"type": "string", "default": "Fast"},
            "limits": {
                "type": "object",
                "default": {},
                "properties": {"cpu": {"type": "string", "default": "1"}},
            },
            "note": {"type": "string"},
            "maybe": {"type": "string", "nullable": True},
        },
    )
    spec = {"note": None, "maybe": None, "mode": None}
    # a null with a default takes it; without one it is pruned; a nullable null stays
    assert defaulted({"spec": spec}, schema) == {
        "spec": {"maybe": None, "mode": "Fast", "limits": {"cpu": "1"}}
    }


def test_a_root_rule_sees_only_name_and_generate_name_of_metadata() -> None:
    schema = rule_schema(
        {
            "type": "object",
            "x-kubernetes-validations": [
                {"rule": "!has(self.metadata.namespace)", "message": "namespace hidden"},
                {"rule": "self.metadata.name.startsWith('w-')", "message": "w- names"},
            ],
        }
    )
    assert schema is not None
    obj = {"apiVersion": "example.com/v1", "metadata": {"name": "x", "namespace": "shop"}}
    # the root is a nil field.Path: `<nil>`
    assert [(f.path, f.message) for f in rule_failures(schema, obj)] == [
        ((), "<nil>: Invalid value: w- names"),
    ]
    # a name to be generated is generated before validation: it is there, with its prefix
    generated = {"apiVersion": "example.com/v1", "metadata": {"generateName": "w-"}}
    assert rule_failures(schema, generated) == []


def test_optional_old_self_runs_on_create_with_old_self_none() -> None:
    schema = _schema(
        **{
            "x-kubernetes-validations": [
                {
                    "rule": "oldSelf.hasValue() || self.size() > 0",
                    "optionalOldSelf": True,
                    "message": "must not be empty when created",
                }
            ]
        }
    )
    failures = rule_failures(schema, {"spec": {}})
    assert [f.message for f in failures] == ["spec: Invalid value: must not be empty when created"]


def test_a_failing_message_expression_falls_back_to_message_then_to_the_rule() -> None:
    schema = _schema(
        properties={"n": {"type": "integer"}},
        **{
            "x-kubernetes-validations": [
                {"rule": "self.n > 1", "messageExpression": "self.missing", "message": "n > 1"},
                {"rule": "self.n > 2"},
            ]
        },
    )
    assert [f.message for f in rule_failures(schema, {"spec": {"n": 0}})] == [
        "spec: Invalid value: n > 1",
        "spec: Invalid value: failed rule: self.n > 2",
    ]


def test_a_scalar_rule_shows_the_value_and_a_map_rule_points_at_the_key() -> None:
    schema = _schema(
        properties={
            "size": {
                "type": "string",
                "x-kubernetes-validations": [{"rule": "self != 'XL'", "message": "no XL"}],
            },
            "labels": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "x-kubernetes-validations": [
                    {"rule": "self.all(k, !k.startsWith('x-'))", "message": "no x- keys"}
                ],
            },
        }
    )
    failures = rule_failures(schema, {"spec": {"size": "XL", "labels": {"a": "1", "x-b": "2"}}})
    assert [(f.path, f.message, f.on_key) for f in failures] == [
        (("spec", "size"), 'spec.size: Invalid value: "XL": no XL', False),
        (("spec", "labels", "x-b"), "spec.labels: Invalid value: no x- keys", True),
    ]


def test_a_list_rule_that_fails_when_empty_is_reported_at_the_list() -> None:
    schema = _schema(
        properties={
            "ports": {
                "type": "array",
                "items": {"type": "integer"},
                "x-kubernetes-validations": [{"rule": "self.exists(p, p == 80)", "message": "80"}],
            }
        }
    )
    failures = rule_failures(schema, {"spec": {"ports": [81, 82]}})
    assert [(f.path, f.on_key) for f in failures] == [(("spec", "ports"), True)]


def test_a_schema_error_that_blocks_cel_leaves_the_rules_unevaluated() -> None:
    # `hasBlockingErr`: Required, NotSupported, TooLong, TooMany and TypeInvalid stop every rule
    from netlint.policy.schema_validation import SchemaStore

    gateway = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {"name": "g"},
        "spec": {
            "gatewayClassName": "c",
            "listeners": [{"name": "a", "protocol": "HTTP"}, {"name": "a", "protocol": "HTTP"}],
        },
    }
    found = SchemaStore("1.37").validate("gateway.networking.k8s.io/v1", "Gateway", gateway)
    assert [v.message for v in found] == [
        "spec.listeners[0].port: Required value",
        "spec.listeners[1].port: Required value",
    ]


def test_values_are_typed_by_the_schema_as_cel_sees_them() -> None:
    schema = _schema(
        properties={
            "ratio": {"type": "number"},
            "key": {"type": "string", "format": "byte"},
            "after": {"type": "string", "format": "duration"},
            "at": {"type": "string", "format": "date-time"},
        },
        **{
            "x-kubernetes-validations": [
                {"rule": "self.ratio / 2.0 == 0.5 && type(self.ratio) == double"},
                {"rule": "size(self.key) == 4"},
                {"rule": "self.after == duration('90s')"},
                {"rule": "self.at < timestamp('2030-01-01T00:00:00Z')"},
            ]
        },
    )
    spec = {"ratio": 1, "key": "AAECAw==", "after": "1m30s", "at": "2026-12-07T10:00:00Z"}
    assert rule_failures(schema, {"spec": spec}) == []


def test_set_and_map_lists_compare_without_regard_to_order() -> None:
    listed = {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"}
    schema = _schema(
        properties={"a": listed, "b": listed},
        **{"x-kubernetes-validations": [{"rule": "self.a == self.b", "message": "same"}]},
    )
    assert rule_failures(schema, {"spec": {"a": ["x", "y"], "b": ["y", "x"]}}) == []
    assert [f.message for f in rule_failures(schema, {"spec": {"a": ["x"], "b": ["y"]}})] == [
        "spec: Invalid value: same"
    ]


def test_before_1_35_the_message_shows_the_nodes_type_as_its_value() -> None:
    schema = _schema(
        properties={
            "size": {
                "type": "string",
                "x-kubernetes-validations": [{"rule": "self != 'XL'", "message": "no XL"}],
            }
        },
        **{"x-kubernetes-validations": [{"rule": "has(self.size)", "message": "a size"}]},
    )
    assert [f.message for f in rule_failures(schema, {"spec": {"size": "XL"}}, "1.34")] == [
        'spec.size: Invalid value: "string": no XL'
    ]
    assert [f.message for f in rule_failures(schema, {"spec": {}}, "1.34")] == [
        'spec: Invalid value: "object": a size'
    ]


def test_paths_name_properties_and_map_keys_as_field_path_does() -> None:
    schema = _schema(
        properties={
            "x-y": {
                "type": "integer",
                "x-kubernetes-validations": [{"rule": "self > 0", "message": "positive"}],
            },
            "m": {
                "type": "object",
                "additionalProperties": {
                    "type": "integer",
                    "x-kubernetes-validations": [{"rule": "self > 0", "message": "positive"}],
                },
            },
        }
    )
    found = rule_failures(schema, {"spec": {"x-y": 0, "m": {"foo": 0}}})
    assert [f.message for f in found] == [
        "spec.x-y: Invalid value: 0: positive",
        "spec.m[foo]: Invalid value: 0: positive",
    ]


def test_a_message_expression_is_trimmed_and_one_with_a_line_break_falls_back() -> None:
    schema = _schema(
        **{
            "x-kubernetes-validations": [
                {"rule": "false", "messageExpression": "'  padded  '"},
                {"rule": "false", "messageExpression": "'two\\nlines'", "message": "one line"},
            ]
        }
    )
    assert [f.message for f in rule_failures(schema, {"spec": {}})] == [
        "spec: Invalid value: padded",
        "spec: Invalid value: one line",
    ]


def test_narrowing_leaves_at_least_one_rules_and_objects_at_the_node() -> None:
    schema = _schema(
        properties={
            "items": {
                "type": "array",
                "items": {"type": "object", "properties": {"primary": {"type": "boolean"}}},
                "x-kubernetes-validations": [
                    {"rule": "size(self) == 0 || self.exists(i, has(i.primary) && i.primary)"}
                ],
            },
            "mode": {"type": "string", "default": "strict"},
            "level": {"type": "integer"},
        },
        **{"x-kubernetes-validations": [{"rule": "!has(self.level) || self.level < 3"}]},
    )
    spec: dict[str, object] = {"items": [{}, {}], "level": 5}
    found = rule_failures(schema, {"spec": spec})
    assert [(f.path, f.on_key) for f in found] == [(("spec",), True), (("spec", "items"), True)]


def test_a_rule_calling_a_function_netlint_lacks_loads_and_is_not_evaluated(
    project: Path,
) -> None:
    crd = project / "widgets.yaml"
    crd.write_text(
        crd.read_text().replace(
            "- rule: self.mode == oldSelf.mode",
            "- rule: math.greatest([self.minReplicas, 1]) >= 1\n"
            "              message: at least one replica\n"
            "            - rule: self.mode == oldSelf.mode",
        )
    )
    assert _findings(project, "--crd", "widgets.yaml", "widgets-bad.yaml") == (1, BAD)


def test_keys_of_mixed_types_do_not_stop_the_evaluation() -> None:
    schema = _schema(
        properties={
            "labels": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "x-kubernetes-validations": [{"rule": "size(self) < 2", "message": "few"}],
            }
        }
    )
    found = rule_failures(schema, {"spec": {"labels": {1: "a", "b": "c"}}})
    assert [f.message for f in found] == ["spec.labels: Invalid value: few"]


@pytest.mark.parametrize(
    ("subresources", "expected"),
    [
        (
            "",
            [("schema", 5, 17, "error", 'status.ready: must be a boolean, not a string ("maybe")')],
        ),
        ("    subresources: {status: {}}\n", []),  # dropped on create: never validated
    ],
)
def test_status_is_validated_only_without_a_status_subresource(
    project: Path, subresources: str, expected: list[tuple[str, int, int, str, str]]
) -> None:
    crd = project / "widgets.yaml"
    text = crd.read_text().replace(
        "        properties:\n          spec:\n",
        "        properties:\n          status:\n            type: object\n"
        "            properties: {ready: {type: boolean}}\n          spec:\n",
    )
    crd.write_text(text.replace("    storage: true\n", "    storage: true\n" + subresources))
    (project / "status.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
        "spec: {maxReplicas: 1}\nstatus: {ready: maybe}\n"
    )
    assert _findings(project, "--crd", "widgets.yaml", "status.yaml") == (
        1 if expected else 0,
        expected,
    )


def test_an_unknown_field_is_pruned_and_the_rules_still_judge_the_rest(project: Path) -> None:
    # Strict field validation (kubectl's default) refuses the unknown field; a client asking
    # for Warn has it pruned, and the CEL rules then refuse the rest: both are reported.
    (project / "extra.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
        "spec: {maxReplicas: 1, minReplicas: 2, colour: red}\n"
    )
    assert _findings(project, "--crd", "widgets.yaml", "extra.yaml") == (
        1,
        [
            (
                "schema",
                4,
                1,
                "error",
                "spec: Invalid value: minReplicas (2) must not exceed maxReplicas (1)",
            ),
            ("schema", 4, 40, "error", "spec.colour: unknown field; Widget spec has no such field"),
        ],
    )


def test_the_rules_see_a_root_without_unknown_fields_but_with_its_metadata() -> None:
    schema = rule_schema(
        {
            "type": "object",
            "properties": {"spec": {"type": "object"}, "metadata": {"type": "object"}},
            "x-kubernetes-validations": [
                {"rule": "!has(self.extra)", "message": "pruned"},
                {"rule": "self.metadata.name == 'w'", "message": "named"},
            ],
        }
    )
    assert schema is not None
    obj = {"apiVersion": "x/v1", "kind": "W", "metadata": {"name": "w"}, "extra": 1, "spec": {}}
    assert rule_failures(schema, obj) == []
