"""The grammar and the tree-walking evaluator: celpy's, with CEL's optional syntax added
(`x.?field`, `x[?key]`, as cel-go parses them with OptionalTypes), since celpy's grammar
lacks it. Selecting into an optional value stays optional, as in cel-go: `a.?b.c` is
optional.of(a.b.c) when `a` has `b`, else optional.none()."""

# celpy's Evaluator (a lark Interpreter) is untyped where this module overrides it.
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false
# pyright: reportUnknownArgumentType=false, reportUnknownParameterType=false

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, cast

import celpy
import lark
from celpy import celtypes
from celpy.evaluation import CELEvalError, Evaluator

from netlint.cel import comprehensions
from netlint.cel.errors import ErrorValue
from netlint.cel.escaping import unescape
from netlint.cel.optional import NONE, OptionalValue
from netlint.cel.references import bind_parts, simple_identifier

# celpy's trees and evaluator methods are untyped: this module handles them as Any.
Tree = Any

_MEMBER = "member         : member_dot | member_dot_arg | member_index | member_object | primary"
_OPTIONAL_RULES = """
member         : member_dot | member_dot_arg | member_index | member_object | primary
               | member_dot_opt | member_index_opt
member_dot_opt : member ".?" IDENT
member_index_opt : member "[" "?" expr "]"
"""


def _literal(token: lark.Token) -> lark.Token:
    # As celpy's parser: `true` and `false` match IDENT too.
    if token.value in ("true", "false"):
        return lark.Token("BOOL_LIT", token.value)
    return token


@functools.cache
def parser() -> lark.Lark:
    grammar = (Path(celpy.__file__).parent / "cel.lark").read_text()
    if _MEMBER not in grammar:
        raise RuntimeError("celpy's grammar changed: netlint.cel cannot add optional syntax")
    return lark.Lark(
        grammar.replace(_MEMBER, _OPTIONAL_RULES),
        parser="lalr",
        start="expr",
        g_regex_flags=re.M,
        lexer_callbacks={"IDENT": _literal},
        propagate_positions=True,
        maybe_placeholders=False,
        priority="invert",
    )


# Grammar rules whose node, with a single child, has that child's value (celpy's methods for
# them return `visit_children(tree)[0]` then).
_PASS_THROUGH = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication"}
    | {"unary", "member"}
)


# Binary operator nodes (their first child holds the left operand) and their functions.
_OPERATORS = {
    "relation_lt": "_<_",
    "relation_le": "_<=_",
    "relation_gt": "_>_",
    "relation_ge": "_>=_",
    "relation_eq": "_==_",
    "relation_ne": "_!=_",
    "relation_in": "_in_",
    "addition_add": "_+_",
    "addition_sub": "_-_",
    "multiplication_mul": "_*_",
    "multiplication_div": "_/_",
    "multiplication_mod": "_%_",
}
_BINARY = frozenset({"relation", "addition", "multiplication"})
_LOGICAL = frozenset({"conditionalor", "conditionaland"})


def _apply(function: Any, *operands: Any) -> Any:
    """An operator's value; its Python errors as the CEL errors celpy makes of them."""
    try:
        return function(*operands)
    except ZeroDivisionError:
        return ErrorValue("division by zero")
    except TypeError:
        return ErrorValue("no such overload")
    except (ValueError, OverflowError):
        return ErrorValue("integer overflow")


def _token_text(tree: Tree, index: int) -> str:
    children = tree.children
    return str(children[index]) if len(children) > index else ""


def _arguments(tree: Tree) -> int:
    """How many arguments a call node has."""
    children = tree.children
    if len(children) < 3 or not isinstance(children[2], lark.Tree):
        return 0
    return len(children[2].children)


def _no_such_key(key: object) -> ErrorValue:
    return ErrorValue(f"no such key: {key}", missing_key=True)


def _lookup(container: Any, key: Any) -> Any:
    """`container[key]` for an optional selection: none when absent."""
    if isinstance(container, celtypes.MapType):
        return OptionalValue(container[key], present=True) if key in container else NONE
    if isinstance(container, list) and isinstance(key, int):
        items: list[Any] = container  # pyright: ignore[reportUnknownVariableType]
        present = 0 <= key < len(items)
        return OptionalValue(items[key], present=True) if present else NONE
    return ErrorValue("no such overload")


