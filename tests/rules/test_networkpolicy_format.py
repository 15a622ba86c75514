"""networkpolicy-format (DESIGN §4 "The API server's validation, whole"): `ValidateNetworkPolicy`,
with every case of the upstream `TestValidateNetworkPolicy` (pkg/apis/networking/validation)
restated as a manifest: 17 accepted, 29 refused. Protocols and `policyTypes` values are enums of the
strict schema, so those cases expect `schema`'s finding."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "networkpolicy-format"
UPSTREAM = "TestValidateNetworkPolicy"
_BAD_SELECTOR = "{matchLabels: {NoUppercaseOrSpecialCharsLike=Equals: b}}"


def _policy(*spec: str, selector: str = "{matchLabels: {a: b}}") -> str:
    """The upstream `makeValidNetworkPolicy` (foo in bar, selecting a=b) with `spec` lines added."""
    return (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        f"metadata: {{name: foo, namespace: bar}}\nspec:\n  podSelector: {selector}\n"
        + "".join(spec)
    )


VALID = {
    (UPSTREAM, "empty ingress rule"): _policy("  ingress: [{}]\n"),
    (UPSTREAM, "empty peer list and an empty port"): _policy(
        "  ingress: [{from: [], ports: [{}]}]\n"
    ),
    (UPSTREAM, "ingress ports"): _policy(
        "  ingress: [{ports: [{port: 80}, {protocol: TCP}, {protocol: TCP, port: 443}, {protocol: UDP, port: dns}, {protocol: SCTP, port: 7777}]}]\n"
    ),
    (UPSTREAM, "ingress from podSelector"): _policy(
        "  ingress: [{from: [{podSelector: {matchLabels: {c: d}}}]}]\n"
    ),
    (UPSTREAM, "ingress from namespaceSelector"): _policy(
        "  ingress: [{from: [{namespaceSelector: {matchLabels: {c: d}}}]}]\n"
    ),
    (UPSTREAM, "ingress from podSelector and namespaceSelector"): _policy(
        "  ingress: [{from: [{podSelector: {matchLabels: {e: f}}, namespaceSelector: {matchLabels: {c: d}}}]}]\n"
    ),
    (UPSTREAM, "egress to namespaceSelector, ingress from ipBlock (IPv4)"): _policy(
        "  ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
        "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}]}]\n"
    ),
    (UPSTREAM, "ingress from ipBlock (IPv4)"): _policy(
        "  ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
    ),
    (UPSTREAM, "egress to ipBlock (IPv4), policyTypes Egress"): _policy(
        "  egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
        "  policyTypes: [Egress]\n"
    ),
    (UPSTREAM, "egress to ipBlock (IPv4), policyTypes Ingress and Egress"): _policy(
        "  egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
        "  policyTypes: [Ingress, Egress]\n"
    ),
    (UPSTREAM, "egress ports"): _policy(
        "  egress: [{ports: [{port: 80}, {protocol: TCP}, {protocol: TCP, port: 443}, {protocol: UDP, port: dns}, {protocol: SCTP, port: 7777}]}]\n"
    ),
    (UPSTREAM, "egress to namespaceSelector, ingress from ipBlock (IPv6)"): _policy(
        "  ingress: [{from: [{ipBlock: {cidr: 'fd00:192:168::/48', except: ['fd00:192:168:3::/64', 'fd00:192:168:4::/64']}}]}]\n"
        "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}]}]\n"
    ),
    (UPSTREAM, "ingress from ipBlock (IPv6)"): _policy(
        "  ingress: [{from: [{ipBlock: {cidr: 'fd00:192:168::/48', except: ['fd00:192:168:3::/64', 'fd00:192:168:4::/64']}}]}]\n"
    ),
    (UPSTREAM, "egress to ipBlock (IPv6), policyTypes Egress"): _policy(
        "  egress: [{to: [{ipBlock: {cidr: 'fd00:192:168::/48', except: ['fd00:192:168:3::/64', 'fd00:192:168:4::/64']}}]}]\n"
        "  policyTypes: [Egress]\n"
    ),
    (UPSTREAM, "egress to ipBlock (IPv6), policyTypes Ingress and Egress"): _policy(
        "  egress: [{to: [{ipBlock: {cidr: 'fd00:192:168::/48', except: ['fd00:192:168:3::/64', 'fd00:192:168:4::/64']}}]}]\n"
        "  policyTypes: [Ingress, Egress]\n"
    ),
    (UPSTREAM, "egress port range and a named port"): _policy(
        "  egress: [{ports: [{port: 32000, endPort: 32768}, {protocol: UDP, port: dns}]}]\n"
    ),
    (UPSTREAM, "port ranges both ways"): _policy(
        "  ingress: [{from: [{podSelector: {matchLabels: {e: f}}}], ports: [{protocol: TCP, port: 32768, endPort: 32768}]}]\n"
        "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}], ports: [{port: 30000, endPort: 32768}, {port: 32000, endPort: 32768}]}]\n"
    ),
}

INVALID: dict[tuple[str, str], Refused] = {
    (UPSTREAM, "namespaceSelector and ipBlock"): (
        _policy(
            "  ingress: [{from: [{namespaceSelector: {matchLabels: {c: d}}, ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
        ),
        [(6, 21)],
        "NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer",
    ),
    (UPSTREAM, "podSelector and ipBlock"): (
        _policy(
            "  egress: [{to: [{podSelector: {matchLabels: {c: d}}, ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
        ),
        [(6, 18)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer",
    ),
    (UPSTREAM, "missing from and to type"): (
        _policy("  ingress: [{from: [{}]}]\n  egress: [{to: [{}]}]\n"),
        [(6, 21), (7, 18)],
        "NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0]: Required value: must specify a peer",
    ),
    (UPSTREAM, "invalid spec.podSelector"): (
        _policy(selector=_BAD_SELECTOR),
        [(5, 31)],
        "NetworkPolicy bar/foo is invalid: spec.podSelector.matchLabels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (UPSTREAM, "invalid ingress.ports.protocol"): (
        _policy("  ingress: [{ports: [{protocol: ICMP, port: 80}]}]\n"),
        [("schema", 6, 33)],
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ),
    (UPSTREAM, "invalid ingress.ports.port (int)"): (
        _policy("  ingress: [{ports: [{protocol: TCP, port: 123456789}]}]\n"),
        [(6, 44)],
        "NetworkPolicy bar/foo is invalid: spec.ingress[0].ports[0].port: Invalid value: 123456789: must be between 1 and 65535, inclusive",
    ),
    (UPSTREAM, "invalid ingress.ports.port (str)"): (
        _policy("  ingress: [{ports: [{protocol: TCP, port: '!@#$'}]}]\n"),
        [(6, 44), (6, 44)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].ports[0].port: Invalid value: "!@#$": must contain at least one letter (a-z)',
    ),
    (UPSTREAM, "invalid ingress.from.podSelector"): (
        _policy(
            "  ingress: [{from: [{podSelector: {matchLabels: {NoUppercaseOrSpecialCharsLike=Equals: b}}}]}]\n"
        ),
        [(6, 50)],
        "NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].podSelector.matchLabels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (UPSTREAM, "invalid egress.to.podSelector"): (
        _policy(
            "  egress: [{to: [{podSelector: {matchLabels: {NoUppercaseOrSpecialCharsLike=Equals: b}}}]}]\n"
        ),
        [(6, 47)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].to[0].podSelector.matchLabels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (UPSTREAM, "invalid egress.ports.protocol"): (
        _policy("  egress: [{ports: [{protocol: ICMP, port: 80}]}]\n"),
        [("schema", 6, 32)],
        'spec.egress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ),
    (UPSTREAM, "invalid egress.ports.port (int)"): (
        _policy("  egress: [{ports: [{protocol: TCP, port: 123456789}]}]\n"),
        [(6, 43)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].port: Invalid value: 123456789: must be between 1 and 65535, inclusive",
    ),
    (UPSTREAM, "invalid egress.ports.port (str)"): (
        _policy("  egress: [{ports: [{protocol: TCP, port: '!@#$'}]}]\n"),
        [(6, 43), (6, 43)],
        'NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].port: Invalid value: "!@#$": must contain at least one letter (a-z)',
    ),
    (UPSTREAM, "invalid ingress.from.namespaceSelector"): (
        _policy(
            "  ingress: [{from: [{namespaceSelector: {matchLabels: {NoUppercaseOrSpecialCharsLike=Equals: b}}}]}]\n"
        ),
        [(6, 56)],
        "NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (UPSTREAM, "missing cidr field"): (
        _policy(
            "  ingress: [{from: [{ipBlock: {cidr: '', except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
        ),
        [(6, 38)],
        "NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.cidr: Required value",
    ),
    (UPSTREAM, "invalid cidr format"): (
        _policy(
            "  ingress: [{from: [{ipBlock: {cidr: 192.168.5.6, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
        ),
        [(6, 38)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "192.168.5.6": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (UPSTREAM, "invalid ipv6 cidr format"): (
        _policy(
            "  ingress: [{from: [{ipBlock: {cidr: 'fd00:192:168::', except: ['fd00:192:168:3::/64', 'fd00:192:168:4::/64']}}]}]\n"
        ),
        [(6, 38)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "fd00:192:168::": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (UPSTREAM, "except field is an empty string"): (
        _policy("  ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16, except: ['']}}]}]\n"),
        [(6, 63)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (UPSTREAM, "except field is an space string"): (
        _policy("  ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16, except: [' ']}}]}]\n"),
        [(6, 63)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: " ": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (UPSTREAM, "except field is an invalid ip"): (
        _policy(
            "  ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16, except: [300.300.300.300]}}]}]\n"
        ),
        [(6, 63)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "300.300.300.300": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (UPSTREAM, "except IP is outside of CIDR range"): (
        _policy(
            "  ingress: [{from: [{ipBlock: {cidr: 192.168.8.0/24, except: [192.168.9.1/32]}}]}]\n"
        ),
        [(6, 63)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.9.1/32": must be a strict subset of `cidr`',
    ),
    (UPSTREAM, "except IP is not strictly within CIDR range"): (
        _policy(
            "  ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/24, except: [192.168.0.0/24]}}]}]\n"
        ),
        [(6, 63)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr`',
    ),
    (UPSTREAM, "except IPv6 is outside of CIDR range"): (
        _policy(
            "  ingress: [{from: [{ipBlock: {cidr: 'fd00:192:168:1::/64', except: ['fd00:192:168:2::/64']}}]}]\n"
        ),
        [(6, 70)],
        'NetworkPolicy bar/foo is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "fd00:192:168:2::/64": must be a strict subset of `cidr`',
    ),
    (UPSTREAM, "invalid policyTypes"): (
        _policy(
            "  egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
            "  policyTypes: [foo, bar]\n"
        ),
        [("schema", 7, 17), ("schema", 7, 22)],
        'spec.policyTypes[0]: Unsupported value: "foo": supported values: "Egress", "Ingress"',
    ),
    (UPSTREAM, "too many policyTypes"): (
        _policy(
            "  egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]}]\n"
            "  policyTypes: [foo, bar, baz]\n"
        ),
        # The API server stops at the count; the schema refuses each value too.
        [(7, 16), ("schema", 7, 17), ("schema", 7, 22), ("schema", 7, 27)],
        'NetworkPolicy bar/foo is invalid: spec.policyTypes: Invalid value: ["foo","bar","baz"]: may not specify more than two policyTypes',
    ),
    (UPSTREAM, "multiple ports defined, one port range is invalid"): (
        _policy(
            "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}], ports: [{protocol: UDP, port: 35000, endPort: 32768}, {port: 32000, endPort: 32768}]}]\n"
        ),
        [(6, 109)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].endPort: Invalid value: 32768: must be greater than or equal to `port`",
    ),
    (UPSTREAM, "endPort defined with named/string port"): (
        _policy(
            "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}], ports: [{protocol: UDP, port: dns, endPort: 32768}, {port: 32000, endPort: 32768}]}]\n"
        ),
        [(6, 107)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when `port` is non-numeric",
    ),
    (UPSTREAM, "endPort defined without port defined"): (
        _policy(
            "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}], ports: [{protocol: TCP, endPort: 32768}]}]\n"
        ),
        [(6, 96)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when `port` is not specified",
    ),
    (UPSTREAM, "port is greater than endPort"): (
        _policy(
            "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}], ports: [{protocol: SCTP, port: 35000, endPort: 32768}]}]\n"
        ),
        [(6, 110)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].endPort: Invalid value: 32768: must be greater than or equal to `port`",
    ),
    (UPSTREAM, "multiple invalid port ranges defined"): (
        _policy(
            "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}], ports: [{protocol: UDP, port: 35000, endPort: 32768}, {protocol: TCP, endPort: 32768}, {protocol: TCP, port: https, endPort: 32768}]}]\n"
        ),
        [(6, 109), (6, 142), (6, 188)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].endPort: Invalid value: 32768: must be greater than or equal to `port`",
    ),
    (UPSTREAM, "invalid endport range defined"): (
        _policy(
            "  egress: [{to: [{namespaceSelector: {matchLabels: {c: d}}}], ports: [{protocol: TCP, port: 30000, endPort: 65537}]}]\n"
        ),
        [(6, 109)],
        "NetworkPolicy bar/foo is invalid: spec.egress[0].ports[0].endPort: Invalid value: 65537: must be between 1 and 65535, inclusive",
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID, select=[RULE, "schema"]
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 13, 7, "error"),
        (RULE, 15, 18, "error"),
        (RULE, 20, 16, "error"),
        (RULE, 21, 13, "error"),
        (RULE, 33, 7, "error"),
        (RULE, 35, 15, "error"),
        (RULE, 38, 13, "error"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "NetworkPolicy shop/web is invalid: spec.ingress[0].from[0]: Forbidden: may not "
            "specify both ipBlock and another peer",
            "put the ipBlock in a peer of its own: peers of one list are alternatives",
        ),
        (
            "NetworkPolicy shop/web is invalid: spec.ingress[0].from[0].ipBlock.except[0]: "
            'Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
            "each except entry must be a smaller block inside cidr",
        ),
        (
            "NetworkPolicy shop/web is invalid: spec.ingress[0].ports[0].endPort: Invalid value: "
            "8080: must be greater than or equal to `port`",
            "endPort is the last port of the range: at least port, at most 65535",
        ),
        (
            "NetworkPolicy shop/web is invalid: spec.ingress[0].ports[1].port: Invalid value: "
            '"https_alt": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
            "a named port is a container port's name: at most 15 characters, lowercase letters, "
            "digits and single hyphens, at least one letter; or use the number",
        ),
        (
            "NetworkPolicy shop/egress is invalid: spec.egress[0].to[0]: Required value: must "
            "specify a peer",
            "give the peer a podSelector, a namespaceSelector or an ipBlock ({} selects all)",
        ),
        (
            "NetworkPolicy shop/egress is invalid: spec.egress[0].to[1].ipBlock.cidr: Invalid "
            'value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
            "write a CIDR: an address, a slash and a prefix length, such as 10.0.0.0/16",
        ),
        (
            "NetworkPolicy shop/egress is invalid: spec.egress[0].ports[0].port: Invalid value: "
            "70000: must be between 1 and 65535, inclusive",
            "use a port number from 1 to 65535",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_other_groups_and_unserved_versions_are_not_judged() -> None:
    # Calico's NetworkPolicy is another kind; extensions/v1beta1 is deprecated-api's.
    text = """
    apiVersion: projectcalico.org/v3
    kind: NetworkPolicy
    metadata: {name: allow, namespace: shop}
    spec:
      ingress: [{action: Allow, source: {}}]
    ---
    apiVersion: extensions/v1beta1
    kind: NetworkPolicy
    metadata: {name: old, namespace: shop}
    spec:
      podSelector: {}
      ingress: [{from: [{}]}]
    """
    assert lint_text(text, select=[RULE]) == []


def test_a_selector_error_points_at_the_label_key() -> None:
    (finding,) = lint_text(_policy(selector="{matchLabels: {owner=team: a}}"), select=[RULE])
    assert brief([finding]) == [(RULE, 5, 31, "error")]
    assert finding.message.startswith(
        'NetworkPolicy bar/foo is invalid: spec.podSelector.matchLabels: Invalid value: "owner=team"'
    )
