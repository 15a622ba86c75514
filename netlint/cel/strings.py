"""cel-go's extended strings library (`ext.Strings`, the version Kubernetes enables):
charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, join, substring, trim.
Indexes count code points, as cel-go's do."""

from __future__ import annotations

from typing import Any, cast

from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, integer, string

# Go's unicode.IsSpace, which strings.TrimSpace strips (Python's str.strip strips more).
_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _out_of_range(index: int) -> Failed:
    return Failed(f"index out of range: {index}")


def char_at(text: object, index: object) -> celtypes.StringType:
    value, position = string(text), integer(index)
    if position < 0 or position > len(value):
        raise _out_of_range(position)
    return celtypes.StringType(value[position : position + 1])


def string_index_of(text: object, sub: object, offset: object = None) -> celtypes.IntType:
    value, needle = string(text), string(sub)
    start = 0 if offset is None else integer(offset)
    if start < 0 or start > len(value):
        raise _out_of_range(start)
    return celtypes.IntType(value.find(needle, start))


def string_last_index_of(text: object, sub: object, offset: object = None) -> celtypes.IntType:
    value, needle = string(text), string(sub)
    last = len(value) if offset is None else integer(offset)
    if offset is not None and (last < 0 or last >= max(len(value), 1)):
        raise _out_of_range(last)
    # `offset` is the last position the substring may start at.
    return celtypes.IntType(value.rfind(needle, 0, last + len(needle)))


def lower_ascii(text: object) -> celtypes.StringType:
    value = string(text)
    return celtypes.StringType("".join(c.lower() if c.isascii() else c for c in value))


def upper_ascii(text: object) -> celtypes.StringType:
    value = string(text)
    return celtypes.StringType("".join(c.upper() if c.isascii() else c for c in value))


def replace(text: object, old: object, new: object, count: object = None) -> Any:
    value, before, after = string(text), string(old), string(new)
    limit = -1 if count is None else integer(count)
    return celtypes.StringType(value.replace(before, after, limit))


def split(text: object, separator: object, count: object = None) -> celtypes.ListType:
    """Go's strings.SplitN: n == 0 gives no parts, n < 0 all of them, an empty separator
    splits between characters."""
    value, sep = string(text), string(separator)
    limit = -1 if count is None else integer(count)
    if limit == 0:
        return celtypes.ListType()
    if sep == "":
        parts = list(value)
        if 0 < limit < len(parts):
            parts = [*parts[: limit - 1], "".join(parts[limit - 1 :])]
    else:
        parts = value.split(sep, limit - 1 if limit > 0 else -1)
    return celtypes.ListType([celtypes.StringType(p) for p in parts])


def join(items: object, separator: object = None) -> celtypes.StringType:
    if not isinstance(items, list):
        raise Failed("no such overload: join on a non-list")
    sep = "" if separator is None else string(separator)
    return celtypes.StringType(sep.join(string(i) for i in cast("list[object]", items)))


def substring(text: object, start: object, end: object = None) -> celtypes.StringType:
    value = string(text)
    first = integer(start)
    last = len(value) if end is None else integer(end)
    if first < 0 or first > len(value):
        raise _out_of_range(first)
    if last < 0 or last > len(value):
        raise _out_of_range(last)
    if first > last:
        raise Failed(f"invalid substring range. start: {first}, end: {last}")
    return celtypes.StringType(value[first:last])


def trim(text: object) -> celtypes.StringType:
    return celtypes.StringType(string(text).strip(_SPACE))


FUNCTIONS: dict[str, Function] = {
    "charAt": cel_function(char_at),
    "lowerAscii": cel_function(lower_ascii),
    "upperAscii": cel_function(upper_ascii),
    "replace": cel_function(replace),
    "split": cel_function(split),
    "join": cel_function(join),
    "substring": cel_function(substring),
    "trim": cel_function(trim),
}
