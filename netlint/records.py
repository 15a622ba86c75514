"""`record`: `dataclasses.dataclass` for netlint's plain data classes, at a fraction of the import cost.

`dataclass` writes the source of up to six methods per class (`__init__`, `__repr__`, `__eq__`,
`__hash__`, and a frozen class's `__setattr__` and `__delattr__`) and compiles each: about 0.5 ms
a class here, and a one-file `netlint check` creates some sixty classes before it reads the file
(issue 31, item 2). A record is the same dataclass (`fields`, `replace`, `asdict`, pattern
matching, `__dataclass_params__`, pickling, subclassing by a dataclass all behave alike), but only
its `__init__` is compiled: the other methods are shared functions over the fields' values, with
the results of `dataclass`'s own (the same repr text, tuple equality and hash). Anything beyond
what netlint's records use (a dataclass base, `InitVar`, keyword-only fields, a field named `self`)
is handed to `dataclass` itself.
"""

from __future__ import annotations

import abc
import dataclasses
import inspect
import operator
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

F = TypeVar("F", bound=Callable[..., Any])

# What tells a type checker that `record` makes dataclasses (typing's own from Python 3.11).
# Imported "as itself" because pyright counts the decorator below as a use of the stand-in.
if TYPE_CHECKING:
    from typing_extensions import dataclass_transform as dataclass_transform  # noqa: PLC0414
else:

    def dataclass_transform(**_: object) -> Callable[[F], F]:
        return lambda decorator: decorator


C = TypeVar("C", bound=type)

Values = Callable[[Any], tuple[Any, ...]]


