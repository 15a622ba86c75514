"""Compact pickling for the slotted dataclasses that cross the workers' pipe and sit in the cache.

dataclasses pickles a frozen, slotted class by walking `fields()` again for every object, and
`copyreg` pickles a plain slotted one as a dict of slot values: for a file's result (its
findings, objects and pod templates) either way costs as much as all the rest of unpickling it.
Here the state is one tuple of field values, put back through the slots' own descriptors, which
also sets the fields of a frozen class.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any, TypeVar

C = TypeVar("C", bound=type)

StateOf = Callable[[Any], tuple[object, ...]]
PutState = Callable[[Any, tuple[object, ...]], None]


def slot_state(cls: type, names: Sequence[str]) -> tuple[StateOf, PutState]:
    """The tuple of `names` of an instance of `cls`, and how to set them back on one."""
    read = operator.attrgetter(*names)
    setters = tuple(getattr(cls, name).__set__ for name in names)  # slots' member descriptors

    def state_of(obj: Any) -> tuple[object, ...]:
        found = read(obj)
        return found if len(names) > 1 else (found,)

    def put_state(obj: Any, state: tuple[object, ...]) -> None:
        for set_slot, value in zip(setters, state):  # noqa: B905 (runs per object: no strict)
            set_slot(obj, value)

    return state_of, put_state


def tuple_pickled(cls: C) -> C:
    """Class decorator for a `@dataclass(slots=True)`: pickle every field as one tuple."""
    state_of, put_state = slot_state(cls, [item.name for item in fields(cls)])

    def __getstate__(self: Any) -> tuple[object, ...]:
        return state_of(self)

    def __setstate__(self: Any, state: tuple[object, ...]) -> None:
        put_state(self, state)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
    return cls
