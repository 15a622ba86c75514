"""service-ip-fields: `ValidateServiceClusterIPsRelatedFields`, external IPs, source ranges and
the registry's `initIPFamilyFields`. The upstream cases of `TestValidateServiceCreate` are
restated in test_service_format.py with the other Service rules."""

from __future__ import annotations

import pytest

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-ip-fields"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 10, 15, "error"),
        (RULE, 11, 17, "error"),
        (RULE, 11, 26, "error"),
        (RULE, 21, 61, "error"),
        (RULE, 25, 15, "error"),
        (RULE, 37, 22, "error"),
        (RULE, 39, 15, "error"),
        (RULE, 39, 16, "error"),
        (RULE, 39, 28, "error"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            'Service shop/dns is invalid: spec.clusterIPs: Invalid value: ["10.96.0.11"]: first '
            "value must match `clusterIP`",
            "make clusterIPs[0] the clusterIP, or remove clusterIPs and let it follow clusterIP",
        ),
        (
            'Service shop/dns is invalid: spec.externalIPs[0]: Invalid value: "0.0.0.0": may not '
            "be unspecified (0.0.0.0)",
            "an external IP is one that routes to the cluster's nodes; remove special addresses",
        ),
        (
            'Service shop/dns is invalid: spec.externalIPs[1]: Invalid value: "203.0.113.7/32": '
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "write a bare IP address, such as 10.96.0.10 (no brackets, port, name or prefix)",
        ),
        (
            "Service shop/dual is invalid: metadata.annotations[service.beta.kubernetes.io/"
            'load-balancer-source-ranges]: Invalid value: "office": must be a valid CIDR value, '
            "(e.g. 10.9.8.0/24 or 2001:db8::/64)",
            "write a CIDR such as 203.0.113.0/24 (a /32 for a single IPv4 address)",
        ),
        (
            'Service shop/dual is invalid: spec.ipFamilies: Invalid value: "SingleStack": must be '
            "'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
            "set `ipFamilyPolicy: PreferDualStack` (or RequireDualStack), or keep one value",
        ),
        (
            'Service shop/fam is invalid: spec.ipFamilies[1]: Duplicate value: "IPv6"',
            "list each IP family once: [IPv4], [IPv6], [IPv4, IPv6] or [IPv6, IPv4]",
        ),
        (
            'Service shop/fam is invalid: spec.clusterIPs: Invalid value: ["10.96.0.12",'
            '"10.96.0.13"]: may specify no more than one IP for each IP family',
            "at most one IPv4 and one IPv6 address; `None` (headless) only alone",
        ),
        (
            'Service shop/fam is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.12": '
            "expected an IPv6 value as indicated by `ipFamilies[0]`",
            "give each cluster IP the family its ipFamilies entry names, or drop ipFamilies",
        ),
        (
            'Service shop/fam is invalid: spec.clusterIPs[1]: Invalid value: "10.96.0.13": '
            "expected an IPv6 value as indicated by `ipFamilies[1]`",
            "give each cluster IP the family its ipFamilies entry names, or drop ipFamilies",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def _service(spec: str) -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop}}\nspec:\n{spec}  ports: [{{port: 80}}]\n"


@pytest.mark.parametrize(
    ("spec", "where", "message"),
    [
        (
            "  clusterIPs: [10.96.0.10]\n",
            (5, 15),
            'spec.clusterIPs: Invalid value: ["10.96.0.10"]: must be empty when `clusterIP` is not specified',
        ),
        (
            "  ipFamilyPolicy: SingleStack\n  clusterIP: 10.96.0.10\n  clusterIPs: [10.96.0.10, 'fd00::10']\n",
            (5, 19),
            "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
        ),
        (
            "  externalIPs: ['::1']\n",
            (5, 17),
            'spec.externalIPs[0]: Invalid value: "::1": may not be in the loopback range',
        ),
        (
            "  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/33]\n",
            (6, 30),
            'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value',
        ),
    ],
)
def test_refusals(spec: str, where: tuple[int, int], message: str) -> None:
    findings = lint_text(_service(spec), select=[RULE])
    assert brief(findings) == [(RULE, *where, "error")]
    assert findings[0].message.startswith("Service shop/web is invalid: " + message)


def test_headless_without_selector_defaults_to_dual_stack() -> None:
    """`initIPFamilyFields`: a headless Service without selector is RequireDualStack when its
    policy is left out, so two families are fine; with a selector it is SingleStack."""
    headless = "  clusterIP: None\n  ipFamilies: [IPv4, IPv6]\n"
    assert lint_text(_service(headless), select=[RULE]) == []
    selected = _service(headless + "  selector: {app: web}\n")
    assert brief(lint_text(selected, select=[RULE])) == [(RULE, 6, 15, "error")]
