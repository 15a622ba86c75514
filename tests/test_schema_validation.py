"""The bundled strict schemas and the messages of `netlint.policy.schema_validation` (DESIGN §5)."""

from __future__ import annotations

import copy
import datetime
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft202012Validator

from netlint.policy.schema_validation import SUPPORTED_KUBE_VERSIONS, SchemaStore, SchemaViolation

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas" / "kubernetes"
CORPUS = REPO.parent / "shared" / "corpus"

KINDS = {
    "Service": "v1",
    "Endpoints": "v1",
    "Ingress": "networking.k8s.io/v1",
    "IngressClass": "networking.k8s.io/v1",
    "EndpointSlice": "discovery.k8s.io/v1",
}
MINIMAL: dict[str, dict[str, Any]] = {
    "Service": {"spec": {"ports": [{"port": 80}]}},
    "Endpoints": {"subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]},
    "Ingress": {"spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}},
    "IngressClass": {"spec": {"controller": "k8s.io/ingress-nginx"}},
    "EndpointSlice": {"addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}]},
}


def manifest(kind: str, **fields: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {"apiVersion": KINDS[kind], "kind": kind, "metadata": {"name": "web"}}
    obj.update(copy.deepcopy(MINIMAL[kind]))
    obj.update(fields)
    return obj


def service(**spec: Any) -> dict[str, Any]:
    return manifest("Service", spec={"ports": [{"port": 80}], **spec})


def ingress_path(**path: Any) -> dict[str, Any]:
    backend = {"service": {"name": "web", "port": {"number": 80}}}
    http = {"paths": [{"path": "/", "backend": backend, **path}]}
    return manifest("Ingress", spec={"rules": [{"host": "example.com", "http": http}]})


@pytest.fixture(scope="module")
def store() -> SchemaStore:
    return SchemaStore("1.37")


def check(store: SchemaStore, obj: dict[str, Any]) -> list[SchemaViolation]:
    return store.validate(obj["apiVersion"], obj["kind"], obj)


# --- unknown fields ------------------------------------------------------------------------------


def test_made_up_service_field_is_one_violation_on_its_key(store: SchemaStore) -> None:
    obj = service(endpointSlices=[{"name": "web-1", "addresses": ["10.0.0.1"]}])
    assert check(store, obj) == [
        SchemaViolation(
            ("spec", "endpointSlices"),
            "spec.endpointSlices: unknown field; Service spec has no such field",
            on_key=True,
        )
    ]


def test_v1beta1_backend_fields_in_a_v1_ingress_name_their_owner(store: SchemaStore) -> None:
    obj = ingress_path(pathType="Prefix", backend={"serviceName": "web", "servicePort": 80})
    found = check(store, obj)
    at = "spec.rules[0].http.paths[0].backend"
    assert [v.message for v in found] == [
        f"{at}.serviceName: unknown field; Ingress {at} has no such field",
        f"{at}.servicePort: unknown field; Ingress {at} has no such field",
    ]
    assert found[0].path == ("spec", "rules", 0, "http", "paths", 0, "backend", "serviceName")
    assert all(v.on_key for v in found)


def test_unknown_top_level_and_metadata_fields(store: SchemaStore) -> None:
    obj = manifest("IngressClass", specs={}, metadata={"name": "nginx", "label": {"a": "b"}})
    assert [(v.path, v.message) for v in check(store, obj)] == [
        (
            ("metadata", "label"),
            "metadata.label: unknown field; IngressClass metadata has no such field",
        ),
        (("specs",), "specs: unknown field; IngressClass has no such field"),
    ]


def test_removed_ipfamily_field_is_unknown(store: SchemaStore) -> None:
    # The kubernetes/website dual-stack examples of the corpus still carry it (removed in 1.20).
    found = check(store, service(ipFamily="IPv6"))
    assert [v.message for v in found] == [
        "spec.ipFamily: unknown field; Service spec has no such field"
    ]


# --- types ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ({"port": "80"}, 'spec.ports[0].port: must be an integer, not a string ("80")'),
        ({"port": 80.5}, "spec.ports[0].port: must be an integer, not a number (80.5)"),
        ({"port": True}, "spec.ports[0].port: must be an integer, not a boolean (true)"),
        ({"port": [80]}, "spec.ports[0].port: must be an integer, not a list"),
        (
            {"port": 80, "nodePort": {"n": 1}},
            "spec.ports[0].nodePort: must be an integer, not a mapping",
        ),
    ],
)
def test_wrong_type_names_expected_and_actual(
    store: SchemaStore, port: dict[str, Any], message: str
) -> None:
    found = check(store, service(ports=[port]))
    assert [v.message for v in found] == [message]
    assert not found[0].on_key


def test_wrong_type_on_a_whole_section(store: SchemaStore) -> None:
    found = check(store, service(ports={"http": 80}))
    assert found == [
        SchemaViolation(
            ("spec", "ports"), "spec.ports: must be a list, not a mapping", on_key=False
        )
    ]


@pytest.mark.parametrize("target_port", [8080, "http", 0, None])
def test_int_or_string_accepts_either_and_null(store: SchemaStore, target_port: object) -> None:
    # Upstream's oneOf of two nullable types rejected null (it matched both branches).
    assert check(store, service(ports=[{"port": 80, "targetPort": target_port}])) == []


def test_int_or_string_rejects_a_list(store: SchemaStore) -> None:
    found = check(store, service(ports=[{"port": 80, "targetPort": [8080]}]))
    assert found == [
        SchemaViolation(
            ("spec", "ports", 0, "targetPort"),
            "spec.ports[0].targetPort: must be an integer or a string, not a list",
            on_key=False,
        )
    ]


def test_ingress_backend_port_number_must_be_an_integer(store: SchemaStore) -> None:
    obj = ingress_path(
        pathType="Prefix", backend={"service": {"name": "web", "port": {"number": "http"}}}
    )
    assert [v.message for v in check(store, obj)] == [
        "spec.rules[0].http.paths[0].backend.service.port.number: "
        'must be an integer, not a string ("http")'
    ]


# --- null in optional fields ---------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_KUBE_VERSIONS)
def test_null_creation_timestamp_and_status_are_accepted(version: str) -> None:
    # `kubectl create --dry-run -o yaml` writes these into countless committed manifests.
    for kind, api_version in KINDS.items():
        obj = manifest(kind, metadata={"name": "web", "creationTimestamp": None})
        if kind in ("Service", "Ingress"):
            obj["status"] = {"loadBalancer": {}}
        assert SchemaStore(version).validate(api_version, kind, obj) == [], kind


def test_null_optional_fields_are_absent(store: SchemaStore) -> None:
    obj = service(type=None, selector=None, sessionAffinity=None, ipFamilies=None)
    obj["metadata"]["labels"] = None
    assert check(store, obj) == []


# --- required fields -----------------------------------------------------------------------------


def test_missing_ingress_path_type_points_at_the_path_entry(store: SchemaStore) -> None:
    found = check(store, ingress_path())
    assert found == [
        SchemaViolation(
            ("spec", "rules", 0, "http", "paths", 0),
            "spec.rules[0].http.paths[0].pathType: Required value",
            on_key=True,
        )
    ]


def test_missing_top_level_field(store: SchemaStore) -> None:
    obj = manifest("EndpointSlice")
    del obj["addressType"]
    assert check(store, obj) == [SchemaViolation((), "addressType: Required value", on_key=True)]


def test_null_in_a_required_field_is_a_missing_value(store: SchemaStore) -> None:
    found = check(store, manifest("EndpointSlice", addressType=None))
    assert found == [SchemaViolation(("addressType",), "addressType: Required value", on_key=False)]
    found = check(store, ingress_path(pathType=None))
    assert [v.message for v in found] == ["spec.rules[0].http.paths[0].pathType: Required value"]


def test_several_missing_fields_are_several_violations(store: SchemaStore) -> None:
    obj = manifest("Endpoints", subsets=[{"addresses": [{"hostname": "a"}], "ports": [{}]}])
    assert sorted(v.message for v in check(store, obj)) == [
        "subsets[0].addresses[0].ip: Required value",
        "subsets[0].ports[0].port: Required value",
    ]


@pytest.mark.parametrize("version", SUPPORTED_KUBE_VERSIONS)
def test_endpointslice_without_endpoints_is_valid(version: str) -> None:
    # Upstream 1.32-1.35 marked `endpoints` required; the API server has never required it.
    obj = manifest("EndpointSlice")
    del obj["endpoints"]
    assert SchemaStore(version).validate(obj["apiVersion"], "EndpointSlice", obj) == []


# --- enums ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "path", "message"),
    [
        (
            service(ports=[{"port": 80, "protocol": "tcp"}]),
            ("spec", "ports", 0, "protocol"),
            'spec.ports[0].protocol: Unsupported value: "tcp": '
            'supported values: "SCTP", "TCP", "UDP"',
        ),
        (
            service(type="Foo"),
            ("spec", "type"),
            'spec.type: Unsupported value: "Foo": supported values: '
            '"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
        ),
        (
            service(sessionAffinity="Sticky"),
            ("spec", "sessionAffinity"),
            'spec.sessionAffinity: Unsupported value: "Sticky": '
            'supported values: "ClientIP", "None"',
        ),
        (
            service(type="LoadBalancer", externalTrafficPolicy="OnlyLocal"),
            ("spec", "externalTrafficPolicy"),
            'spec.externalTrafficPolicy: Unsupported value: "OnlyLocal": '
            'supported values: "Cluster", "Local"',
        ),
        (
            service(internalTrafficPolicy=""),
            ("spec", "internalTrafficPolicy"),
            'spec.internalTrafficPolicy: Unsupported value: "": '
            'supported values: "Cluster", "Local"',
        ),
        (
            service(ipFamilies=["IPv4", "ipv6"]),
            ("spec", "ipFamilies", 1),
            'spec.ipFamilies[1]: Unsupported value: "ipv6": supported values: "IPv4", "IPv6"',
        ),
        (
            service(ipFamilyPolicy="DualStack"),
            ("spec", "ipFamilyPolicy"),
            'spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: '
            '"PreferDualStack", "RequireDualStack", "SingleStack"',
        ),
        (
            manifest("EndpointSlice", addressType="IP"),
            ("addressType",),
            'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
        ),
        (
            manifest("EndpointSlice", ports=[{"port": 80, "protocol": "HTTP"}]),
            ("ports", 0, "protocol"),
            'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        ),
        (
            manifest("Endpoints", subsets=[{"ports": [{"port": 80, "protocol": "udp"}]}]),
            ("subsets", 0, "ports", 0, "protocol"),
            'subsets[0].ports[0].protocol: Unsupported value: "udp": '
            'supported values: "SCTP", "TCP", "UDP"',
        ),
        (
            ingress_path(pathType="prefix"),
            ("spec", "rules", 0, "http", "paths", 0, "pathType"),
            'spec.rules[0].http.paths[0].pathType: Unsupported value: "prefix": '
            'supported values: "Exact", "ImplementationSpecific", "Prefix"',
        ),
        (
            manifest(
                "IngressClass",
                spec={
                    "controller": "x.io/c",
                    "parameters": {"kind": "K", "name": "n", "scope": "cluster"},
                },
            ),
            ("spec", "parameters", "scope"),
            'spec.parameters.scope: Unsupported value: "cluster": '
            'supported values: "Cluster", "Namespace"',
        ),
    ],
)
def test_enum_violations_read_like_the_api_server(
    store: SchemaStore, obj: dict[str, Any], path: tuple[str | int, ...], message: str
) -> None:
    supported = tuple(json.loads(f"[{message.split('supported values: ')[1]}]"))
    assert check(store, obj) == [SchemaViolation(path, message, False, supported)]


def test_a_wrongly_typed_enum_value_is_one_type_violation(store: SchemaStore) -> None:
    found = check(store, service(ports=[{"port": 80, "protocol": 6}]))
    assert [v.message for v in found] == [
        "spec.ports[0].protocol: must be a string, not an integer (6)"
    ]


@pytest.mark.parametrize(
    "spec",
    [
        {"type": ""},
        {"sessionAffinity": ""},
        {"externalTrafficPolicy": ""},
        {"ports": [{"port": 80, "protocol": ""}]},
        {"type": "ExternalName", "externalName": "db.example.com", "ports": None},
        {"ipFamilyPolicy": "RequireDualStack", "ipFamilies": ["IPv6", "IPv4"]},
    ],
)
def test_values_the_api_server_defaults_or_accepts(
    store: SchemaStore, spec: dict[str, Any]
) -> None:
    assert check(store, service(**spec)) == []


def test_every_valid_enum_value_passes(store: SchemaStore) -> None:
    for kind in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"):
        assert check(store, service(type=kind)) == []
    for path_type in ("Exact", "Prefix", "ImplementationSpecific"):
        assert check(store, ingress_path(pathType=path_type)) == []
    for address_type in ("IPv4", "IPv6", "FQDN"):
        assert check(store, manifest("EndpointSlice", addressType=address_type)) == []


# --- what other rules own ------------------------------------------------------------------------


def test_constraints_owned_by_other_rules_are_not_reported(store: SchemaStore) -> None:
    # name-format, service-port-name, service-type-fields, ingress-host-format,
    # ingress-path-format and endpointslice-limits each own one of these (DESIGN §4).
    bad_names = service(
        type="ClusterIP",
        ports=[{"name": "Not_A_Label", "port": 80, "nodePort": 30080, "targetPort": "8080"}],
    )
    bad_names["metadata"]["name"] = "1-Bad_Name"
    assert check(store, bad_names) == []
    paths = ingress_path(pathType="Prefix", path="no-slash//x")
    paths["spec"]["rules"][0]["host"] = "1.2.3.4:80"
    assert check(store, paths) == []
    endpoints = [{"addresses": [f"10.0.{i // 250}.{i % 250}"] * 101} for i in range(1001)]
    assert check(store, manifest("EndpointSlice", endpoints=endpoints)) == []


# --- the store -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_KUBE_VERSIONS)
def test_every_version_has_every_kind(version: str) -> None:
    store = SchemaStore(version)
    for kind, api_version in KINDS.items():
        assert store.has_schema(api_version, kind)
        assert store.validate(api_version, kind, manifest(kind)) == []
        assert store.validate(api_version, kind, manifest(kind, bogus=1)) != []


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        ("apps/v1", "Deployment"),
        ("gateway.networking.k8s.io/v1alpha2", "TCPRoute"),  # not served by Gateway API v1.6
        ("gateway.networking.k8s.io/v1", "XBackendTrafficPolicy"),  # experimental channel
        ("networking.istio.io/v1", "Gateway"),  # another group's Gateway
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("extensions/v1beta1", "Ingress"),  # deprecated-api's, not schema's
        ("networking.k8s.io/v1beta1", "Ingress"),
        ("v1", "service"),  # kinds are case-sensitive
        ("networking.k8s.io/v1", "Service"),
        ("../../v1.37/service", "v1"),
    ],
)
def test_no_schema_for_other_kinds(store: SchemaStore, api_version: str, kind: str) -> None:
    assert not store.has_schema(api_version, kind)
    with pytest.raises(KeyError):
        store.validate(api_version, kind, {"apiVersion": api_version, "kind": kind})


