"""endpointslice-format, with endpointslice-address and endpointslice-limits (DESIGN §4 "The API
server's validation, whole"): `ValidateEndpointSliceCreate`, with every case of the upstream
`TestValidateEndpointSlice` and `TestValidateEndpointSliceCreate` (pkg/apis/discovery/validation)
restated as a discovery.k8s.io/v1 manifest.

Left out or changed, with the reason:
- "max-topology-keys", "bad-topology-key", "too-many-topology-keys", "zone-key-topology": the v1
  API ignores `deprecatedTopology` on write, so these slices are accepted through v1 (restated as
  valid cases); upstream's topology checks concern the removed v1beta1 API.
- "empty-everything": a manifest without name is `manifest-shape`'s, and the namespace comes from
  the request; what is left, the missing `addressType`, is `schema`'s.
- `TestValidateEndpointSliceUpdate`: update-only.
The `addressType` and `protocol` values are enums of the strict schema (`schema`)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "endpointslice-format"
ADDRESS = "endpointslice-address"
LIMITS = "endpointslice-limits"
SLICE = "TestValidateEndpointSlice"
CREATE = "TestValidateEndpointSliceCreate"
SELECT = [RULE, ADDRESS, LIMITS, "schema", "name-format", "metadata-format", "manifest-shape"]
HTTP_PORT = "ports: [{name: http, protocol: TCP}]\n"


def _slice(
    body: str, *, address_type: str = "IPv4", ports: str = HTTP_PORT, name: str = "hello"
) -> str:
    """The upstream `standardMeta` (hello in world) with `addressType`, `ports` and `body`."""
    return (
        "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
        f"metadata: {{name: '{name}', namespace: world}}\naddressType: {address_type}\n"
        + ports
        + body
    )


def _endpoint(addresses: str = "[10.1.2.0]", extra: str = "") -> str:
    return f"endpoints: [{{addresses: {addresses}{extra}}}]\n"


def _ports(count: int) -> str:
    """The upstream `generatePorts`."""
    return (
        "ports: [" + ", ".join(f"{{name: http-{i}, protocol: TCP}}" for i in range(count)) + "]\n"
    )


def _endpoints(count: int) -> str:
    """The upstream `generateEndpoints`."""
    return (
        "endpoints: ["
        + ", ".join(f"{{addresses: [10.1.2.{i % 255}]}}" for i in range(count))
        + "]\n"
    )


def _addresses(count: int) -> str:
    """The upstream `generateIPAddresses`."""
    return "[" + ", ".join(f"10.1.2.{i % 255}" for i in range(count)) + "]"


def _zones(*names: str) -> str:
    return ", hints: {forZones: [" + ", ".join(f"{{name: '{n}'}}" for n in names) + "]}"


def _topology(count: int) -> str:
    return (
        ", deprecatedTopology: {" + ", ".join(f"topology-{i}: example" for i in range(count)) + "}"
    )


VALID = {
    (SLICE, "good-slice"): _slice(_endpoint(extra=", hostname: valid-123")),
    (SLICE, "good-ipv6"): _slice(
        _endpoint("['a00:100::4']", ", hostname: valid-123"), address_type="IPv6"
    ),
    (SLICE, "good-fqdns"): _slice(
        _endpoint(
            "[foo.example.com, example.com, example.com., hyphens-are-good.example.com]",
            ", hostname: valid-123",
        ),
        address_type="FQDN",
    ),
    (SLICE, "all-protocols"): _slice(
        _endpoint(extra=", hostname: valid-123"),
        ports="ports: [{name: tcp, protocol: TCP}, {name: udp, protocol: UDP}, {name: sctp, protocol: SCTP}]\n",
    ),
    (SLICE, "app-protocols"): _slice(
        _endpoint(extra=", hostname: valid-123"),
        ports="ports: [{name: one, protocol: TCP, appProtocol: HTTP}, {name: two, protocol: TCP, appProtocol: https}, {name: three, protocol: TCP, appProtocol: my-protocol}, {name: four, protocol: TCP, appProtocol: example.com/custom-protocol}]\n",
    ),
    (SLICE, "empty-port-name"): _slice(
        _endpoint(), ports="ports: [{name: '', protocol: TCP}, {name: http, protocol: TCP}]\n"
    ),
    (SLICE, "long-port-name"): _slice(
        _endpoint(), ports=f"ports: [{{name: {'a' * 63}, protocol: TCP}}]\n"
    ),
    (SLICE, "empty-ports-and-endpoints"): _slice("endpoints: []\n", ports="ports: []\n"),
    (SLICE, "max-endpoints"): _slice(_endpoints(1000), ports=_ports(1)),
    (SLICE, "max-ports"): _slice("", ports=_ports(20000)),
    (SLICE, "max-addresses"): _slice(_endpoint(_addresses(100))),
    (SLICE, "max-topology-keys"): _slice(_endpoint(extra=_topology(16))),
    (SLICE, "valid-hints"): _slice(_endpoint(extra=_zones("zone-a"))),
    (SLICE, "bad-topology-key (ignored by v1)"): _slice(
        _endpoint(extra=", deprecatedTopology: {'--INVALID': example}")
    ),
    (SLICE, "too-many-topology-keys (ignored by v1)"): _slice(_endpoint(extra=_topology(17))),
    (SLICE, "zone-key-topology (ignored by v1)"): _slice(
        _endpoint(extra=", deprecatedTopology: {topology.kubernetes.io/zone: zone1}")
    ),
    (CREATE, "good-slice"): _slice(_endpoint(extra=", hostname: valid-123")),
    (CREATE, "good-slice-node-name"): _slice(
        _endpoint(extra=", hostname: valid-123, nodeName: valid-node-name")
    ),
}

INVALID: dict[tuple[str, str], Refused] = {
    (SLICE, "duplicate-port-name"): (
        _slice(
            "endpoints: []\n",
            ports="ports: [{name: '', protocol: TCP}, {name: '', protocol: TCP}]\n",
        ),
        [(5, 43)],
        'EndpointSlice world/hello is invalid: ports[1].name: Duplicate value: ""',
    ),
    (SLICE, 'duplicate-port-name (both names left out, defaulted to "")'): (
        _slice("endpoints: []\n", ports="ports: [{protocol: TCP}, {protocol: TCP}]\n"),
        [(5, 26)],
        'EndpointSlice world/hello is invalid: ports[1].name: Duplicate value: ""',
    ),
    (SLICE, "bad-port-name-caps"): (
        _slice("endpoints: []\n", ports="ports: [{name: aCapital, protocol: TCP}]\n"),
        [(5, 16)],
        'EndpointSlice world/hello is invalid: ports[0].name: Invalid value: "aCapital": a lowercase RFC 1123 label',
    ),
    (SLICE, "bad-port-name-chars"): (
        _slice("endpoints: []\n", ports="ports: [{name: almost_valid, protocol: TCP}]\n"),
        [(5, 16)],
        'EndpointSlice world/hello is invalid: ports[0].name: Invalid value: "almost_valid": a lowercase RFC 1123 label',
    ),
    (SLICE, "bad-port-name-length"): (
        _slice("endpoints: []\n", ports=f"ports: [{{name: {'a' * 64}, protocol: TCP}}]\n"),
        [(5, 16)],
        f'EndpointSlice world/hello is invalid: ports[0].name: Invalid value: "{"a" * 64}": must be no more than 63 characters',
    ),
    (SLICE, "invalid-port-protocol"): (
        _slice("", ports="ports: [{name: http, protocol: foo}]\n"),
        [("schema", 5, 32)],
        'ports[0].protocol: Unsupported value: "foo"',
    ),
    (SLICE, "too-many-ports"): (
        _slice("", ports=_ports(20001)),
        [(LIMITS, 5, 1)],
        "EndpointSlice world/hello is invalid: ports: Too many: 20001: must have at most 20000 items",
    ),
    (SLICE, "too-many-endpoints"): (
        _slice(_endpoints(1001), ports=_ports(1)),
        [(LIMITS, 6, 1)],
        "EndpointSlice world/hello is invalid: endpoints: Too many: 1001: must have at most 1000 items",
    ),
    (SLICE, "no-endpoint-addresses"): (
        _slice(_endpoint("[]")),
        [(LIMITS, 6, 14)],
        "EndpointSlice world/hello is invalid: endpoints[0].addresses: Required value: must contain at least 1 address",
    ),
    (SLICE, "too-many-addresses"): (
        _slice(_endpoint(_addresses(101))),
        [(LIMITS, 6, 14)],
        "EndpointSlice world/hello is invalid: endpoints[0].addresses: Too many: 101: must have at most 100 items",
    ),
    (SLICE, "bad-hostname"): (
        _slice(_endpoint(extra=", hostname: --INVALID")),
        [(6, 47)],
        'EndpointSlice world/hello is invalid: endpoints[0].hostname: Invalid value: "--INVALID": a lowercase RFC 1123 label',
    ),
    (SLICE, "bad-meta"): (
        _slice(_endpoint(extra=", hostname: valid-123"), name="*&^"),
        [("name-format", 3, 18)],
        'EndpointSlice world/*&^ is invalid: metadata.name: Invalid value: "*&^"',
    ),
    (SLICE, "bad-ip"): (
        _slice(_endpoint("[123.456.789.012]", ", hostname: valid-123")),
        [(ADDRESS, 6, 26)],
        'EndpointSlice world/hello is invalid: endpoints[0].addresses[0]: Invalid value: "123.456.789.012": must be a valid IPv4 address',
    ),
    (SLICE, "bad-ipv4"): (
        _slice(_endpoint("[123.456.789.012, '2001:4860:4860::8888']", ", hostname: valid-123")),
        [(ADDRESS, 6, 26), (ADDRESS, 6, 43)],
        'EndpointSlice world/hello is invalid: endpoints[0].addresses[0]: Invalid value: "123.456.789.012": must be a valid IPv4 address',
    ),
    (SLICE, "bad-ipv6"): (
        _slice(
            _endpoint("[123.456.789.012, '2001:4860:4860:defg']", ", hostname: valid-123"),
            address_type="IPv6",
        ),
        [(ADDRESS, 6, 26), (ADDRESS, 6, 43)],
        'EndpointSlice world/hello is invalid: endpoints[0].addresses[0]: Invalid value: "123.456.789.012": must be a valid IPv6 address',
    ),
    (SLICE, "bad-fqdns"): (
        _slice(
            _endpoint(
                "['foo.*', FOO.example.com, underscores_are_bad.example.com, '*.example.com']",
                ", hostname: valid-123",
            ),
            address_type="FQDN",
        ),
        [(ADDRESS, 6, 26), (ADDRESS, 6, 35), (ADDRESS, 6, 52), (ADDRESS, 6, 85)],
        'EndpointSlice world/hello is invalid: endpoints[0].addresses[0]: Invalid value: "foo.*": a lowercase RFC 1123 subdomain',
    ),
    (SLICE, "bad-app-protocol"): (
        _slice(
            _endpoint(extra=", hostname: valid-123"),
            ports="ports: [{name: http, protocol: TCP, appProtocol: '--'}]\n",
        ),
        [(5, 50)],
        'EndpointSlice world/hello is invalid: ports[0].appProtocol: Invalid value: "--": name part must consist of alphanumeric characters',
    ),
    (SLICE, "invalid-hints"): (
        _slice(_endpoint(extra=_zones("inv@lid"))),
        [(6, 63)],
        'EndpointSlice world/hello is invalid: endpoints[0].hints.forZones[0].name: Invalid value: "inv@lid": a valid label must be an empty string',
    ),
    (SLICE, "overlapping-hints"): (
        _slice(_endpoint(extra=_zones("zone-a", "zone-b", "zone-a"))),
        [(6, 99)],
        'EndpointSlice world/hello is invalid: endpoints[0].hints.forZones[2].name: Duplicate value: "zone-a"',
    ),
    (SLICE, "too-many-hints"): (
        _slice(_endpoint(extra=_zones(*(f"zone-{c}" for c in "abcdefghi")))),
        [(LIMITS, 6, 45)],
        "EndpointSlice world/hello is invalid: endpoints[0].hints.forZones: Too many: 9: must have at most 8 items",
    ),
    (SLICE, "special-ipv4"): (
        _slice(_endpoint("[127.0.0.1]", ", hostname: valid-123")),
        [(ADDRESS, 6, 26)],
        'EndpointSlice world/hello is invalid: endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ),
    (SLICE, "special-ipv6"): (
        _slice(
            _endpoint("['fe80::9656:d028:8652:66b6']", ", hostname: valid-123"),
            address_type="IPv6",
        ),
        [(ADDRESS, 6, 26)],
        'EndpointSlice world/hello is invalid: endpoints[0].addresses[0]: Invalid value: "fe80::9656:d028:8652:66b6": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ),
    (CREATE, "bad-node-name"): (
        _slice(_endpoint(extra=", hostname: valid-123, nodeName: INvalid-node-name")),
        [(6, 68)],
        'EndpointSlice world/hello is invalid: endpoints[0].nodeName: Invalid value: "INvalid-node-name": a lowercase RFC 1123 subdomain',
    ),
    (CREATE, "deprecated-address-type"): (
        _slice(_endpoint(), address_type="IP"),
        [("schema", 4, 14)],
        'addressType: Unsupported value: "IP"',
    ),
    (CREATE, "bad-address-type"): (
        _slice(_endpoint(), address_type="other"),
        [("schema", 4, 14)],
        'addressType: Unsupported value: "other"',
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID, select=SELECT
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 12, 3, "error"),
        (RULE, 13, 9, "error"),
        (RULE, 15, 16, "error"),
        (RULE, 18, 13, "error"),
        (RULE, 19, 13, "error"),
        (RULE, 21, 39, "error"),
    ]
    assert [f.message for f in findings] == [
        'EndpointSlice shop/db-1 is invalid: ports[1].name: Duplicate value: ""',
        'EndpointSlice shop/db-1 is invalid: ports[2].name: Invalid value: "Metrics_Port": a '
        "lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')",
        'EndpointSlice shop/db-1 is invalid: ports[2].appProtocol: Invalid value: "--": name '
        "part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
        "with an alphanumeric character",
        'EndpointSlice shop/db-1 is invalid: endpoints[0].hostname: Invalid value: "DB-1": a '
        "lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')",
        'EndpointSlice shop/db-1 is invalid: endpoints[0].nodeName: Invalid value: "Node_A": a '
        "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
        "EndpointSlice shop/db-1 is invalid: endpoints[0].hints.forZones[1].name: Duplicate "
        'value: "zone-a"',
    ]
    assert findings[0].hint == (
        "name the ports: a slice has at most one unnamed port, and each name matches a port "
        "name of the Service"
    )


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_other_groups_are_not_judged() -> None:
    text = """
    apiVersion: example.com/v1
    kind: EndpointSlice
    metadata: {name: x, namespace: shop}
    addressType: IPv4
    ports: [{port: 1}, {port: 2}]
    """
    assert lint_text(text, select=[RULE, ADDRESS, LIMITS]) == []


def test_no_message_prints_a_python_none() -> None:
    texts = [*VALID.values(), *(case[0] for case in INVALID.values())]
    for text in texts:
        assert [f.message for f in lint_text(text, select=SELECT) if "None" in f.message] == []


def test_the_unserved_v1beta1_is_deprecated_apis_alone() -> None:
    text = """
    apiVersion: discovery.k8s.io/v1beta1
    kind: EndpointSlice
    metadata: {name: x, namespace: shop}
    addressType: IPv4
    ports: [{port: 1}, {port: 2}]
    endpoints: [{addresses: [127.0.0.1]}]
    """
    assert lint_text(text, select=[RULE, ADDRESS, LIMITS]) == []
