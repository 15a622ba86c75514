"""The Kubernetes CEL libraries of netlint.cel, on the examples of the Kubernetes
documentation ("Common Expression Language in Kubernetes": list, regex, URL, IP and CIDR,
quantity libraries) and of cel-go's strings extension, each with the value upstream gives."""

from __future__ import annotations

import pytest

from netlint.cel import CelCompileError, CelEvaluationError, compile_expression


def _value(expression: str, **variables: object) -> object:
    return compile_expression(expression).evaluate(variables)


LISTS: list[tuple[str, dict[str, object], object]] = [
    ("names.isSorted()", {"names": ["a", "b", "c"]}, True),
    ("names.isSorted()", {"names": ["b", "a"]}, False),
    ("[].isSorted()", {}, True),
    ("items.map(x, x.weight).sum() == 1.0", {"items": [{"weight": 0.5}, {"weight": 0.5}]}, True),
    ("[1, 2, 3].sum()", {}, 6),
    ("[].sum()", {}, 0),
    (
        "low.map(x, x.priority).max() < high.map(x, x.priority).min()",
        {"low": [{"priority": 1}, {"priority": 3}], "high": [{"priority": 4}, {"priority": 9}]},
        True,
    ),
    ("[3, 9, 1].max()", {}, 9),
    ("[3, 9, 1].min()", {}, 1),
    ("names.indexOf('should-be-first') == 1", {"names": ["a", "should-be-first"]}, True),
    ("[1, 2, 1].lastIndexOf(1)", {}, 2),
    ("[1, 2].indexOf(5)", {}, -1),
]

REGEX: list[tuple[str, object]] = [
    ("'abc 123'.find('[0-9]+')", "123"),
    ("'abc 123'.find('[0-9]*')", ""),  # Go's leftmost match is the empty one at 0
    ("'abc'.find('x')", ""),
    ("'1, 2, 3, 4'.findAll('[0-9]+').map(x, int(x)).sum() < 100", True),
    ("'1, 2, 3, 4'.findAll('[0-9]+', 2)", ["1", "2"]),
    # Go's FindAllString drops an empty match that abuts the previous match.
    ("'1, 2'.findAll('[0-9]*')", ["1", "", "2"]),
]

URLS: list[tuple[str, object]] = [
    ("url('https://example.com:80/').getHost()", "example.com:80"),
    ("url('https://example.com/path with spaces/').getEscapedPath()", "/path%20with%20spaces/"),
    ("url('https://example.com:80/').getHostname()", "example.com"),
    ("url('https://example.com:80/').getPort()", "80"),
    ("url('https://example.com/').getPort()", ""),
    ("url('https://[::1]:8080/').getHostname()", "::1"),
    ("url('https://example.com/').getScheme()", "https"),
    ("url('https://example.com/?a=1&a=2&b').getQuery()", {"a": ["1", "2"], "b": [""]}),
    ("isURL('https://example.com/')", True),
    ("isURL('/absolute/path')", True),  # Go's ParseRequestURI takes an absolute path
    ("isURL('example.com')", False),
    ("isURL('https://example.com/#fragment')", False),
]

IPS: list[tuple[str, object]] = [
    ("isIP('127.0.0.1')", True),
    ("isIP('1.2.3')", False),
    ("isIP('127.0.0.1/8')", False),
    ("isIP('::ffff:1.2.3.4')", False),  # IPv4-mapped IPv6 is refused upstream
    ("isIP('fe80::1%eth0')", False),  # and so are zones
    ("ip('127.0.0.1').family()", 4),
    ("ip('::1').family()", 6),
    ("ip('127.0.0.1').isLoopback()", True),
    ("ip('0.0.0.0').isUnspecified()", True),
    ("ip('224.0.0.1').isLinkLocalMulticast()", True),
    ("ip('ff02::1').isLinkLocalMulticast()", True),
    ("ip('169.254.1.1').isLinkLocalUnicast()", True),
    ("ip('10.0.0.1').isGlobalUnicast()", True),  # private ranges are global in Go's sense
    ("ip('255.255.255.255').isGlobalUnicast()", False),
    ("ip.isCanonical('2001:db8::abcd')", True),
    ("ip.isCanonical('2001:DB8::ABCD')", False),
    ("ip('127.0.0.1') == ip('127.0.0.1')", True),
    ("string(ip('2001:DB8::1'))", "2001:db8::1"),
    ("cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", True),
    ("cidr('192.168.0.0/24').containsIP('192.168.1.1')", False),
    ("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))", True),
    ("cidr('192.168.0.0/25').containsCIDR('192.168.0.0/24')", False),
    ("cidr('192.168.0.0/16').prefixLength()", 16),
    ("cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", True),
    ("cidr('192.168.0.1/24').ip() == ip('192.168.0.1')", True),
    ("isCIDR('10.0.0.0/8')", True),
    ("isCIDR('10.0.0.0/33')", False),
    ("isCIDR('10.0.0.0')", False),
]

