"""endpoints-format (DESIGN §4 "The API server's validation, whole"): `ValidateEndpointsCreate`,
with every case of the upstream `TestValidateEndpointsCreate` and the `nodeName` tests of
pkg/apis/core/validation restated as manifests.

Left out, with the reason:
- "missing namespace": the namespace of a namespaced object comes from the request
  (`kubectl apply -n`, the context's namespace), not from the manifest.
- "Port missing protocol": the v1 defaulting (`SetDefaults_Endpoints`) makes it TCP, so the API
  server accepts the object; restated below as a valid case.
- `TestValidateEndpointsUpdate`, `TestEndpointAddressNodeNameUpdateRestrictions`: update-only.
Names, namespaces and the `protocol` enum, `ip` and `port` as required fields are the rules that
own them (`name-format`, `metadata-format`, `schema`), which these cases select too."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "endpoints-format"
CREATE = "TestValidateEndpointsCreate"
SELECT = [RULE, "schema", "name-format", "metadata-format", "manifest-shape"]


def _endpoints(*subsets: str, meta: str = "{name: mysvc, namespace: namespace}") -> str:
    return f"apiVersion: v1\nkind: Endpoints\nmetadata: {meta}\n" + (
        "subsets:\n" + "".join(subsets) if subsets else ""
    )


def _node_name(node_name: str) -> str:
    """The upstream `newNodeNameEndpoint`: one address with a hostname and a nodeName."""
    return (
        "apiVersion: v1\nkind: Endpoints\nmetadata: {name: foo, namespace: default}\nsubsets:\n"
        "- notReadyAddresses: []\n  ports: [{name: https, port: 443, protocol: TCP}]\n"
        f"  addresses: [{{ip: 8.8.8.8, hostname: zookeeper1, nodeName: '{node_name}'}}]\n"
    )


VALID = {
    (CREATE, "simple endpoint"): _endpoints(
        "- addresses: [{ip: 10.10.1.1}, {ip: 10.10.2.2}]\n"
        "  ports: [{name: a, port: 8675, protocol: TCP}, {name: b, port: 309, protocol: TCP}]\n",
        "- addresses: [{ip: 10.10.3.3}]\n"
        "  ports: [{name: a, port: 93, protocol: TCP}, {name: b, port: 76, protocol: TCP}]\n",
    ),
    (CREATE, "empty subsets"): _endpoints(),
    (CREATE, "no name required for singleton port"): _endpoints(
        "- addresses: [{ip: 10.10.1.1}]\n  ports: [{port: 8675, protocol: TCP}]\n"
    ),
    (CREATE, "valid appProtocol"): _endpoints(
        "- addresses: [{ip: 10.10.1.1}]\n  ports: [{port: 8675, protocol: TCP, appProtocol: HTTP}]\n"
    ),
    (CREATE, "empty ports"): _endpoints("- addresses: [{ip: 10.10.3.3}]\n"),
    (CREATE, "Port missing protocol (defaulted to TCP in v1)"): _endpoints(
        "- addresses: [{ip: 10.10.1.1}]\n  ports: [{name: a, port: 93}]\n"
    ),
    ("TestEndpointAddressNodeNameCanBeAnIPAddress", "nodeName 10.10.1.1"): _node_name("10.10.1.1"),
    ("TestEndpointAddressNodeNameUpdateRestrictions", "the new object"): _node_name(
        "kubernetes-changed-nodename"
    ),
}

INVALID: dict[tuple[str, str], Refused] = {
    (CREATE, "missing name"): (
        _endpoints(meta="{namespace: namespace}"),
        [("manifest-shape", 1, 1)],
        "object has no metadata.name (or generateName)",
    ),
    (CREATE, "invalid namespace"): (
        _endpoints(meta="{name: mysvc, namespace: 'no@#invalid.;chars\"allowed'}"),
        [("metadata-format", 3, 36)],
        'Endpoints no@#invalid.;chars"allowed/mysvc is invalid: metadata.namespace: Invalid value',
    ),
    (CREATE, "invalid name"): (
        _endpoints(meta="{name: '-_Invliad^&Characters', namespace: namespace}"),
        [("name-format", 3, 18)],
        'Endpoints namespace/-_Invliad^&Characters is invalid: metadata.name: Invalid value: "-_Invliad^&Characters"',
    ),
    (CREATE, "empty addresses"): (
        _endpoints("- ports: [{name: a, port: 93, protocol: TCP}]\n"),
        [(5, 3)],
        "Endpoints namespace/mysvc is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
    ),
    (CREATE, "invalid IP"): (
        _endpoints(
            "- addresses: [{ip: '[2001:0db8:85a3:0042:1000:8a2e:0370:7334]'}]\n"
            "  ports: [{name: a, port: 93, protocol: TCP}]\n"
        ),
        [(5, 20)],
        'Endpoints namespace/mysvc is invalid: subsets[0].addresses[0].ip: Invalid value: "[2001:0db8:85a3:0042:1000:8a2e:0370:7334]": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "Multiple ports, one without name"): (
        _endpoints(
            "- addresses: [{ip: 10.10.1.1}]\n"
            "  ports: [{port: 8675, protocol: TCP}, {name: b, port: 309, protocol: TCP}]\n"
        ),
        [(6, 11)],
        "Endpoints namespace/mysvc is invalid: subsets[0].ports[0].name: Required value",
    ),
    (CREATE, "Invalid port number"): (
        _endpoints(
            "- addresses: [{ip: 10.10.1.1}]\n  ports: [{name: a, port: 66000, protocol: TCP}]\n"
        ),
        [(6, 27)],
        "Endpoints namespace/mysvc is invalid: subsets[0].ports[0].port: Invalid value: 66000: must be between 1 and 65535, inclusive",
    ),
    (CREATE, "Invalid protocol"): (
        _endpoints(
            "- addresses: [{ip: 10.10.1.1}]\n  ports: [{name: a, port: 93, protocol: Protocol}]\n"
        ),
        [("schema", 6, 41)],
        'subsets[0].ports[0].protocol: Unsupported value: "Protocol"',
    ),
    (CREATE, "Address missing IP"): (
        _endpoints("- addresses: [{}]\n  ports: [{name: a, port: 93, protocol: TCP}]\n"),
        [("schema", 5, 15)],
        "subsets[0].addresses[0].ip: Required value",
    ),
    (CREATE, "Port missing number"): (
        _endpoints("- addresses: [{ip: 10.10.1.1}]\n  ports: [{name: a, protocol: TCP}]\n"),
        [("schema", 6, 11)],
        "subsets[0].ports[0].port: Required value",
    ),
    (CREATE, "Address is loopback"): (
        _endpoints(
            "- addresses: [{ip: 127.0.0.1}]\n  ports: [{name: p, port: 93, protocol: TCP}]\n"
        ),
        [(5, 20)],
        'Endpoints namespace/mysvc is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ),
    (CREATE, "Address is link-local"): (
        _endpoints(
            "- addresses: [{ip: 169.254.169.254}]\n  ports: [{name: p, port: 93, protocol: TCP}]\n"
        ),
        [(5, 20)],
        'Endpoints namespace/mysvc is invalid: subsets[0].addresses[0].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ),
    (CREATE, "Address is link-local multicast"): (
        _endpoints(
            "- addresses: [{ip: 224.0.0.1}]\n  ports: [{name: p, port: 93, protocol: TCP}]\n"
        ),
        [(5, 20)],
        'Endpoints namespace/mysvc is invalid: subsets[0].addresses[0].ip: Invalid value: "224.0.0.1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ),
    (CREATE, "Invalid AppProtocol"): (
        _endpoints(
            "- addresses: [{ip: 10.10.1.1}]\n"
            "  ports: [{name: p, port: 93, protocol: TCP, appProtocol: 'lots-of[invalid]-{chars}'}]\n"
        ),
        [(6, 59)],
        'Endpoints namespace/mysvc is invalid: subsets[0].ports[0].appProtocol: Invalid value: "lots-of[invalid]-{chars}": name part must consist of alphanumeric characters',
    ),
    ("TestEndpointAddressNodeNameInvalidDNSSubdomain", "nodeName illegal*.nodename"): (
        _node_name("illegal*.nodename"),
        [(7, 61)],
        'Endpoints default/foo is invalid: subsets[0].addresses[0].nodeName: Invalid value: "illegal*.nodename": a lowercase RFC 1123 subdomain',
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID, select=SELECT
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 9, 9, "error"),
        (RULE, 11, 15, "error"),
        (RULE, 13, 5, "error"),
        (RULE, 15, 11, "error"),
        (RULE, 16, 3, "error"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            'Endpoints shop/db is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": '
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
            "an endpoint is a pod or a host reachable from other nodes: use its routable IP",
        ),
        (
            'Endpoints shop/db is invalid: subsets[0].addresses[1].hostname: Invalid value: "DB_1": '
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            "'123-abc')",
            "a hostname is a DNS label: lowercase letters, digits and '-', at most 63",
        ),
        (
            "Endpoints shop/db is invalid: subsets[0].ports[0].name: Required value",
            "name every port of a subset that has more than one, as the Service names them",
        ),
        (
            "Endpoints shop/db is invalid: subsets[0].ports[1].port: Invalid value: 70000: must "
            "be between 1 and 65535, inclusive",
            "use a port number from 1 to 65535",
        ),
        (
            "Endpoints shop/db is invalid: subsets[1]: Required value: must specify `addresses` "
            "or `notReadyAddresses`",
            "give the subset its addresses (or notReadyAddresses), or remove the subset",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_a_bad_ip_is_reported_once() -> None:
    # The API server answers it twice (IsValidIP, then ValidateNonSpecialIP): one finding.
    text = _endpoints("- addresses: [{ip: 10.0.0.256}]\n")
    findings = lint_text(text, select=[RULE])
    assert brief(findings) == [(RULE, 5, 20, "error")]
    assert (
        findings[0].hint == "write a bare IP address, such as 10.0.3.17 (no brackets, port or name)"
    )


def test_other_groups_are_not_judged() -> None:
    text = """
    apiVersion: example.com/v1
    kind: Endpoints
    metadata: {name: x, namespace: shop}
    subsets: [{ports: [{port: 0}]}]
    """
    assert lint_text(text, select=[RULE]) == []


def test_no_message_prints_a_python_none() -> None:
    texts = [*VALID.values(), *(case[0] for case in INVALID.values())]
    for text in texts:
        assert [f.message for f in lint_text(text, select=SELECT) if "None" in f.message] == []
