"""Values across the door: plain Python data in (lazily for a `Mapping` that is not a dict),
plain Python data out (None, bool, int, float, str, bytes, list, dict)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any, cast

from celpy import celtypes
from celpy.evaluation import CELEvalError

from netlint.cel.errors import CelEvaluationError, ErrorValue
from netlint.cel.optional import OptionalValue

# dict's own methods, called on a LazyMap past its overrides (typed loosely: celpy's MapType
# is a dict of untyped values).
_DICT: Any = dict


class Opaque:
    """A value of a Kubernetes library type (IP, CIDR, URL, Quantity): comes out as its
    string form."""

    def __str__(self) -> str:
        raise NotImplementedError


class LazyMap(celtypes.MapType):
    """A `Mapping` read only where the expression reads it: `__getitem__` per key read, each
    value converted once. A `CelEvaluationError` raised by the source's `__getitem__` is
    that read's CEL error (so `false && variables.broken` is false, as in cel-go); a
    `KeyError` is `no such key`; anything else propagates."""

    def __init__(self, source: Mapping[Any, Any]) -> None:
        super().__init__()
        self._source = source
        self._complete = False

    def __getitem__(self, key: Any) -> Any:
        if not _DICT.__contains__(self, key):
            try:
                value = self._source[key]
            except CelEvaluationError as error:
                return ErrorValue(str(error), missing_key=error.missing_key)
            _DICT.__setitem__(self, key, to_cel(value))
        return _DICT.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        return _DICT.__contains__(self, key) or key in self._source

    def _fill(self) -> LazyMap:
        if not self._complete:
            for key in self._source:
                if not _DICT.__contains__(self, key):
                    self.__getitem__(key)
            self._complete = True
        return self

    def __iter__(self) -> Iterator[Any]:
        return iter(to_cel(key) for key in self._source)

    def __len__(self) -> int:
        return len(self._source)

    def keys(self) -> Any:
        return _DICT.keys(self._fill())

    def values(self) -> Any:
        return _DICT.values(self._fill())

    def items(self) -> Any:
        return _DICT.items(self._fill())

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self[key]
        if default is not None:
            return default
        raise KeyError(key)

    def __eq__(self, other: object) -> bool:
        return celtypes.MapType.__eq__(self._fill(), other)

    def __ne__(self, other: object) -> bool:
        return celtypes.MapType.__ne__(self._fill(), other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyMap({dict(self._fill())!r})"


def to_cel(value: object) -> Any:
    """`value` as the evaluator's types."""
    if value is None or isinstance(value, (celtypes.BoolType, Opaque, CELEvalError, OptionalValue)):
        return value
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.IntType(value)
    if isinstance(value, float):
        return celtypes.DoubleType(value)
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, bytes):
        return celtypes.BytesType(value)
    if isinstance(value, dict):
        mapping = cast("dict[object, object]", value)
        return celtypes.MapType({to_cel(k): to_cel(v) for k, v in mapping.items()})
    if isinstance(value, Mapping):
        return LazyMap(cast("Mapping[object, object]", value))
    if isinstance(value, (list, tuple)):
        items = cast("list[object]", value)
        return celtypes.ListType([to_cel(item) for item in items])
    if isinstance(value, datetime.datetime):
        return celtypes.TimestampType(value)
    if isinstance(value, datetime.timedelta):
        return celtypes.DurationType(value)
    raise TypeError(f"netlint.cel cannot pass a {type(value).__name__} to CEL")


# CEL's names of the types `type(x)` gives.
_TYPE_NAMES: dict[type, str] = {
    celtypes.BoolType: "bool",
    celtypes.IntType: "int",
    celtypes.UintType: "uint",
    celtypes.DoubleType: "double",
    celtypes.StringType: "string",
    celtypes.BytesType: "bytes",
    celtypes.ListType: "list",
    celtypes.MapType: "map",
    LazyMap: "map",
    type(None): "null_type",
    celtypes.TypeType: "type",
    celtypes.DurationType: "google.protobuf.Duration",
    celtypes.TimestampType: "google.protobuf.Timestamp",
}


def from_cel(value: object) -> object:
    """A result as plain Python data."""
    if value is None or isinstance(value, celtypes.NullType):
        return None
    if isinstance(value, celtypes.BoolType):
        return bool(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, Opaque):
        return str(value)
    if isinstance(value, OptionalValue):
        return from_cel(value.value) if value.present else None
    if isinstance(value, Mapping):
        mapping = cast("Mapping[object, object]", value)
        return {from_cel(k): from_cel(v) for k, v in mapping.items()}
    if isinstance(value, list):
        return [from_cel(item) for item in cast("list[object]", value)]
    if isinstance(value, celtypes.TimestampType):
        return datetime.datetime.fromtimestamp(value.timestamp(), tz=datetime.timezone.utc)
    if isinstance(value, celtypes.DurationType):
        return datetime.timedelta(seconds=value.total_seconds())
    if isinstance(value, type):
        return _TYPE_NAMES.get(value, value.__name__)
    raise CelEvaluationError(f"a {type(value).__name__} is not a value")
