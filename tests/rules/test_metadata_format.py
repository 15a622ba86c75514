"""`metadata-format`: the API server's ObjectMeta validation (objectmeta.go, meta/v1
validation.go, core `ValidateObjectMeta`), with its upstream test cases restated as manifests."""

from __future__ import annotations

import json

import pytest

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "metadata-format"
SIZE_LIMIT = 256 * 1024
LABEL_KEY_TEXT = (
    "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc') with "
    "an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
)
NAME_PART_TEXT = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character"
)
LABEL_VALUE_TEXT = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character"
)
DNS_LABEL_TEXT = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')"
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 6, 14, "error"),  # namespace Shop_1
        (RULE, 8, 5, "error"),  # a label key with two slashes, at the key
        (RULE, 9, 14, "error"),  # a label value with `+`, at the value
        (RULE, 11, 5, "error"),  # an annotation key with a space
        (RULE, 12, 3, "error"),  # orphan and foregroundDeletion
        (RULE, 20, 16, "error"),  # a built-in kind's finalizer without a domain
        (RULE, 22, 5, "error"),  # owned by an Event
        (RULE, 34, 16, "info"),  # a custom resource's finalizer without a domain: a warning
    ]
    messages = [f.message for f in findings]
    assert messages[0] == (
        f'Service Shop_1/web is invalid: metadata.namespace: Invalid value: "Shop_1": {DNS_LABEL_TEXT}'
    )
    assert messages[1].endswith(
        f'metadata.labels: Invalid value: "app.kubernetes.io/name/web": {LABEL_KEY_TEXT}'
    )
    assert messages[2].endswith(f'metadata.labels: Invalid value: "v1.2+build": {LABEL_VALUE_TEXT}')
    assert messages[4].endswith(
        'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan '
        "and foregroundDeletion cannot be both set"
    )
    assert messages[5] == (
        'Deployment api is invalid: metadata.finalizers[0]: Invalid value: "cleanup": '
        "name is neither a standard finalizer name nor is it fully qualified"
    )
    assert messages[6].endswith(": /v1, Kind=Event is disallowed from being an owner")
    assert messages[7] == (
        "Application shop is accepted with a warning: metadata.finalizers[0]: "
        '"resources-finalizer.argocd.argoproj.io": prefer a domain-qualified finalizer name to '
        "avoid accidental conflicts with other finalizer writers"
    )


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def _errors(meta: str, kind: str = "ConfigMap", api_version: str = "v1") -> list[str]:
    """The API server's errors for an object with `meta` (YAML lines under `metadata:`)."""
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: test\n{meta}"
    return [f.message.partition(" is invalid: ")[2] for f in only(lint_text(text), RULE)]


def _map(field: str, entries: dict[str, str]) -> str:
    """YAML lines of a map field; double-quoted scalars are JSON strings."""
    lines = "".join(
        f"    {json.dumps(key)}: {json.dumps(value)}\n" for key, value in entries.items()
    )
    return f"  {field}:\n{lines}"


def labels_yaml(entries: dict[str, str]) -> str:
    return _map("labels", entries)


def annotations_yaml(entries: dict[str, str]) -> str:
    return _map("annotations", entries)


# The keys both TestValidateLabels (meta/v1 validation_test.go) and TestValidateAnnotations
# (objectmeta_test.go) accept.
VALID_KEYS = [
    "simple",
    "now-with-dashes",
    "1-starts-with-num",
    "1234",
    "simple/simple",
    "now-with-dashes/simple",
    "now-with-dashes/now-with-dashes",
    "now.with.dots/simple",
    "now-with.dashes-and.dots/simple",
    "1-num.2-num/3-num",
    "1234/5678",
    "1.2.3.4/5678",
]
VALID_LABELS = [
    *({key: "bar"} for key in VALID_KEYS),
    {"UpperCaseAreOK123": "bar"},
    {"goodvalue": "123_-.BaR"},
]


@pytest.mark.parametrize("labels", VALID_LABELS)
def test_upstream_valid_labels(labels: dict[str, str]) -> None:
    assert _errors(labels_yaml(labels)) == []


# TestValidateLabels: the invalid keys and values, with the detail each gets.
INVALID_LABELS = [
    ({"nospecialchars^=@": "bar"}, [f'"nospecialchars^=@": {NAME_PART_TEXT}']),
    ({"cantendwithadash-": "bar"}, [f'"cantendwithadash-": {NAME_PART_TEXT}']),
    ({"only/one/slash": "bar"}, [f'"only/one/slash": {LABEL_KEY_TEXT}']),
    ({"a" * 254: "bar"}, [f'"{"a" * 254}": name part must be no more than 63 characters']),
    ({"toolongvalue": "a" * 64}, [f'"{"a" * 64}": must be no more than 63 characters']),
    ({"backslashesinvalue": "some\\bad\\value"}, [f'"some\\\\bad\\\\value": {LABEL_VALUE_TEXT}']),
    ({"nocommasallowed": "bad,value"}, [f'"bad,value": {LABEL_VALUE_TEXT}']),
    ({"strangecharsinvalue": "?#$notsogood"}, [f'"?#$notsogood": {LABEL_VALUE_TEXT}']),
]