QUANTITIES: list[tuple[str, object]] = [
    ("quantity('500000G').isInteger()", True),
    ("quantity('50k').asInteger()", 50000),
    ("quantity('9999999999999999999999999999999999999G').asApproximateFloat() > 1e45", True),
    ("quantity('50k').sub(20000).asInteger()", 30000),
    ("quantity('50k').add(20).sub(quantity('100k')).sub(-50000).asInteger()", 20),
    ("quantity('200M').compareTo(quantity('0.2G'))", 0),
    ("quantity('150Mi').isGreaterThan(quantity('100Mi'))", True),
    ("quantity('50M').isLessThan(quantity('100M'))", True),
    ("quantity('1Ki').asInteger()", 1024),
    ("quantity('100m').isInteger()", False),
    ("quantity('-1').sign()", -1),
    ("isQuantity('1.5G')", True),
    ("isQuantity('20Mb')", False),
    ("quantity('1k') == quantity('1000')", True),
]

STRINGS: list[tuple[str, object]] = [
    ("'hello'.charAt(1)", "e"),
    ("'hello'.charAt(5)", ""),
    ("'hello mellow'.indexOf('ello')", 1),
    ("'hello mellow'.indexOf('ello', 2)", 7),
    ("'hello mellow'.lastIndexOf('ello')", 7),
    ("'hello mellow'.lastIndexOf('ello', 6)", 1),
    ("'TacoCat'.lowerAscii()", "tacocat"),
    ("'TacoCÆt'.upperAscii()", "TACOCÆT"),
    ("'hello hello'.replace('he', 'we')", "wello wello"),
    ("'hello hello'.replace('he', 'we', 1)", "wello hello"),
    ("'hello hello hello'.split(' ')", ["hello", "hello", "hello"]),
    ("'hello hello hello'.split(' ', 2)", ["hello", "hello hello"]),
    ("'hello'.split(' ', 0)", []),
    ("['hello', 'mellow'].join(' ')", "hello mellow"),
    ("['a', 'b'].join()", "ab"),
    ("'tacocat'.substring(4)", "cat"),
    ("'tacocat'.substring(0, 4)", "taco"),
    ("'  \\ttrim\\n    '.trim()", "trim"),
    ("'%s has %d replicas'.format(['web', 3])", "web has 3 replicas"),
    ("'%.2f'.format([1.0 / 3.0])", "0.33"),
    ("'%x, %X, %o, %b'.format([255, 255, 8, 5])", "ff, FF, 10, 101"),
    ("'%e'.format([1234.5])", "1.234500e+03"),
    ("'%s %s %s'.format([true, null, [1, 'a']])", "true null [1, a]"),
    ("'100%%'.format([])", "100%"),
    ("string(true) + string(2.5)", "true2.5"),
]

OPTIONALS: list[tuple[str, dict[str, object], object]] = [
    ("object.?spec.?replicas.orValue(1)", {"object": {"spec": {}}}, 1),
    ("object.?spec.?replicas.orValue(1)", {"object": {"spec": {"replicas": 3}}}, 3),
    ("object.?spec.replicas.hasValue()", {"object": {}}, False),
    ("object.spec.?rules.orValue([]).all(r, has(r.host))", {"object": {"spec": {}}}, True),
    ("labels[?'team'].orValue('none')", {"labels": {"team": "a"}}, "a"),
    ("items[?3].hasValue()", {"items": [1]}, False),
    ("optional.of(1).value() + optional.none().orValue(2)", {}, 3),
    ("optional.none().or(optional.of('x')).value()", {}, "x"),
    ("optional.ofNonZeroValue('').hasValue()", {}, False),
    ("object.?spec", {"object": {}}, None),  # an empty optional comes out as None
]


@pytest.mark.parametrize(("expression", "variables", "expected"), LISTS)
def test_list_library(expression: str, variables: dict[str, object], expected: object) -> None:
    assert _value(expression, **variables) == expected


@pytest.mark.parametrize(
    ("expression", "expected"), REGEX + URLS + IPS + QUANTITIES + STRINGS, ids=str
)
def test_library_functions(expression: str, expected: object) -> None:
    value = _value(expression)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("expression", "variables", "expected"), OPTIONALS)
