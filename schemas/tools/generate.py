"""Generate netlint's bundled Kubernetes schemas from the ones kubernetes-validate ships.

Dev-time tool, never imported at runtime:

    pip install kubernetes-validate==1.37.0
    python schemas/tools/generate.py

kubernetes-validate carries strict draft 2020-12 schemas per Kubernetes version: one small file per
kind that `$ref`s a 1.8 MB `_definitions.json` under the remote `$id` https://kubernetes.io/api/.
For every supported version and every kind netlint checks, this script writes one self-contained
schema to `schemas/kubernetes/v1.NN/<kind>-<group>-<version>.json`: only the definitions reachable
from the kind, bundled under `$defs`, every `$ref` local, nothing fetched. On the way it fixes what
upstream gets wrong for a linter (see `schemas/README.md`):

- int-or-string is upstream a `oneOf` of two nullable types, so `null` matches both branches and
  fails; it becomes one `type` list.
- upstream has no enums; the ones the API server enforces are added, with `""` where the API
  server defaults an empty value and `null` where the field is optional.
- a required field cannot be null (Kubernetes reads null as "not set"); EndpointSlice
  `endpoints`, wrongly required before 1.36, is optional.
- descriptions and `$id`s are dropped (descriptions are most of the bytes; no message uses them).

Constraints that other netlint rules own (name/host/path formats, EndpointSlice limits,
type-dependent fields; DESIGN §4 "One problem, one finding") are deliberately NOT added.
Output is JSON with sorted keys, so re-running gives identical bytes.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from netlint.policy.crd.openapi import strict_schema
from netlint.policy.crd.structural import rule_schema

VERSIONS = ("1.32", "1.33", "1.34", "1.35", "1.36", "1.37")

# (kind, apiVersion, upstream file name). Upstream names groups by their first label only
# ("networking"), netlint's file names carry the full group of the apiVersion.
KINDS = (
    ("Service", "v1", "service-v1.json"),
    ("Endpoints", "v1", "endpoints-v1.json"),
    ("Ingress", "networking.k8s.io/v1", "ingress-networking-v1.json"),
    ("IngressClass", "networking.k8s.io/v1", "ingressclass-networking-v1.json"),
    ("EndpointSlice", "discovery.k8s.io/v1", "endpointslice-discovery-v1.json"),
    ("NetworkPolicy", "networking.k8s.io/v1", "networkpolicy-networking-v1.json"),
)

PROTOCOLS = ("SCTP", "TCP", "UDP")
CORE, NET, DISCOVERY = (
    "io.k8s.api.core.v1.",
    "io.k8s.api.networking.v1.",
    "io.k8s.api.discovery.v1.",
)

# Enums the API server enforces (reference/k8s-api-rules.md row ids), addressed by upstream
# definition name (or the kind itself for properties of the root) and the path inside it.
# `empty_ok` marks fields whose empty string the API defaults before validating (DESIGN §4
# "Defaulting first", SetDefaults_Service/_Endpoints): `type: ""` becomes ClusterIP and is never
# rejected. Pointer fields (internalTrafficPolicy, ipFamilyPolicy, EndpointSlice protocol,
# pathType, scope) are defaulted only when absent, so an empty string there is unsupported.
ENUMS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    # (definition, path, values, empty_ok)
    (
        CORE + "ServiceSpec",
        ("type",),
        ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"),
        True,
    ),  # SVC-02
    (CORE + "ServicePort", ("protocol",), PROTOCOLS, True),  # SVC-08
    (CORE + "ServiceSpec", ("sessionAffinity",), ("ClientIP", "None"), True),  # SVC-25
    # SVC-21: exactly Cluster and Local. "OnlyLocal"/"Global" were values of the pre-1.7 beta
    # annotation, never of this field; renaming the Go constants (...TypeLocal -> ...Local)
    # kept the values. So no legacy aliases.
    (CORE + "ServiceSpec", ("externalTrafficPolicy",), ("Cluster", "Local"), True),
    (CORE + "ServiceSpec", ("internalTrafficPolicy",), ("Cluster", "Local"), False),  # SVC-24
    (CORE + "ServiceSpec", ("ipFamilies", "items"), ("IPv4", "IPv6"), False),  # SVC-32
    (
        CORE + "ServiceSpec",
        ("ipFamilyPolicy",),
        ("PreferDualStack", "RequireDualStack", "SingleStack"),
        False,
    ),  # SVC-33
    ("EndpointSlice", ("addressType",), ("FQDN", "IPv4", "IPv6"), False),  # EPS-02
    (DISCOVERY + "EndpointPort", ("protocol",), PROTOCOLS, False),  # EPS-16
    (CORE + "EndpointPort", ("protocol",), PROTOCOLS, True),  # EP-05
    (NET + "HTTPIngressPath", ("pathType",), ("Exact", "ImplementationSpecific", "Prefix"), False),
    (NET + "IngressClassParametersReference", ("scope",), ("Cluster", "Namespace"), False),  # IC-04
    # NetworkPolicy: `protocol` is a pointer defaulted to TCP only when absent
    # (SetDefaults_NetworkPolicyPort), and `policyTypes` takes exactly these two values
    # (ValidateNetworkPolicySpec).
    (NET + "NetworkPolicyPort", ("protocol",), PROTOCOLS, False),
    (NET + "NetworkPolicySpec", ("policyTypes", "items"), ("Egress", "Ingress"), False),
)

# Fields upstream marks required that the API server does not require. EndpointSlice `endpoints`
# has no `omitempty` before 1.36, so the OpenAPI generator called it required; the API accepts a
# slice without endpoints (a Service with no ready pods), and 1.36 upstream dropped it.
NOT_REQUIRED = {"EndpointSlice": ("endpoints",)}

REF_PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")

Schema = dict[str, Any]


def upstream_dir() -> Path:
    root = resources.files("kubernetes_validate") / "kubernetes-json-schema"
    return Path(str(root))


def local_ref(ref: str) -> str:
    """Rewrite an upstream `$ref` to its definition name; anything else is a bug upstream."""
    for prefix in REF_PREFIXES:
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    raise SystemExit(f"unexpected $ref {ref!r}: only refs into _definitions.json are bundled")


def transform(node: Any, reached: list[str]) -> Any:
    """Copy `node` without descriptions, with local refs and merged int-or-string `oneOf`s."""
    if isinstance(node, list):
        return [transform(item, reached) for item in node]
    if not isinstance(node, dict):
        return node
    out: Schema = {}
    for key, value in node.items():
        if key in ("description", "$id"):
            continue
        if key == "$ref":
            name = local_ref(value)
            reached.append(name)
            out[key] = f"#/$defs/{name}"
        elif key == "properties":
            # Property names are data, not keywords: never drop a property called "description".
            out[key] = {name: transform(sub, reached) for name, sub in value.items()}
        else:
            out[key] = transform(value, reached)
    merged = merge_type_only_one_of(out)
    if merged is not None:
        return merged
    for name in out.get("required", ()):
        # The API reads `null` as absent, so a required field cannot be null. Upstream says so
        # everywhere except the root of EndpointSlice (`addressType: [string, null]`).
        prop = out.get("properties", {}).get(name, {})
        if isinstance(prop.get("type"), list) and "null" in prop["type"]:
            prop["type"] = [t for t in prop["type"] if t != "null"]
    return out


def merge_type_only_one_of(node: Schema) -> Schema | None:
    """`{"oneOf": [{"type": [A, "null"]}, {"type": [B, "null"]}]}` -> `{"type": [A, B, "null"]}`.

    Upstream's int-or-string form. `null` matches both branches, so `oneOf` fails and
    `targetPort: null` would be rejected. A type list accepts an integer, a string or null, and a
    wrong type gets one plain error instead of one per branch.
    """
    branches = node.get("oneOf")
    if not isinstance(branches, list) or set(node) != {"oneOf"}:
        return None
    types: set[str] = set()
    for branch in branches:
        if not isinstance(branch, dict) or set(branch) != {"type"}:
            return None
        kind = branch["type"]
        types.update([kind] if isinstance(kind, str) else kind)
    return {"type": sorted(types)}


def add_enum(target: Schema, values: tuple[str, ...], empty_ok: bool, where: str) -> None:
    if "enum" in target or "type" not in target:
        raise SystemExit(f"{where}: upstream changed shape ({target}); review the enum patch")
    types = target["type"]
    nullable = "null" in types if isinstance(types, list) else types == "null"
    enum: list[str | None] = sorted(values)
    if empty_ok:
        enum.append("")
    if nullable:
        enum.append(None)  # an optional field left null is simply absent
    target["enum"] = enum


def patch_enums(kind: str, root: Schema, defs: dict[str, Schema], applied: set[str]) -> None:
    for owner, path, values, empty_ok in ENUMS:
        if owner == kind:
            target: Any = root
        elif owner in defs:
            target = defs[owner]
        else:
            continue  # a definition this kind does not reach
        for step in ("properties", path[0], *path[1:]):
            if step not in target:
                raise SystemExit(f"{kind}: {owner} has no {'.'.join(path)} any more")
            target = target[step]
        add_enum(target, values, empty_ok, f"{kind} {owner}.{'.'.join(path)}")
        applied.add(f"{owner}.{'.'.join(path)}")


def check_strict(name: str, node: Any) -> None:
    """Every schema that declares properties must reject the ones it does not declare."""
    if isinstance(node, list):
        for item in node:
            check_strict(name, item)
    elif isinstance(node, dict):
        if "properties" in node and node.get("additionalProperties") is not False:
            raise SystemExit(f"{name}: an object schema accepts unknown fields: {sorted(node)}")
        for key, value in node.items():
            if key == "properties":
                for sub in value.values():
                    check_strict(name, sub)
            elif key not in ("enum", "required", "x-kubernetes-group-version-kind"):
                check_strict(name, value)


def bundle(
    kind: str, upstream: Path, definitions: dict[str, Schema], comment: str, applied: set[str]
) -> Schema:
    raw: Schema = json.loads(upstream.read_text())
    if "required" in raw:
        dropped = NOT_REQUIRED.get(kind, ())
        raw["required"] = [name for name in raw["required"] if name not in dropped]
    reached: list[str] = []
    root: Schema = transform(raw, reached)
    defs: dict[str, Schema] = {}
    while reached:  # breadth of the $ref graph; each definition transformed once
        name = reached.pop()
        if name not in defs:
            defs[name] = transform(definitions[name], reached)
    patch_enums(kind, root, defs, applied)
    remaining = json.dumps([root, defs])
    if '"oneOf"' in remaining or '"anyOf"' in remaining:
        raise SystemExit(f"{kind}: a combinator survived; teach merge_type_only_one_of about it")
    root["$defs"] = defs
    root["$comment"] = comment
    check_strict(kind, root)
    Draft202012Validator.check_schema(root)
    return root


# --- Gateway API (standard channel) -----------------------------------------------------------
#
# The CRDs of the Gateway API standard channel, copied unchanged from kubernetes-sigs/gateway-api
# (tools/gateway-api-crds/, Apache-2.0). Their `openAPIV3Schema` IS what the API server enforces
# for these kinds (patterns, enums, min/max, maxItems included), so it is kept; only OpenAPI v3
# spellings become draft 2020-12 and the object is made strict. Gateway API schemas do not depend
# on the Kubernetes version: they go to `kubernetes/gateway-api/<bundle>/`.

GATEWAY_API_BUNDLE = "v1.6.1"
GATEWAY_API_GROUP = "gateway.networking.k8s.io"
GATEWAY_API_CRDS = Path(__file__).resolve().parent / "gateway-api-crds"
GATEWAY_API_KINDS = (
    "GatewayClass",
    "Gateway",
    "HTTPRoute",
    "GRPCRoute",
    "TLSRoute",
    "TCPRoute",
    "UDPRoute",
    "ListenerSet",
    "ReferenceGrant",
    "BackendTLSPolicy",
)
# `oneOf`s that only assert `format` (ipv4/ipv6 of an IPAddress-typed address). Formats are
# annotations for both validators, and the branches rely on `type` being defaulted first (absent,
# both branches match and `oneOf` fails), so they can only ever produce false errors.
GATEWAY_API_DROPPED = {
    ("Gateway", "spec.addresses[]"),
    ("Gateway", "status.addresses[]"),
}
# Experimental-channel additions to standard kinds that examples use (the same apiVersion serves
# both channels; which CRDs a cluster has is not in the manifest). They are accepted, not
# validated: kind -> (filter type, its field). GEP-1494 HTTPRoute ExternalAuth filter.
GATEWAY_API_EXPERIMENTAL_FILTERS = {"HTTPRoute": (("ExternalAuth", "externalAuth"),)}


def _gateway_combinators(kind: str) -> Callable[[str, str, Any], Any]:
    """The combinators of a Gateway API CRD: the known format-only ones are dropped, any other
    stops the generator (review it before shipping)."""

    def policy(where: str, keyword: str, value: Any) -> Any:
        if (kind, where) in GATEWAY_API_DROPPED:
            return None
        raise SystemExit(f"{kind} {where}: a `{keyword}` the generator does not know; review it")

    return policy


def load_crds() -> dict[str, Schema]:
    """kind -> the CustomResourceDefinition, read with ruamel.yaml (a runtime dependency)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    crds: dict[str, Schema] = {}
    for path in sorted(GATEWAY_API_CRDS.glob("*.yaml")):
        for doc in yaml.load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                crds[doc["spec"]["names"]["kind"]] = doc
    missing = set(GATEWAY_API_KINDS) - set(crds)
    if missing:
        raise SystemExit(f"{GATEWAY_API_CRDS}: no CRD for {sorted(missing)}")
    return crds


