"""netlint.cel's interface: compiling (cached, with cel-go's syntax errors), what a program
references, lazy activations, errors with their category, and plain Python values out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from netlint.cel import CelCompileError, CelEvaluationError, compile_expression


def test_compiled_programs_are_cached_per_process() -> None:
    assert compile_expression("1 + 1") is compile_expression("1 + 1")


def test_a_syntax_error_is_worded_as_cel_go() -> None:
    with pytest.raises(CelCompileError) as raised:
        compile_expression("object.spec.replicas <=")
    assert str(raised.value) == (
        "ERROR: <input>:1:22: Syntax error\n | object.spec.replicas <=\n | .....................^"
    )


def test_a_function_no_library_declares_does_not_compile() -> None:
    with pytest.raises(CelCompileError, match="undeclared reference to 'lowerAsci'"):
        compile_expression("object.metadata.name.lowerAsci() == 'x'")


@pytest.mark.parametrize(
    ("expression", "references"),
    [
        ("object.spec.replicas <= params.max", {"object", "params"}),
        (
            "object.spec.containers.all(c, c.image != '' && c.name in variables.names)",
            {"object", "variables", "variables.names"},
        ),
        ("request.userInfo.username == 'admin'", {"request", "request.userInfo"}),
        ("[1, 2].map(x, x * 2).exists(y, y > namespaceObject.size())", {"namespaceObject"}),
        # A comprehension variable shadows a top-level name only inside its macro.
        ("object.items.all(object, object > 1) && object.ok", {"object"}),
        ("type(object) == string && ip.isCanonical(object)", {"object"}),
        ("'authorizer' + 'request.userInfo'", set[str]()),
    ],
)
def test_references_are_the_free_names_and_selected_fields(
    expression: str, references: set[str]
) -> None:
    assert compile_expression(expression).references == references


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("1 == 1", True),
        ("7 / 2", 3),
        ("7.0 / 2.0", 3.5),
        ("'a' + 'b'", "ab"),
        ("null", None),
        ("[1, 'x', null, true]", [1, "x", None, True]),
        ("{'k': [1.5], 'j': {}}", {"k": [1.5], "j": {}}),
        ("object.spec", {"ports": [{"port": 80}]}),
        ("object.spec.ports[0].port + 1", 81),
    ],
)
def test_values_come_back_as_plain_python(expression: str, value: object) -> None:
    result = compile_expression(expression).evaluate(
        {"object": {"spec": {"ports": [{"port": 80}]}}}
    )
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    ("expression", "message", "missing_key"),
    [
        ("object.spec.replicas > 1", "no such key: replicas", True),
        ("object.metadata.labels['team'] == 'a'", "no such key: team", True),
        ("object.metadata.name / 0", "no such overload", False),
        ("1 / 0", "division by zero", False),
        ("1 % 0", "modulus by zero", False),
        ("9223372036854775807 + 1", "integer overflow", False),
        ("[1][2]", "index out of range", False),
        ("nothing == 1", "undeclared reference to 'nothing'", False),
        # two errors that no operand decides: the left one (cel-go's evalOr, evalAnd)
        ("object.spec.a > 0 || object.spec.b > 0", "no such key: a", True),
        ("object.spec.a > 0 && 1 / 0 > 0", "no such key: a", True),
        ("1 / 0 > 0 || object.spec.b > 0", "division by zero", False),
    ],
)
def test_errors_say_what_cel_go_says_and_whether_a_key_was_missing(
    expression: str, message: str, missing_key: bool
) -> None:
    with pytest.raises(CelEvaluationError) as raised:
        compile_expression(expression).evaluate(
            {"object": {"spec": {}, "metadata": {"name": "web", "labels": {}}}}
        )
    assert (str(raised.value), raised.value.missing_key) == (message, missing_key)


def test_errors_are_values_that_logic_absorbs_as_in_cel() -> None:
    assert compile_expression("false && 1 / 0 > 1").evaluate({}) is False
    assert compile_expression("1 / 0 > 1 || true").evaluate({}) is True


class _Variables(Mapping[str, object]):
    """VAP variables as vap passes them: computed when read, one of them failing."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __getitem__(self, name: str) -> object:
        self.read.append(name)
        if name == "broken":
            raise CelEvaluationError("no such key: replicas", missing_key=True)
        if name == "limit":
            return 2
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(["limit", "broken"])

    def __len__(self) -> int:
        return 2


def test_a_mapping_activation_is_read_lazily_and_its_errors_are_cel_errors() -> None:
    variables = _Variables()
    assert compile_expression("variables.limit < 3").evaluate({"variables": variables}) is True
    assert variables.read == ["limit"]
    # The failing variable is an error value: absorbed by && and ||, raised when it decides.
    assert compile_expression("false && variables.broken").evaluate({"variables": variables}) is (
        False
    )
    with pytest.raises(CelEvaluationError) as raised:
        compile_expression("variables.broken == 1").evaluate({"variables": variables})
    assert (str(raised.value), raised.value.missing_key) == ("no such key: replicas", True)
    with pytest.raises(CelEvaluationError, match="no such key: other"):
        compile_expression("variables.other").evaluate({"variables": variables})