def test_optional_types(expression: str, variables: dict[str, object], expected: object) -> None:
    assert _value(expression, **variables) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[].max()", "max called on empty list"),
        ("[9223372036854775807, 1].sum()", "integer overflow"),
        ("[1, 'a'].isSorted()", "no such overload: string < int"),
        ("'abc'.find('(')", "error parsing regexp: missing ): ("),
        ("url('example.com')", "URL 'example.com' parse error during conversion from string"),
        ("ip('::ffff:1.2.3.4')", "IPv4-mapped IPv6 address is not allowed"),
        ("ip('1.2.3')", "IP Address '1.2.3' parse error during conversion from string"),
        ("quantity('100m').asInteger()", "cannot convert value to integer"),
        ("'hello'.charAt(9)", "index out of range: 9"),
        ("'hello'.substring(3, 1)", "invalid substring range. start: 3, end: 1"),
        ("'%d'.format([1.5])", "error during formatting: decimal clause can only be used on integers"),
        ("optional.none().value()", "optional.none() dereference"),
    ],
)  # fmt: skip
def test_library_errors_are_worded_as_upstream(expression: str, message: str) -> None:
    with pytest.raises(CelEvaluationError) as raised:
        _value(expression)
    assert str(raised.value) == message
    assert raised.value.missing_key is False


def test_the_authorizer_library_compiles_but_is_never_guessed() -> None:
    program = compile_expression(
        "authorizer.group('').resource('pods').namespace('default').check('create').allowed()"
    )
    assert program.references == {"authorizer"}
    with pytest.raises(CelEvaluationError, match="asks the cluster"):
        program.evaluate({"authorizer": None})


# The Kubernetes format library: the examples of its documentation (all valid), and strings each
# format refuses with the API server's texts. Through the policy engine's door, which installs
# the name formats (`netlint.model.k8s_names`) into the evaluator.
FORMATS: list[tuple[str, object]] = [
    ("format.dns1123Label().validate('my-label-name')", None),
    ("format.dns1123Subdomain().validate('apiextensions.k8s.io')", None),
    ("format.dns1035Label().validate('my-label-name')", None),
    ("format.qualifiedName().validate('apiextensions.k8s.io/v1beta1')", None),
    ("format.dns1123LabelPrefix().validate('my-label-prefix-')", None),
    ("format.dns1123SubdomainPrefix().validate('mysubdomain.prefix.-')", None),
    ("format.dns1035LabelPrefix().validate('my-label-prefix-')", None),
    ("format.uri().validate('http://example.com')", None),
    ("format.uuid().validate('123e4567-e89b-12d3-a456-426614174000')", None),
    ("format.byte().validate('aGVsbG8=')", None),
    ("format.date().validate('2021-01-01')", None),
    ("format.datetime().validate('2021-01-01T00:00:00Z')", None),
    ("format.named('labelValue').hasValue()", True),
    ("format.named('nope').hasValue()", False),
    ("format.named('dns1035Label').value().validate('1abc').hasValue()", True),
    ("format.dns1123Label().validate('a.b')", ["must not contain dots"]),
    ("format.uri().validate('example.com')", ['parse "example.com": invalid URI for request']),
    ("format.uuid().validate('not-a-uuid')", ["does not match the UUID format"]),
    ("format.byte().validate('aGVsbG8')", ["invalid base64"]),
    ("format.date().validate('2021-02-30')", ["invalid date"]),
    ("format.datetime().validate('yesterday')", ["invalid datetime"]),
    (
        "format.labelValue().validate('-x')",
        [
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character"
        ],
    ),
]


@pytest.mark.parametrize(("expression", "expected"), FORMATS)
def test_the_kubernetes_format_library(expression: str, expected: object) -> None:
    from netlint.policy.cel_runtime import compile_cel, evaluate

    assert evaluate(compile_cel(expression), {}) == expected


# cel-go's sets extension, on its documentation's examples.
SETS: list[tuple[str, bool]] = [
    ("sets.contains([], [])", True),
    ("sets.contains([], [1])", False),
    ("sets.contains([1, 2, 3, 4], [2, 3])", True),
    ("sets.contains([1, 2.0, 3u], [1.0, 2u, 3])", True),
    ("sets.equivalent([], [])", True),
    ("sets.equivalent([1], [1, 1])", True),
    ("sets.equivalent([1], [1u, 1.0])", True),
    ("sets.equivalent([1, 2, 3], [3u, 2.0, 1])", True),
    ("sets.intersects([1], [])", False),
    ("sets.intersects([1], [1, 2])", True),
    ("sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])", True),
    ("'a set'.contains('set')", True),  # the strings function of the same name stays
]


@pytest.mark.parametrize(("expression", "expected"), SETS)
def test_the_sets_extension(expression: str, expected: bool) -> None:
    assert _value(expression) is expected