@pytest.mark.parametrize("version", ["1.31", "1.38", "v1.37", "1.37.0", ""])
def test_unsupported_versions_are_refused(version: str) -> None:
    with pytest.raises(ValueError, match=r"1\.32, .*1\.37"):
        SchemaStore(version)


def test_valid_objects_never_reach_python_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("jsonschema_rs")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the slow validator was built for a valid object")

    # The store imports python-jsonschema's validator where it builds one: patch it at its home.
    monkeypatch.setattr(jsonschema, "Draft202012Validator", refuse)
    store = SchemaStore("1.37")
    for kind in KINDS:
        assert check(store, manifest(kind)) == []


def test_messages_are_the_same_without_jsonschema_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    objs = [
        service(endpointSlices=[], ports=[{"port": "80", "protocol": "tcp", "targetPort": [1]}]),
        ingress_path(),
        manifest("EndpointSlice", addressType="IP"),
        manifest("Service"),
    ]
    with_rs = [check(SchemaStore("1.37"), obj) for obj in objs]
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)  # makes `import jsonschema_rs` fail
    alone = SchemaStore("1.37")
    assert [check(alone, obj) for obj in objs] == with_rs
    assert with_rs[3] == []
    assert len(with_rs[0]) == 4


def test_one_of_reports_the_most_specific_branch(tmp_path: Path) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "apiVersion": {"enum": ["example.com/v1"]},
            "kind": {"enum": ["Widget"]},
            "spec": {
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "properties": {"port": {"type": "integer"}},
                        "additionalProperties": False,
                    },
                ]
            },
        },
    }
    folder = tmp_path / "kubernetes" / "v1.37"
    folder.mkdir(parents=True)
    (folder / "widget-example.com-v1.json").write_text(json.dumps(schema))
    store = SchemaStore("1.37", root=tmp_path)
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"port": "x"}}
    assert check(store, obj) == [
        SchemaViolation(
            ("spec", "port"), 'spec.port: must be an integer, not a string ("x")', on_key=False
        )
    ]