def add_experimental_filters(kind: str, node: Any) -> int:
    """Accept the experimental filter types of GATEWAY_API_EXPERIMENTAL_FILTERS wherever a
    filter schema (one with `type` and `requestMirror`) is; returns how many were patched."""
    patched = 0
    if isinstance(node, list):
        return sum(add_experimental_filters(kind, item) for item in node)
    if not isinstance(node, dict):
        return 0
    props = node.get("properties")
    if isinstance(props, dict) and "requestMirror" in props and "enum" in props.get("type", {}):
        for filter_type, field in GATEWAY_API_EXPERIMENTAL_FILTERS.get(kind, ()):
            props["type"]["enum"] = sorted(set(props["type"]["enum"]) | {filter_type})
            props[field] = {"type": ["object", "null"]}
            patched += 1
    for value in node.values():
        patched += add_experimental_filters(kind, value)
    return patched


def gateway_api_schema(kind: str, api_version: str, openapi: Schema, comment: str) -> Schema:
    """The strict schema (`netlint.policy.crd.openapi`, shared with `--crd`), checked."""
    root = strict_schema(openapi, api_version, kind, comment, _gateway_combinators(kind))
    if kind in GATEWAY_API_EXPERIMENTAL_FILTERS and not add_experimental_filters(kind, root):
        raise SystemExit(f"{kind}: no filter schema found for the experimental filter types")
    properties = root["properties"]
    strict_part = {**root, "properties": {k: v for k, v in properties.items() if k != "metadata"}}
    check_strict(kind, strict_part)
    remaining = json.dumps(root)
    if '"oneOf"' in remaining or '"anyOf"' in remaining:
        raise SystemExit(f"{kind}: a combinator survived the CRD conversion")
    Draft202012Validator.check_schema(root)
    return root


