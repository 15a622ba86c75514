"""The one adapter between netlint and ruamel.yaml's untyped parser surface.

netlint builds its own light, positioned trees from the libyaml event stream (DESIGN §9): composing
ruamel.yaml nodes or round-trip loading is several times slower. ruamel.yaml 0.19 moved the libyaml
binding to `ruamel.yaml.clibz` (`_ruamel_yaml_clibz`), and `YAML(pure=False)` does not find it, so
the C parser is imported directly here. The pure-Python parser is only a fallback for platforms
without a wheel; `netlint --version` says which one runs, and a test fails if it is the fallback.

The events of nodes (a scalar, the start and end of a collection) come as their constructor's
positional arguments (`NodeEvent.args`), not as ruamel.yaml's event objects: building those
costs the C parser a call into Python per node, about a tenth of netlint's parse.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Protocol, cast

from netlint.records import record


class Mark(Protocol):
    line: int  # 0-based
    column: int  # 0-based, in code points


class Event(Protocol):
    """What netlint reads of a parser event. A node's event (`NodeEvent`) has only `args`; the
    others (a document's start, an alias...) are ruamel.yaml's, with their marks and `anchor`."""

    start_mark: Mark
    end_mark: Mark
    anchor: str | None
    args: tuple[Any, ...]


class _CParser(Protocol):
    def get_event(self) -> Event: ...


class YAMLErrorLike(Protocol):
    problem: str | None
    problem_mark: Mark | None
    context: str | None


# Kinds of events, as small ints so that the tree builder dispatches with one dict lookup.
# The events that start a node come first: `kind <= MAP_START` tells them apart.
(
    SCALAR,
    SEQ_START,
    MAP_START,
    SEQ_END,
    MAP_END,
    ALIAS,
    STREAM_START,
    STREAM_END,
    DOC_START,
    DOC_END,
) = range(10)

_EVENT_NAMES = {
    "StreamStartEvent": STREAM_START,
    "StreamEndEvent": STREAM_END,
    "DocumentStartEvent": DOC_START,
    "DocumentEndEvent": DOC_END,
    "ScalarEvent": SCALAR,
    "SequenceStartEvent": SEQ_START,
    "SequenceEndEvent": SEQ_END,
    "MappingStartEvent": MAP_START,
    "MappingEndEvent": MAP_END,
    "AliasEvent": ALIAS,
}


class NodeEvent(BaseException):
    """A node's event as the positional arguments of ruamel.yaml's constructor, in `args`:

    - a scalar: (anchor, tag, implicit, value, start_mark, end_mark, style);
    - a collection's start: (anchor, tag, implicit, start_mark, end_mark, flow_style);
    - a collection's end: (start_mark, end_mark).

    BaseException's constructor is C code that keeps any positional arguments: nothing else in
    the standard library builds an object from them without running Python code. Never raised.
    The tag is the parser's (a `Tag` object or a string; `str()` gives the tag) or None."""

    __slots__ = ()


class ScalarArgs(NodeEvent):
    __slots__ = ()


class MappingStartArgs(NodeEvent):
    __slots__ = ()


class SequenceStartArgs(NodeEvent):
    __slots__ = ()


class MappingEndArgs(NodeEvent):
    __slots__ = ()


class SequenceEndArgs(NodeEvent):
    __slots__ = ()


# ruamel.yaml's event class -> the one that stands for it, and its kind.
_NODE_EVENTS: dict[str, tuple[type[NodeEvent], int]] = {
    "ScalarEvent": (ScalarArgs, SCALAR),
    "MappingStartEvent": (MappingStartArgs, MAP_START),
    "SequenceStartEvent": (SequenceStartArgs, SEQ_START),
    "MappingEndEvent": (MappingEndArgs, MAP_END),
    "SequenceEndEvent": (SequenceEndArgs, SEQ_END),
}


@record(frozen=True, slots=True)
class Backend:
    name: str  # "libyaml (ruamel.yaml.clibz)", ...
    is_c: bool
    parse: Callable[[str], Callable[[], Event]]  # text -> get_event
    kinds: dict[type, int]
    error_type: type[Exception]
    # Around every use of `parse`: the C parser builds `NodeEvent`s only within it.
    session: Callable[[], AbstractContextManager[None]]


def _kinds(module: object) -> dict[type, int]:
    kinds = {cast("type", getattr(module, name)): code for name, code in _EVENT_NAMES.items()}
    kinds.update(dict(_NODE_EVENTS.values()))
    return kinds


def _c_backend() -> Backend | None:
    for module_name, label in (
        ("_ruamel_yaml_clibz", "libyaml (ruamel.yaml.clibz)"),
        ("_ruamel_yaml", "libyaml (ruamel.yaml.clib)"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        parser_type = cast("Callable[[str], object]", module.CParser)
        kinds = _kinds(module)

        def parse(
            text: str, parser_type: Callable[[str], object] = parser_type
        ) -> Callable[[], Event]:
            parser = cast("_CParser", parser_type(text))
            return parser.get_event

        @contextmanager
        def session(module: object = module) -> Generator[None]:
            # The C parser builds each event by calling the class named in its module: give it
            # the stand-ins while netlint parses, and ruamel.yaml's classes back afterwards, for
            # any other user of the module. (A thread of the same process that parses with it
            # at that very moment would get stand-ins too.)
            originals = {name: getattr(module, name) for name in _NODE_EVENTS}
            try:
                for name, (stand_in, _) in _NODE_EVENTS.items():
                    setattr(module, name, stand_in)
                yield
            finally:
                for name, original in originals.items():
                    setattr(module, name, original)

        error_type = cast("type[Exception]", module.YAMLError)
        return Backend(label, True, parse, kinds, error_type, session)
    return None


def _pure_backend() -> Backend:
    events = importlib.import_module("ruamel.yaml.events")
    error_module = importlib.import_module("ruamel.yaml.error")
    yaml_module = importlib.import_module("ruamel.yaml")
    # ruamel.yaml's node events, made into the stand-ins the C parser builds.
    stand_ins: dict[type, Callable[[Any], NodeEvent]] = {
        events.ScalarEvent: lambda e: ScalarArgs(
            e.anchor, e.ctag, e.implicit, e.value, e.start_mark, e.end_mark, e.style
        ),
        events.MappingStartEvent: lambda e: MappingStartArgs(
            e.anchor, e.ctag, e.implicit, e.start_mark, e.end_mark, e.flow_style
        ),
        events.SequenceStartEvent: lambda e: SequenceStartArgs(
            e.anchor, e.ctag, e.implicit, e.start_mark, e.end_mark, e.flow_style
        ),
        events.MappingEndEvent: lambda e: MappingEndArgs(e.start_mark, e.end_mark),
        events.SequenceEndEvent: lambda e: SequenceEndArgs(e.start_mark, e.end_mark),
    }

    def parse(text: str) -> Callable[[], Event]:
        yaml = yaml_module.YAML(typ="safe", pure=True)
        iterator = cast("Iterator[Event]", iter(yaml.parse(text)))

        def get() -> Event:
            event = next(iterator)
            make = stand_ins.get(type(event))
            return event if make is None else cast("Event", make(event))

        return get

    return Backend(
        "pure-Python ruamel.yaml (slow: install ruamel.yaml[libyaml])",
        False,
        parse,
        _kinds(events),
        cast("type[Exception]", error_module.YAMLError),
        nullcontext,
    )


_backend: Backend | None = None


def backend() -> Backend:
    global _backend  # noqa: PLW0603 - a lazily imported, immutable module-level handle
    if _backend is None:
        _backend = _c_backend() or _pure_backend()
    return _backend


def error_position(error: Exception) -> tuple[int, int, str]:
    """0-based line and column of a parser error, and its problem text."""
    like = cast("YAMLErrorLike", error)
    mark = getattr(like, "problem_mark", None)
    problem = getattr(like, "problem", None) or str(error)
    context = getattr(like, "context", None)
    text = f"{problem} ({context})" if context else problem
    if mark is None:
        return 0, 0, text
    return mark.line, mark.column, text