# --- the bundled files ---------------------------------------------------------------------------


def _walk(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node  # type: ignore[misc]
        for value in node.values():  # type: ignore[union-attr]
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:  # type: ignore[union-attr]
            yield from _walk(value)


@pytest.mark.parametrize(
    "path", sorted(SCHEMAS.glob("v*/*.json")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_bundled_schemas_are_self_contained_and_strict(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    for node in _walk(schema):
        ref = node.get("$ref")
        if isinstance(ref, str):
            assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in schema["$defs"]
        if isinstance(node.get("properties"), dict):
            assert node.get("additionalProperties") is False
        assert "oneOf" not in node and "anyOf" not in node


# --- the corpus: both steps agree ----------------------------------------------------------------


def _plain(value: object) -> object:
    """PyYAML's YAML 1.1 resolver makes dates of unquoted timestamps; Kubernetes reads strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}  # type: ignore[union-attr]
    if isinstance(value, list):
        return [_plain(v) for v in value]  # type: ignore[union-attr]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _corpus_objects() -> list[dict[str, Any]]:
    try:
        import yaml
    except ImportError:  # PyYAML is in the dev extra
        return []
    if not (CORPUS / "index.json").is_file():
        return []
    found: list[dict[str, Any]] = []
    for entry in json.loads((CORPUS / "index.json").read_text()):
        text = (CORPUS / entry["file"]).read_text(encoding="utf-8-sig")
        for doc in yaml.load_all(text, Loader=yaml.CSafeLoader):
            if not isinstance(doc, dict):
                continue
            items = doc.get("items") if str(doc.get("kind", "")).endswith("List") else None
            for obj in items if isinstance(items, list) else [doc]:
                if isinstance(obj, dict) and KINDS.get(obj.get("kind")) == obj.get("apiVersion"):
                    found.append(_plain(obj))  # type: ignore[arg-type]
    return found


CORPUS_SAMPLE = _corpus_objects()[::4]  # every 4th of ~1,100 objects keeps the run short


@pytest.mark.skipif(not CORPUS_SAMPLE, reason="the shared corpus is not beside this checkout")
@pytest.mark.parametrize(
    "obj", CORPUS_SAMPLE, ids=lambda o: f"{o['kind']}-{o.get('metadata', {}).get('name')}"
)
def test_fast_and_slow_steps_agree_on_the_corpus(obj: dict[str, Any]) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    name = f"{obj['kind'].lower()}-{obj['apiVersion'].replace('/', '-')}.json"
    schema = json.loads((SCHEMAS / "v1.37" / name).read_text())
    fast = jsonschema_rs.validator_for(schema, validate_formats=False)
    slow = Draft202012Validator(schema)
    broken = copy.deepcopy(obj)
    broken.setdefault("metadata", {})["labelz"] = {}
    for candidate in (obj, broken):
        assert fast.is_valid(candidate) == (next(slow.iter_errors(candidate), None) is None)
    assert not fast.is_valid(broken)