def write_gateway_api(staging: Path) -> None:
    """`kubernetes/gateway-api/<bundle>/<kind>-gateway.networking.k8s.io-<version>.json` for each
    standard-channel kind and each version the CRD serves (v1alpha2 L4 routes are not served in
    v1.6: no file, so `schema` never judges them; that is deprecated-api territory)."""
    out_dir = staging / "gateway-api" / GATEWAY_API_BUNDLE
    out_dir.mkdir(parents=True)
    crds = load_crds()
    for kind in GATEWAY_API_KINDS:
        crd = crds[kind]
        source = f"gateway-api-crds/{GATEWAY_API_GROUP}_{crd['spec']['names']['plural']}.yaml"
        for version in crd["spec"]["versions"]:
            if not version.get("served"):
                continue
            api_version = f"{GATEWAY_API_GROUP}/{version['name']}"
            comment = (
                f"Generated by schemas/tools/generate.py from the Gateway API "
                f"{GATEWAY_API_BUNDLE} standard-channel CRD ({source}, {version['name']}); do not edit."
            )
            schema = gateway_api_schema(
                kind, api_version, version["schema"]["openAPIV3Schema"], comment
            )
            stem = f"{kind.lower()}-{api_version.replace('/', '-')}"
            target = out_dir / f"{stem}.json"
            target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
            print(f"kubernetes/gateway-api/{GATEWAY_API_BUNDLE}/{target.name}")
            # Defaults and CEL rules, evaluated by netlint.policy.crd.rules after the schema.
            rules = rule_schema(version["schema"]["openAPIV3Schema"])
            if rules is not None:
                rules["$comment"] = comment
                rules_file = out_dir / f"{stem}.rules.json"
                rules_file.write_text(json.dumps(rules, indent=1, sort_keys=True) + "\n")
                print(f"kubernetes/gateway-api/{GATEWAY_API_BUNDLE}/{rules_file.name}")


