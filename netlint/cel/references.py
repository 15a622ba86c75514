"""What a parsed expression reads: its free top-level identifiers (`object`, `params`,
`authorizer`...), the fields it selects of `variables` and `request` (`variables.foo`,
`request.userInfo`), and the functions it calls (checked against the libraries at compile
time, as cel-go's checker does). Comprehension variables (`c` in `all(c, ...)`) are bound in
their macro and are no reference."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from lark import Token, Tree

from netlint.cel.comprehensions import is_two_variable

# The macros that bind a variable in their other arguments (cel-spec's macros).
_BINDING_MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
# Names whose selected fields say more than the name (vap decides on `request.userInfo`).
_SELECTED = frozenset({"variables", "request"})
# Single-child wrappers of the grammar above a primary.
_WRAPPERS = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication"}
    | {"unary", "member", "primary", "paren_expr"}
)


@dataclass
class References:
    names: set[str] = field(default_factory=set[str])
    functions: set[str] = field(default_factory=set[str])
    # Macros called in a way cel-go's parser refuses (`[1].all(1, true)`, `has(x)`).
    problems: list[str] = field(default_factory=list[str])


def _subtrees(tree: Tree[Token]) -> Iterator[Tree[Token]]:
    for child in tree.children:
        if isinstance(child, Tree):
            yield child


def _token(tree: Tree[Token], index: int) -> str:
    child = tree.children[index]
    return str(child) if isinstance(child, Token) else ""


def _selects_a_field(node: object) -> bool:
    """Whether an expression is `e.f` (what has() takes)."""
    while isinstance(node, Tree):
        tree = cast("Tree[Token]", node)
        if tree.data in ("member_dot", "member_dot_opt"):
            return True
        if tree.data not in _WRAPPERS or len(tree.children) != 1:
            return False
        node = tree.children[0]
    return False


def simple_identifier(tree: Tree[Token]) -> str | None:
    """`x` if the expression is that bare identifier."""
    while tree.data in _WRAPPERS and len(tree.children) == 1:
        child = tree.children[0]
        if not isinstance(child, Tree):
            return None
        tree = child
    if tree.data == "ident":
        return _token(tree, 0)
    return None


def bind_parts(tree: Tree[Token]) -> tuple[str, Tree[Token], Tree[Token]] | None:
    """(variable, value, body) of `cel.bind(variable, value, body)`, cel-go's Bindings macro;
    None for any other call."""
    if tree.data != "member_dot_arg" or len(tree.children) < 3 or _token(tree, 1) != "bind":
        return None
    target, arguments = tree.children[0], tree.children[2]
    if not isinstance(target, Tree) or simple_identifier(target) != "cel":
        return None
    if not isinstance(arguments, Tree):
        return None
    expressions = list(_subtrees(arguments))
    variable = simple_identifier(expressions[0]) if len(expressions) == 3 else None
    if variable is None:
        return None
    return variable, expressions[1], expressions[2]


def _walk(tree: Tree[Token], bound: frozenset[str], found: References) -> None:
    kind = tree.data
    if kind == "ident":
        name = _token(tree, 0)
        if name not in bound:
            found.names.add(name)
        return
    if kind == "dot_ident":  # `.x`: the root scope, whatever is bound
        found.names.add(_token(tree, 0))
        return
    if kind == "ident_arg" and _token(tree, 0) == "has":
        arguments = list(_subtrees(tree))
        argument = arguments[0].children if arguments and arguments[0].data == "exprlist" else []
        if len(argument) != 1 or not _selects_a_field(argument[0]):
            found.problems.append("invalid argument to has() macro")
    if kind in ("ident_arg", "dot_ident_arg"):
        found.functions.add(_token(tree, 0))
        for child in _subtrees(tree):
            _walk(child, bound, found)
        return
    if kind == "member_dot":
        target = tree.children[0]
        if isinstance(target, Tree):
            name = simple_identifier(target)
            if name in _SELECTED and name not in bound:
                found.names.add(f"{name}.{_token(tree, 1)}")
            _walk(target, bound, found)
        return
    if kind == "member_dot_arg" and bind_parts(tree) is not None:
        variable, initial, body = bind_parts(tree) or ("", tree, tree)
        _walk(initial, bound, found)
        _walk(body, bound | {variable}, found)
        return
    if kind == "member_dot_arg":
        target, method = tree.children[0], _token(tree, 1)
        arguments = tree.children[2] if len(tree.children) > 2 else None
        if isinstance(target, Tree):
            _walk(target, bound, found)
        if not isinstance(arguments, Tree):
            found.functions.add(method)
            return
        expressions = list(_subtrees(arguments))
        if is_two_variable(method, len(expressions)):
            _walk_two_variable(method, expressions, bound, found)
            return
        variable = simple_identifier(expressions[0]) if expressions else None
        if method in _BINDING_MACROS and variable is None and len(expressions) >= 2:
            found.problems.append(f"argument must be a simple name: {method}()")
        if method in _BINDING_MACROS and variable is not None and len(expressions) >= 2:
            for expression in expressions[1:]:
                _walk(expression, bound | {variable}, found)
            return
        found.functions.add(method)
        for expression in expressions:
            _walk(expression, bound, found)
        return
    for child in _subtrees(tree):
        _walk(child, bound, found)


def _walk_two_variable(
    method: str, expressions: list[Tree[Token]], bound: frozenset[str], found: References
) -> None:
    """`x.all(i, v, p)`, `x.transformList(i, v, [filter,] e)`...: two names bound in the
    other arguments (cel-go's ext/comprehensions.go refuses the same checks at parse time)."""
    first, second = (simple_identifier(expression) for expression in expressions[:2])
    if first is None or second is None:
        found.problems.append(f"argument must be a simple name: {method}()")
        return
    if first == second:
        found.problems.append(f"duplicate variable name: {first}")
        return
    for expression in expressions[2:]:
        _walk(expression, bound | {first, second}, found)


def references(tree: Tree[Token]) -> References:
    found = References()
    _walk(tree, frozenset(), found)
    return found
