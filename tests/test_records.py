"""`netlint.records.record` makes the same classes as `dataclasses.dataclass` (issue 31, item 2).

Each case's class body is made twice, once by each decorator, and everything a user of the class
can see is compared: the signature and docstring, repr, equality and hash, frozenness and its
errors, fields, `replace`, `asdict`, pattern matching, copying and pickling, and a dataclass that
subclasses it. No pytest import: `python3.X tests/test_records.py` runs the same checks on another
interpreter (the helper leans on dataclass internals that change between Python versions).
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from typing import Any

from netlint.records import record

# (decorator arguments, class body, arguments of two instances that differ and one equal to the
# first). Names in the bodies: `field`; the class is always `Thing`.
CASES: list[tuple[dict[str, bool], str, list[tuple[Any, ...]]]] = [
    (
        {"frozen": True, "slots": True},
        '''
        """A documented thing."""
        name: str
        port: int
        protocol: str | None = None
        tags: tuple[str, ...] = ()
        note: str | None = field(default=None, compare=False)
        ''',
        [("a", 1), ("a", 2, "TCP", ("x",)), ("a", 1, None, (), "other note")],
    ),
    (
        {"frozen": True, "slots": True},
        """
        kind: str
        """,
        [("Service",), ("Pod",), ("Service",)],
    ),
    (
        {"frozen": True, "slots": True},
        """
        items: list[int] = field(default_factory=lambda: [])
        extra: dict[str, int] = field(default_factory=dict, repr=False)
        """,
        [(), ([1],), ([], {"a": 1})],
    ),
    ({"frozen": True, "slots": True}, "pass", [(), (), ()]),
    (
        {"slots": True},
        """
        count: int
        seen: set[str] = field(default_factory=set)
        memo: dict[str, int] | None = field(default=None, init=False, repr=False)

        def __post_init__(self) -> None:
            self.memo = {"count": self.count}
        """,
        [(1,), (2, {"x"}), (1,)],
    ),
    (
        {"slots": True, "eq": False},
        """
        count: int = 0
        """,
        [(1,), (2,), (1,)],
    ),
    (
        {},
        '''
        """Not slotted, not frozen."""
        name: str
        size: int = 3
        late: int = field(default=7, init=False)
        ''',
        [("a",), ("b", 4), ("a",)],
    ),
    (
        {"frozen": True},
        """
        name: str
        size: int = 3

        def __hash__(self) -> int:
            return 42
        """,
        [("a",), ("b", 4), ("a",)],
    ),
    (
        {"frozen": True, "slots": True},
        """
        name: str

        def __eq__(self, other: object) -> bool:
            return True

        def __repr__(self) -> str:
            return "mine"
        """,
        [("a",), ("b",), ("a",)],
    ),
]


def _make(
    decorator: Callable[..., Any], options: dict[str, bool], body: str, base: type | None = None
) -> type:
    source = f"class Thing({'Base' if base else ''}):\n" + textwrap.indent(
        textwrap.dedent(body).strip() or "pass", "    "
    )
    module = types.ModuleType("records_case")
    module.__dict__["field"] = dataclasses.field
    module.__dict__["Base"] = base
    # As in netlint's modules: annotations stay strings.
    exec(compile(source, "<case>", "exec", flags=annotations_flag()), module.__dict__)
    sys.modules["records_case"] = module
    made = decorator(**options)(module.__dict__["Thing"])
    module.__dict__["Thing"] = made
    return made


def annotations_flag() -> int:
    import __future__

    return __future__.annotations.compiler_flag


def _outcome(action: Callable[[], object]) -> tuple[str, str]:
    try:
        return ("ok", repr(action()))
    except Exception as error:
        return (type(error).__name__, str(error))


def _what_users_see(cls: type, arguments: list[tuple[Any, ...]]) -> Iterator[object]:
    yield str(inspect.signature(cls))
    yield cls.__doc__
    yield cls.__match_args__  # pyright: ignore[reportAttributeAccessIssue]
    yield cls.__dict__.get("__slots__")
    yield repr(getattr(cls, "__dataclass_params__"))  # noqa: B009
    yield [
        (f.name, f.type, f.default, f.init, f.repr, f.compare, f.hash, f.kw_only)
        for f in dataclasses.fields(cls)
    ]
    yield cls.__hash__ is None
    first, second, same = (cls(*args) for args in arguments)
    names = [*[f.name for f in dataclasses.fields(cls)][:1], "not_a_field"]
    for args in arguments:  # on objects of their own: these may change them
        for name in names:
            changed = cls(*args)
            yield _outcome(lambda changed=changed, name=name: setattr(changed, name, 9))
            yield repr(changed)
            yield _outcome(lambda changed=changed, name=name: delattr(changed, name))
    for obj in (first, second):
        yield repr(obj)
        yield dataclasses.asdict(obj)
        yield dataclasses.astuple(obj)
        if cls.__hash__ is not object.__hash__:  # not by identity: the same number
            yield _outcome(lambda obj=obj: hash(obj))
        yield repr(dataclasses.replace(obj))
        yield repr(copy.copy(obj)), repr(copy.deepcopy(obj))
        yield obj.__reduce_ex__(2)[2]  # the pickled state
        yield repr(pickle.loads(pickle.dumps(obj)))
        yield pickle.loads(pickle.dumps(obj)) == obj
        match obj:
            case cls():
                yield "matched"
    yield first == second, first == same, first != same, first == "other"
    yield _outcome(lambda: hash(first) == hash(same))
    yield _outcome(lambda: cls(1, 2, 3, 4, 5, 6, 7))
    yield _outcome(lambda: cls(nope=1))


def _subclass_sees(cls: type, options: dict[str, bool]) -> Iterator[object]:
    """A dataclass built on the class: its own checks read the base's parameters."""
    for frozen in (True, False):
        outcome = _outcome(
            lambda frozen=frozen: (
                dataclasses.dataclass(frozen=frozen)(
                    type("Sub", (cls,), {"__annotations__": {"more": "int"}, "more": 0})
                ).__init__.__doc__
            )
        )
        yield frozen, outcome[0], options