def main() -> None:
    source = upstream_dir()
    package = metadata.version("kubernetes-validate")
    out_root = Path(__file__).resolve().parent.parent / "kubernetes"
    # Built beside the old tree and swapped in at the end: a failed run leaves the old files,
    # a good one leaves nothing stale from a dropped kind or version.
    staging = out_root.with_name("kubernetes.new")
    shutil.rmtree(staging, ignore_errors=True)
    for version in VERSIONS:
        upstream = source / f"v{version}.0-local-strict"
        definitions = json.loads((upstream / "_definitions.json").read_text())["$defs"]
        out_dir = staging / f"v{version}"
        out_dir.mkdir(parents=True)
        applied: set[str] = set()
        for kind, api_version, file_name in KINDS:
            comment = (
                f"Generated by schemas/tools/generate.py from kubernetes-validate {package} "
                f"(v{version}.0-local-strict/{file_name}); do not edit."
            )
            schema = bundle(kind, upstream / file_name, definitions, comment, applied)
            target = out_dir / f"{kind.lower()}-{api_version.replace('/', '-')}.json"
            target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
            print(
                f"{out_root.name}/{out_dir.name}/{target.name}: {len(schema['$defs'])} definitions"
            )
        missing = {f"{owner}.{'.'.join(path)}" for owner, path, _, _ in ENUMS} - applied
        if missing:  # a definition renamed upstream must not silently lose its enum
            raise SystemExit(f"v{version}: enum patches matched nothing: {sorted(missing)}")
    write_gateway_api(staging)
    shutil.rmtree(out_root, ignore_errors=True)
    staging.rename(out_root)


if __name__ == "__main__":
    main()