def _optional_lookup(target: Any, key: Any) -> Any:
    """`target.?key` / `target[?key]`, an optional target looked into if it has a value."""
    for value in (target, key):
        if isinstance(value, CELEvalError):
            return value
    if isinstance(target, OptionalValue):
        if not target.present:
            return NONE
        target = target.value
    return _lookup(target, key)


class KubernetesEvaluator(Evaluator):
    """celpy's evaluator with the optional syntax."""

    def __init__(self, ast: Tree, activation: Any) -> None:
        super().__init__(ast, activation)
        self._known: tuple[Tree, Any] | None = None

    def sub_evaluator(self, ast: Tree) -> Evaluator:
        return KubernetesEvaluator(ast, activation=self.activation)

    def _visit_tree(self, tree: Tree) -> Any:
        # The value of a subtree already evaluated, handed to celpy's own method.
        known = self._known
        if known is not None and known[0] is tree:
            self._known = None
            return known[1]
        # A grammar level with one operand is that operand: skipping celpy's method for it
        # (which builds typing objects on each call) halves the time of an evaluation.
        while tree.data in _PASS_THROUGH and len(tree.children) == 1:
            child = tree.children[0]
            if not isinstance(child, lark.Tree):
                break
            tree = child
        if len(tree.children) == 2:
            if tree.data in _BINARY:
                return self._binary(tree)
            if tree.data in _LOGICAL:
                return self._logical(tree)
            if tree.data == "unary":
                return self._unary(tree)
        return super()._visit_tree(tree)

    # The operators, as celpy's methods for them evaluate them, without the typing objects
    # those build on each call.
    def _binary(self, tree: Tree) -> Any:
        operator_tree, right_tree = tree.children
        left = self.visit(operator_tree.children[0])
        right = self.visit(right_tree)
        function = self.activation.functions[_OPERATORS[operator_tree.data]]
        return _apply(function, left, right)

    def _logical(self, tree: Tree) -> Any:
        left = self.visit(tree.children[0])
        deciding = tree.data == "conditionalor"  # true decides ||, false decides &&
        if isinstance(left, celtypes.BoolType) and bool(left) is deciding:
            return left
        right = self.visit(tree.children[1])
        if isinstance(left, CELEvalError) and not (
            isinstance(right, celtypes.BoolType) and bool(right) is deciding
        ):
            # cel-go's evalOr/evalAnd: an error on the left that the right does not decide
            # is the result (`no such key: a` for `a > 0 || b > 0` on {}), not an overload error.
            return left
        function = self.activation.functions["_||_" if deciding else "_&&_"]
        return _apply(function, left, right)

    def _unary(self, tree: Tree) -> Any:
        operator_tree, operand = tree.children
        value = self.visit(operand)
        function = self.activation.functions["!_" if operator_tree.data == "unary_not" else "-_"]
        return _apply(function, value)  # pyright: ignore[reportUnknownMemberType]

    def ident_value(self, name: str, root_scope: bool = False) -> Any:
        # celpy's Activation.resolve_variable, without its per-call `cast(Union[...])`, which
        # builds a typing Union each time and was half of the evaluation time.
        activation = self.activation
        try:
            return activation.identifiers.resolve_name(activation.package, name).value
        except KeyError:
            return activation.functions[name]

    def _target(self, tree: Tree) -> Any:
        child = tree.children[0]
        return self.visit(child) if isinstance(child, lark.Tree) else child

    def member_dot_opt(self, tree: Tree) -> Any:
        return _optional_lookup(self._target(tree), celtypes.StringType(str(tree.children[1])))

    def member_index_opt(self, tree: Tree) -> Any:
        return _optional_lookup(self._target(tree), self.visit(tree.children[1]))

    def member_dot_arg(self, tree: Tree) -> Any:
        method, arguments = _token_text(tree, 1), _arguments(tree)
        if comprehensions.is_two_variable(method, arguments):
            return self._two_variable(tree, method, arguments)
        if method == "map" and arguments == 3:
            return self._filter_map(tree)
        if method == "min" and arguments == 0:
            # celpy reads `min()` as a macro of its own; Kubernetes' is the list library's.
            return self.activation.functions["min"](self._target(tree))
        parts = bind_parts(tree)
        if parts is None:
            return super().member_dot_arg(tree)
        # cel.bind(x, value, body): body with x bound to value, evaluated once (cel-go's
        # Bindings extension, which Kubernetes enables).
        variable, initial, body = parts
        value = self.visit(cast(Tree, initial))
        try:
            return self.sub_evaluator(body).evaluate({variable: value})
        except CELEvalError as error:
            return error

    def _two_variable(self, tree: Tree, method: str, arguments: int) -> Any:
        """A two-variable comprehension; its names were checked at compile time."""
        expressions = tree.children[2].children
        first, second = (simple_identifier(e) or "" for e in expressions[:2])
        evaluators: dict[int, Evaluator] = {}

        def step(argument: int, first_value: Any, second_value: Any) -> Any:
            evaluator = evaluators.get(argument)
            if evaluator is None:
                evaluator = evaluators[argument] = self.sub_evaluator(expressions[argument])
            try:
                return evaluator.evaluate({first: first_value, second: second_value})
            except CELEvalError as error:  # an error is a value: a later item may decide
                return error

        return comprehensions.evaluate(method, self._target(tree), arguments, step)

    def _filter_map(self, tree: Tree) -> Any:
        """`list.map(x, predicate, transform)`: the transform of the items the predicate
        keeps (the three-argument form of the map macro, which celpy lacks)."""
        variable_tree, predicate, transform = tree.children[2].children
        variable = simple_identifier(variable_tree)
        items = self._target(tree)
        if isinstance(items, CELEvalError):
            return items
        if variable is None or not isinstance(items, (list, celtypes.MapType)):
            return ErrorValue("no such overload")
        keep, make = self.sub_evaluator(predicate), self.sub_evaluator(transform)
        out: list[Any] = []
        try:
            for item in items:
                kept = keep.evaluate({variable: item})
                if not isinstance(kept, celtypes.BoolType):
                    return ErrorValue("no such overload")
                if kept:
                    out.append(make.evaluate({variable: item}))
        except CELEvalError as error:
            return error
        return celtypes.ListType(out)

    def member_dot(self, tree: Tree) -> Any:
        target = self._target(tree)
        if isinstance(target, OptionalValue):
            if not target.present:
                return NONE
            name = celtypes.StringType(str(tree.children[1]))
            inner = target.value
            if isinstance(inner, celtypes.MapType):
                if name in inner:
                    return OptionalValue(inner[name], present=True)
                return _no_such_key(name)
            return ErrorValue("no such overload")
        if isinstance(target, celtypes.MapType):
            name = str(tree.children[1])
            if "__" in name and name not in target:
                actual = unescape(name)
                if actual != name and actual in target:
                    return target[actual]
        self._known = (tree.children[0], target)  # pyright: ignore[reportAttributeAccessIssue]
        return super().member_dot(tree)

    def member_index(self, tree: Tree) -> Any:
        target = self._target(tree)
        if isinstance(target, OptionalValue):
            key = self.visit(tree.children[1])  # pyright: ignore[reportArgumentType]
            if isinstance(key, CELEvalError) or not target.present:
                return key if isinstance(key, CELEvalError) else NONE
            found = _lookup(target.value, key)
            if isinstance(found, OptionalValue) and not found.present:
                return _no_such_key(key)
            return found
        self._known = (tree.children[0], target)  # pyright: ignore[reportAttributeAccessIssue]
        return super().member_index(tree)


class Runner(celpy.InterpretedRunner):
    _base: Any = None

    def evaluate(self, context: Any) -> Any:
        # The base activation (the type annotations and functions) is the same for every
        # evaluation and never changed by one: each evaluation nests its variables on top of
        # it (Evaluator.set_activation). Building it was a fifth of a small rule's time.
        base = self._base
        if base is None:
            base = self._base = self.new_activation()
        evaluator = KubernetesEvaluator(self.ast, activation=base)
        return evaluator.evaluate(context)