# The Kubernetes semver library, on its documentation's examples.
SEMVER: list[tuple[str, object]] = [
    ("isSemver('1.0.0')", True),
    ("isSemver('hello')", False),
    ("isSemver('v1.0')", False),
    ("isSemver('v1.0', true)", True),
    ("isSemver('1.0', true)", True),
    ("isSemver('01.01.01', true)", True),
    ("isSemver('0.1.0-alpha.1')", True),
    ("isSemver('1.0.0-01')", False),  # a numeric prerelease with a leading zero
    ("isSemver('200K') || isSemver('Three') || isSemver('Mi')", False),
    ("semver('v1.0.0', true) == semver('1.0.0')", True),
    ("semver('01.01.01', true).minor()", 1),
    ("semver('1.2.3').major()", 1),
    ("semver('1.2.3').patch()", 3),
    ("semver('1.2.3').compareTo(semver('1.2.3'))", 0),
    ("semver('1.2.3').compareTo(semver('2.0.0'))", -1),
    ("semver('1.2.3').compareTo(semver('0.1.2'))", 1),
    ("semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", True),
    ("semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))", True),
    ("semver('1.0.0-rc.1').isGreaterThan(semver('1.0.0-beta.11'))", True),
    ("semver('1.0.0+build.1') == semver('1.0.0')", True),
]


@pytest.mark.parametrize(("expression", "expected"), SEMVER)
def test_the_semver_library(expression: str, expected: object) -> None:
    assert _value(expression) == expected


def test_semver_of_a_string_that_is_none_is_an_error() -> None:
    with pytest.raises(CelEvaluationError, match=r"No Major\.Minor\.Patch elements found"):
        _value("semver('Three')")


# cel-go's two-variable comprehensions (ext.TwoVarComprehensions, Kubernetes 1.32+), on the
# shapes of its documentation's examples: an index (or key) and a value.
TWO_VARIABLE: list[tuple[str, object]] = [
    ("[1, 2, 3].all(i, v, i < v)", True),
    ("{'hello': 'world', 'taco': 'taco'}.all(k, v, k != v)", False),
    ("{'h': ['hello', 'hi'], 'j': ['joke', 'jog']}.all(k, vs, vs.all(v, v.startsWith(k)))", True),
    ("{'greeting': 'hello', 'farewell': 'goodbye'}.exists(k, v, v.endsWith('bye'))", True),
    ("[1, 2, 4, 8].exists(i, v, v == 2 * i + 2)", True),
    ("[1, 2, 1, 3].existsOne(i, v, v == 1)", False),
    ("{'a': 1, 'b': 2}.existsOne(k, v, v == 2)", True),
    ("[1, 2, 3].transformList(i, v, i * v)", [0, 2, 6]),
    ("[1, 2, 3].transformList(i, v, i % 2 == 0, v * 10)", [10, 30]),
    ("{'greeting': 'hello'}.transformList(k, v, k + '=' + v)", ["greeting=hello"]),
    ("['a', 'b'].transformMap(i, v, v + v)", {0: "aa", 1: "bb"}),
    ("{'a': 1, 'b': 2}.transformMap(k, v, v > 1, v * 2)", {"b": 4}),
    ("{'a': 'x', 'b': 'y'}.transformMapEntry(k, v, {v: k})", {"x": "a", "y": "b"}),
    ("[1, 2].transformMapEntry(i, v, v > 1, {string(v): i})", {"2": 1}),
    # Errors are values: a later false (all) or true (exists) decides.
    ("[0, 1].all(i, v, 1 / v > 1)", False),
    ("[0, 1].exists(i, v, 1 / v == 1)", True),
]


@pytest.mark.parametrize(("expression", "expected"), TWO_VARIABLE)
def test_two_variable_comprehensions(expression: str, expected: object) -> None:
    assert _value(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[0, 2].all(i, v, 2 / v == 1)", "division by zero"),
        ("[0, 1].existsOne(i, v, 1 / v == 1)", "division by zero"),
        ("['x', 'x'].transformMapEntry(i, v, {v: i})", "insert failed: key x already exists"),
        ("[1].all(i, v, v)", "no such overload"),
    ],
)
def test_two_variable_comprehension_errors(expression: str, message: str) -> None:
    with pytest.raises(CelEvaluationError, match=message):
        _value(expression)


def test_two_variable_comprehensions_bind_both_names_and_refuse_a_duplicate() -> None:
    program = compile_expression("object.spec.ports.all(i, p, i == 0 || p.port != limit)")
    assert program.references == {"object", "limit"}
    with pytest.raises(CelCompileError, match="duplicate variable name: k"):
        compile_expression("{'a': 1}.all(k, k, true)")
    # With one expression less it is no macro but an undeclared function, as in cel-go.
    with pytest.raises(CelCompileError, match="undeclared reference to 'transformList'"):
        compile_expression("[1].transformList(i, v)")