def _compare(
    options: dict[str, bool],
    body: str,
    arguments: list[tuple[Any, ...]],
    base: type | None = None,
) -> None:
    stock = _make(dataclasses.dataclass, options, body, base)
    stock_sees = list(_what_users_see(stock, arguments)) + list(_subclass_sees(stock, options))
    mine = _make(record, options, body, base)
    mine_sees = list(_what_users_see(mine, arguments)) + list(_subclass_sees(mine, options))
    for index, (expected, got) in enumerate(zip(stock_sees, mine_sees, strict=True)):
        assert got == expected, (options, body, index, expected, got)


def test_a_record_is_the_dataclass_the_same_body_makes() -> None:
    for options, body, arguments in CASES:
        _compare(options, body, arguments)


@dataclasses.dataclass(frozen=True, slots=True)
class _FrozenBase:
    path: tuple[str, ...]
    detail: str = ""


@dataclasses.dataclass(slots=True)
class _PlainBase:
    count: int


def test_a_record_on_a_dataclass_base_is_the_same_dataclass() -> None:
    for base in (_FrozenBase, record(frozen=True, slots=True)(type("Base", (), {}))):
        body = "at: tuple[str, ...] | None = None\nof_pods: bool = False"
        _compare({"frozen": True, "slots": True}, body, [(("a",),), (("b",), "x"), (("a",),)], base)
    _compare({"slots": True}, "size: int = 0", [(1,), (2, 3), (1,)], _PlainBase)
    # dataclass's own refusals stay.
    for decorator in (dataclasses.dataclass, record):
        assert (
            _outcome(lambda decorator=decorator: _make(decorator, {}, "x: int = 0", _FrozenBase))[0]
            == "TypeError"
        )


def test_a_record_compiles_only_its_init() -> None:
    """What saves the import time: one compiled method, the others shared functions."""
    mine = _make(record, {"frozen": True, "slots": True}, "name: str\nport: int = 0")
    methods = ("__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
    assert all(mine.__dict__[name].__code__.co_filename != "<string>" for name in methods)
    assert mine.__dict__["__init__"].__code__.co_filename == "<string>"
    assert mine.__dict__["__repr__"].__qualname__ == "Thing.__repr__"


def test_what_a_record_cannot_be_is_left_to_dataclass() -> None:
    keyword_only = "name: str = field(kw_only=True)"
    made = _make(record, {"frozen": True, "slots": True}, keyword_only)
    assert made(name="x").name == "x"
    assert made.__dict__["__eq__"].__code__.co_filename == "<string>"  # dataclass's own


if __name__ == "__main__":  # another interpreter: `python3.13 tests/test_records.py`
    test_a_record_is_the_dataclass_the_same_body_makes()
    test_a_record_on_a_dataclass_base_is_the_same_dataclass()
    test_a_record_compiles_only_its_init()
    test_what_a_record_cannot_be_is_left_to_dataclass()
    print(f"records: same as dataclasses on Python {sys.version.split()[0]}")