@pytest.mark.parametrize(("labels", "details"), INVALID_LABELS)
def test_upstream_invalid_labels(labels: dict[str, str], details: list[str]) -> None:
    assert _errors(labels_yaml(labels)) == [f"metadata.labels: Invalid value: {d}" for d in details]


# TestValidateAnnotations: the success cases (keys in any case, up to the size limit).
VALID_ANNOTATIONS = [
    *({key: "bar"} for key in VALID_KEYS),
    {"UpperCase123": "bar"},
    {"a": "b" * (SIZE_LIMIT - 1)},
    {"a": "b" * (SIZE_LIMIT // 2 - 1), "c": "d" * (SIZE_LIMIT // 2 - 1)},
]


@pytest.mark.parametrize("annotations", VALID_ANNOTATIONS, ids=range(len(VALID_ANNOTATIONS)))
def test_upstream_valid_annotations(annotations: dict[str, str]) -> None:
    assert _errors(annotations_yaml(annotations)) == []


INVALID_ANNOTATIONS = [
    ({"nospecialchars^=@": "bar"}, f'Invalid value: "nospecialchars^=@": {NAME_PART_TEXT}'),
    ({"cantendwithadash-": "bar"}, f'Invalid value: "cantendwithadash-": {NAME_PART_TEXT}'),
    ({"only/one/slash": "bar"}, f'Invalid value: "only/one/slash": {LABEL_KEY_TEXT}'),
    (
        {"a" * 254: "bar"},
        f'Invalid value: "{"a" * 254}": name part must be no more than 63 characters',
    ),
    ({"a": "b" * SIZE_LIMIT}, f"Too long: must have at most {SIZE_LIMIT} bytes"),
    (
        {"a": "b" * (SIZE_LIMIT // 2), "c": "d" * (SIZE_LIMIT // 2)},
        f"Too long: must have at most {SIZE_LIMIT} bytes",
    ),
]


@pytest.mark.parametrize(
    ("annotations", "detail"), INVALID_ANNOTATIONS, ids=range(len(INVALID_ANNOTATIONS))
)
def test_upstream_invalid_annotations(annotations: dict[str, str], detail: str) -> None:
    assert _errors(annotations_yaml(annotations)) == [f"metadata.annotations: {detail}"]


def owners_yaml(*references: str) -> str:
    return "  ownerReferences:\n" + "".join(f"  - {{{ref}}}\n" for ref in references)


# objectmeta_test.go TestValidateObjectMetaOwnerReferences and the create cases of
# TestValidateObjectMetaDeclaratively (the imperative messages, which every supported version
# prints).
OWNER_CASES = [
    ("apiVersion: customresourceVersion, kind: customresourceKind, name: name, uid: '1'", []),
    ("apiVersion: v1, kind: Pod, name: name, uid: '1'", []),
    (
        "apiVersion: v1, kind: Event, name: name, uid: '1'",
        [
            'metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event",'
            '"name":"name","uid":"1"}: /v1, Kind=Event is disallowed from being an owner'
        ],
    ),
    (
        "apiVersion: a/b/c, kind: Pod, name: name, uid: '1'",
        ['metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty'],
    ),
    (
        "apiVersion: foo/, kind: Pod, name: name, uid: '1'",
        ['metadata.ownerReferences.apiVersion: Invalid value: "foo/": version must not be empty'],
    ),
    (
        "apiVersion: '', kind: Pod, name: name, uid: '1'",
        ['metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty'],
    ),
    (
        "apiVersion: v1, kind: '', name: name, uid: '1'",
        ['metadata.ownerReferences.kind: Invalid value: "": must not be empty'],
    ),
    (
        "apiVersion: v1, kind: Pod, name: '', uid: '1'",
        ['metadata.ownerReferences.name: Invalid value: "": must not be empty'],
    ),
    (
        "apiVersion: v1, kind: Pod, name: name, uid: ''",
        ['metadata.ownerReferences.uid: Invalid value: "": must not be empty'],
    ),
    (
        "apiVersion: v1, kind: Pod, name: name",
        ['metadata.ownerReferences.uid: Invalid value: "": must not be empty'],
    ),
]


@pytest.mark.parametrize(("reference", "expected"), OWNER_CASES)
def test_upstream_owner_references(reference: str, expected: list[str]) -> None:
    assert _errors(owners_yaml(reference)) == expected


def test_upstream_one_controller_reference_is_allowed() -> None:
    meta = owners_yaml(
        "apiVersion: customresourceVersion, kind: customresourceKind, name: name, uid: '1', "
        "controller: false",
        "apiVersion: customresourceVersion, kind: customresourceKind, name: name, uid: '2', "
        "controller: true",
        "apiVersion: customresourceVersion, kind: customresourceKind, name: name, uid: '3', "
        "controller: false",
        "apiVersion: customresourceVersion, kind: customresourceKind, name: name, uid: '4'",
    )
    assert _errors(meta) == []


def test_upstream_two_controller_references_are_refused() -> None:
    meta = owners_yaml(
        "apiVersion: customresourceVersion, kind: customresourceKind1, name: name, uid: '1', "
        "controller: false",
        "apiVersion: customresourceVersion, kind: customresourceKind2, name: name, uid: '2', "
        "controller: true",
        "apiVersion: customresourceVersion, kind: customresourceKind3, name: name, uid: '3', "
        "controller: true",
        "apiVersion: customresourceVersion, kind: customresourceKind4, name: name, uid: '4'",
    )
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\n{meta}"
    findings = only(lint_text(text), RULE)
    assert brief(findings) == [(RULE, 8, 102, "error")]  # the second `controller: true`
    assert findings[0].message.endswith(
        'Only one reference can have Controller set to true. Found "true" in references for '
        "customresourceKind2/name and customresourceKind3/name"
    )


def test_a_missing_owner_uid_is_the_schema_s_where_it_knows_the_kind() -> None:
    """One problem, one finding: the strict Service schema reports the missing uid."""
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  ownerReferences:\n"
        "  - {apiVersion: v1, kind: Pod, name: p}\nspec:\n  ports: [{port: 80}]\n"
    )
    findings = [f for f in lint_text(text) if f.rule_id in (RULE, "schema")]
    assert [(f.rule_id, f.message) for f in findings] == [
        ("schema", "metadata.ownerReferences[0].uid: Required value")
    ]


# TestValidateObjectMetaNamespaces, TestValidateFinalizersPreventConflictingFinalizers, the
# generation case of TestValidateObjectMetaDeclaratively, and core's validateKubeFinalizerName.
META_CASES = [
    (
        "  namespace: foo.bar\n",
        ['metadata.namespace: Invalid value: "foo.bar": must not contain dots'],
    ),
    (
        f"  namespace: {'A' * 64}\n",
        [
            f'metadata.namespace: Invalid value: "{"A" * 64}": {DNS_LABEL_TEXT}',
            f'metadata.namespace: Invalid value: "{"A" * 64}": must be no more than 63 characters',
        ],
    ),
    ("  namespace: shop\n", []),
    (
        "  finalizers: [orphan, foregroundDeletion]\n",
        [
            'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer '
            "orphan and foregroundDeletion cannot be both set"
        ],
    ),
    ("  finalizers: [kubernetes, orphan, example.com/x]\n", []),
    (
        "  finalizers: [x/a/b]\n",
        [f'metadata.finalizers: Invalid value: "x/a/b": {LABEL_KEY_TEXT}'],
    ),
    (
        "  finalizers: [mine]\n",
        [
            'metadata.finalizers[0]: Invalid value: "mine": name is neither a standard finalizer '
            "name nor is it fully qualified"
        ],
    ),
    (
        "  generation: -1\n",
        ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"],
    ),
    ("  generation: 0\n", []),
]


@pytest.mark.parametrize(("meta", "expected"), META_CASES)
def test_upstream_namespace_finalizer_and_generation_cases(meta: str, expected: list[str]) -> None:
    assert _errors(meta) == expected


def test_negative_generation_of_a_kind_that_resets_it_is_a_warning() -> None:
    text = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
        "  generation: -2\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n"
    )
    assert brief(only(lint_text(text), RULE)) == [(RULE, 5, 15, "warning")]


def test_custom_resources_get_the_same_checks_but_only_advice_for_short_finalizers() -> None:
    meta = "  labels: {team/a/b: x}\n  finalizers: [cleanup, example.com/x]\n"
    text = f"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n{meta}"
    findings = only(lint_text(text), RULE)
    assert brief(findings) == [(RULE, 5, 12, "error"), (RULE, 6, 16, "info")]


def test_a_cluster_scoped_object_s_namespace_is_not_judged() -> None:
    text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  namespace: Bad_NS\n"
    assert only(lint_text(text), RULE) == []


def test_values_that_are_not_strings_are_yaml_ambiguous_value_s() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {canary: yes}\n"
    assert [f.rule_id for f in lint_text(text)] == ["yaml-ambiguous-value"]