class _Factory:
    """What a factory field's default is in `__init__`'s signature, as `dataclass` shows it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()
_PLACEHOLDER_DOC = "(being made a record)"


@overload
@dataclass_transform(field_specifiers=(dataclasses.field, Field))
def record(cls: C, /) -> C: ...


@overload
def record(*, eq: bool = True, frozen: bool = False, slots: bool = False) -> Callable[[C], C]: ...


def record(
    cls: C | None = None, /, *, eq: bool = True, frozen: bool = False, slots: bool = False
) -> C | Callable[[C], C]:
    """`@dataclass(eq=..., frozen=..., slots=...)`, with `init`, `repr` and `match_args` on."""

    def wrap(cls: C) -> C:
        return _make(cls, eq=eq, frozen=frozen, slots=slots)

    return wrap if cls is None else wrap(cls)


def _unsupported(cls: type) -> bool:
    for base in cls.__mro__[1:]:
        if dataclasses.is_dataclass(base):
            fields = dataclasses.fields(base)
            if len(fields) != len(getattr(base, "__dataclass_fields__")):  # noqa: B009
                return True  # an InitVar (or a ClassVar) of a base: left to dataclass
            if any(f.kw_only is True or f.name == "self" for f in fields):
                return True
    annotations = inspect.get_annotations(cls)  # as written: strings here
    for name, annotation in annotations.items():
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if name == "self" or "InitVar" in text or "KW_ONLY" in text:
            return True
        default: object = cls.__dict__.get(name)
        if isinstance(default, Field) and cast("Field[object]", default).kw_only is True:
            return True
    return False


def _make(cls: C, *, eq: bool, frozen: bool, slots: bool) -> C:
    if _unsupported(cls):
        return cast("C", dataclasses.dataclass(eq=eq, frozen=frozen, slots=slots)(cls))
    # On a dataclass base, dataclass checks the frozenness of both and writes the frozen
    # methods itself; otherwise they are shared functions too.
    based = any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:])
    documented = bool(cls.__doc__)
    if not documented:
        cls.__doc__ = _PLACEHOLDER_DOC  # dataclass would read a signature without __init__
    # Fields, defaults, `__match_args__` and the slotted class from dataclass; no method yet.
    plain = dataclasses.dataclass(
        init=False, repr=False, eq=False, frozen=frozen and based, slots=slots
    )
    made = cast("type", plain(cls))
    fields = dataclasses.fields(made)
    has_explicit_hash = _has_explicit_hash(made)
    _set_new(made, _init(made, fields, frozen=frozen, slots=slots))
    _set_new(made, _repr([f.name for f in fields if f.repr]))
    if eq:
        _set_new(made, _eq(_values([f.name for f in fields if f.compare])))
    if frozen and not based:
        # `cls`, not `made`: dataclass's methods test for the class before slots made it anew.
        for method in _frozen_methods(cls, frozenset(f.name for f in fields)):
            if _set_new(made, method):
                raise TypeError(
                    f"Cannot overwrite attribute {method.__name__} in class {made.__name__}"
                )
        if slots:  # a frozen slotted class pickles its fields as a list, as dataclass's does
            for method in _pickling_methods():
                _set_new(made, method)
    if eq and not has_explicit_hash:
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        made.__hash__ = _named(made, _hash(_values(hashed))) if frozen else None  # pyright: ignore[reportAttributeAccessIssue]
    params: Any = getattr(made, "__dataclass_params__")  # noqa: B009 - not in typeshed
    params.init, params.repr, params.eq, params.frozen = True, True, eq, frozen
    if not documented:
        try:
            signature = str(inspect.signature(made)).replace(" -> None", "")
        except (TypeError, ValueError):
            signature = ""
        made.__doc__ = made.__name__ + signature
    abc.update_abstractmethods(made)
    return cast("C", made)


def _named(cls: type, method: F) -> F:
    method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
    return method


def _set_new(cls: type, method: Callable[..., Any]) -> bool:
    """Add a method unless the class body defines one of its name (True then), as dataclass
    does."""
    if method.__name__ in cls.__dict__:
        return True
    setattr(cls, method.__name__, _named(cls, method))
    return False


def _has_explicit_hash(cls: type) -> bool:
    class_hash = cls.__dict__.get("__hash__", MISSING)
    return not (class_hash is MISSING or (class_hash is None and "__eq__" in cls.__dict__))


def _init(
    cls: type, fields: tuple[Field[Any], ...], *, frozen: bool, slots: bool
) -> Callable[..., None]:
    """The one compiled method: as dataclass writes it, with the same signature."""
    namespace: dict[str, Any] = {
        "__name__": cls.__module__,
        "_FACTORY": _FACTORY,
        "_setattr": object.__setattr__,
    }
    params: list[str] = ["self"]
    body: list[str] = []
    seen_default = False
    for f in fields:
        default = f"_dflt_{f.name}"
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if f.init:
            if has_default:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
        if f.default_factory is not MISSING:
            namespace[default] = f.default_factory
            if f.init:
                params.append(f"{f.name}=_FACTORY")
                value = f"{default}() if {f.name} is _FACTORY else {f.name}"
            else:
                value = f"{default}()"
        elif f.init:
            if f.default is not MISSING:
                namespace[default] = f.default
                params.append(f"{f.name}={default}")
            else:
                params.append(f.name)
            value = f.name
        elif f.default is not MISSING and slots:
            namespace[default] = f.default
            value = default
        else:
            continue  # read from the class attribute that holds the default
        body.append(
            f"  _setattr(self, {f.name!r}, {value})" if frozen else f"  self.{f.name} = {value}"
        )
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "  pass")
    exec(source, namespace)  # source written above from the fields' names
    init: Callable[..., None] = namespace["__init__"]
    init.__annotations__ = {f.name: f.type for f in fields if f.init} | {"return": None}
    return init


def _values(names: list[str]) -> Values:
    """The tuple of the named fields of an object (what dataclass compares and hashes)."""
    if not names:
        return lambda obj: ()
    get = operator.attrgetter(*names)
    if len(names) > 1:
        return get
    return lambda obj: (get(obj),)


def _repr(names: list[str]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        fields = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
        return f"{self.__class__.__qualname__}({fields})"

    return __repr__


def _eq(values: Values) -> Callable[[Any, object], bool]:
    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(values: Values) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _frozen_methods(
    cls: type, names: frozenset[str]
) -> tuple[Callable[[Any, str, Any], None], Callable[[Any, str], None]]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _pickling_methods() -> tuple[
    Callable[[Any], list[object]], Callable[[Any, list[object]], None]
]:
    def __getstate__(self: Any) -> list[object]:
        return [getattr(self, f.name) for f in dataclasses.fields(self)]

    def __setstate__(self: Any, state: list[object]) -> None:
        for f, value in zip(dataclasses.fields(self), state):  # noqa: B905 - as dataclass's own
            object.__setattr__(self, f.name, value)

    return __getstate__, __setstate__