def test_an_expression_too_deep_to_walk_is_an_error_not_a_crash() -> None:
    deep = "(" * 100 + "1" + ")" * 100 + " == 1"
    with pytest.raises((CelCompileError, CelEvaluationError), match="nests too deeply"):
        compile_expression(deep).evaluate({})


@pytest.mark.parametrize(
    ("expression", "self"),
    [
        # The Kubernetes documentation's escaping examples.
        ("self.__namespace__ > 0", {"namespace": 1}),
        ("self.x__dash__prop > 0", {"x-prop": 1}),
        ("self.redact__underscores__d > 0", {"redact__d": 1}),
        ("self.a__dot__b__slash__c > 0", {"a.b/c": 1}),
        ("has(self.__namespace__) && !has(self.__if__)", {"namespace": 1}),
    ],
)
def test_escaped_property_names_read_the_property(expression: str, self: object) -> None:
    assert compile_expression(expression).evaluate({"self": self}) is True


def test_cel_bind_binds_a_value_in_its_body() -> None:
    program = compile_expression(
        "cel.bind(ports, object.spec.ports, ports.size() == 2 && ports.all(p, p.port > 79))"
    )
    assert program.references == {"object"}
    assert program.evaluate({"object": {"spec": {"ports": [{"port": 80}, {"port": 81}]}}}) is True
    assert compile_expression("cel.bind(a, 1, cel.bind(b, a + 1, b * 2))").evaluate({}) == 4


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        # Heterogeneous equality: different types are unequal, numbers equal by value.
        ("1 == 1.0", True),
        ("1u == 1", True),
        ("[1] == [1.0]", True),
        ("1 == 'a'", False),
        ("true == 1", False),
        ("null == 1", False),
        ("null == null", True),
        ("{'a': 1} == {'a': 'x'}", False),
        ("object.metadata.labels == {'app': 'web'}", True),
        # CrossTypeNumericComparisons (Kubernetes 1.29+).
        ("1 < 1.5", True),
        ("2u < 3", True),
        ("object.spec.replicas <= 2.5", False),
        ("type('a') == string && type(1) == int && type(1) != string", True),
        ("dyn(1) + 1", 2),
        ("-7 / 2", -3),  # CEL truncates toward zero
        ("-7 % 2", -1),
        ("object.spec.ports.map(p, p.port > 80, p.port * 10)", [4430]),
    ],
)
def test_semantics_as_cel_go_in_kubernetes(expression: str, value: object) -> None:
    result = compile_expression(expression).evaluate(
        {
            "object": {
                "spec": {"replicas": 3, "ports": [{"port": 80}, {"port": 443}]},
                "metadata": {"labels": {"app": "web"}},
            }
        }
    )
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    ("expression", "message"),
    [("[1] < [2]", "no such overload: list < list"), ("'a' < 1", "no such overload: string < int")],
)
def test_values_without_an_order_do_not_compare(expression: str, message: str) -> None:
    with pytest.raises(CelEvaluationError, match=message):
        compile_expression(expression).evaluate({})


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[1].all(1, true)", "argument must be a simple name: all()"),
        ("[1].exists(x.y, true)", "argument must be a simple name: exists()"),
        ("has(object)", "invalid argument to has() macro"),
    ],
)
def test_macros_called_wrongly_do_not_compile(expression: str, message: str) -> None:
    with pytest.raises(CelCompileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compile_expression(expression)


@pytest.mark.parametrize(
    ("expression", "value"),
    [("type(type(1))", "type"), ("type(null)", "null_type"), ("type(object)", "map")],
)
def test_types_come_out_by_their_cel_names(expression: str, value: str) -> None:
    assert compile_expression(expression).evaluate({"object": {}}) == value


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("string(object)", "no such overload: string(map)"),
        ("[].min()", "min called on empty list"),
        ("int('x')", "type conversion error"),
        ("int(1e30)", "integer overflow"),
    ],
)
def test_more_errors(expression: str, message: str) -> None:
    with pytest.raises(CelEvaluationError) as raised:
        compile_expression(expression).evaluate({"object": {}})
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        # || and && decide on one side whatever the other: an error there is absorbed.
        ("true || 1 / 0 > 1", True),
        ("1 / 0 > 1 || true", True),
        ("false && 1 / 0 > 1", False),
        ("1 / 0 > 1 && false", False),
        ("!(1 > 2) && -(-3) == 3", True),
        ("'a' in ['a'] && 2 * 3 - 1 == 5", True),
    ],
)
def test_operators(expression: str, value: object) -> None:
    assert compile_expression(expression).evaluate({}) is value


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 / 0 > 1 || false", "division by zero"),
        ("1 + 'a' == 2", "no such overload"),
        ("-(-9223372036854775807 - 1) > 0", "integer overflow"),
        ("!1", "no such overload"),
    ],
)
def test_operator_errors(expression: str, message: str) -> None:
    with pytest.raises(CelEvaluationError) as raised:
        compile_expression(expression).evaluate({})
    assert str(raised.value) == message
