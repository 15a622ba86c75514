"""The one adapter between netlint and ruamel.yaml's untyped parser surface.

netlint builds its own light, positioned trees from the libyaml event stream (DESIGN §9): composing
ruamel.yaml nodes or round-trip loading is several times slower. ruamel.yaml 0.19 moved the libyaml
binding to `ruamel.yaml.clibz` (`_ruamel_yaml_clibz`), and `YAML(pure=False)` does not find it, so
the C parser is imported directly here. The pure-Python parser is only a fallback for platforms
without a wheel; `netlint --version` says which one runs, and a test fails if it is the fallback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast


class Mark(Protocol):
    line: int  # 0-based
    column: int  # 0-based, in code points


class Event(Protocol):
    """What netlint reads of a parser event; each kind has only some of these attributes
    (a scalar has `value` and `style`, a collection start `ctag` and `anchor`, an alias `anchor`)."""

    start_mark: Mark
    end_mark: Mark
    value: str
    # The tag object (`str()` gives the tag), or None. ruamel.yaml's `tag` property converts it
    # on every read; reading `ctag` skips a Python call per node for the untagged majority.
    ctag: object | None
    style: str | None
    anchor: str | None


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


def _fast_event_classes() -> dict[str, type]:
    """Subclasses of ruamel.yaml's five per-node event classes whose constructor sets every slot
    itself, where ruamel.yaml's goes through three nested Python `__init__`s: about a fifth of
    the time to stream the events of a typical manifest. The objects are the same classes for
    any other reader (same slots, `tag` property, repr); a test compares every slot with
    ruamel.yaml's own constructor."""
    events = importlib.import_module("ruamel.yaml.events")

    # One statement per slot, no super() chain: this runs once per node of the input.
    def scalar_init(
        self: Any,
        anchor: object,
        tag: object,
        implicit: object,
        value: object,
        start_mark: object = None,
        end_mark: object = None,
        style: object = None,
        comment: object = None,
    ) -> None:
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.value = value
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.style = style
        self.comment = comment

    def start_init(
        self: Any,
        anchor: object,
        tag: object,
        implicit: object,
        start_mark: object = None,
        end_mark: object = None,
        flow_style: object = None,
        comment: object = None,
        nr_items: object = None,
    ) -> None:
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.flow_style = flow_style
        self.comment = comment
        self.nr_items = nr_items

    def end_init(
        self: Any, start_mark: object = None, end_mark: object = None, comment: object = None
    ) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = comment

    fast: dict[str, type] = {}
    for name, init in (
        ("ScalarEvent", scalar_init),
        ("MappingStartEvent", start_init),
        ("SequenceStartEvent", start_init),
        ("MappingEndEvent", end_init),
        ("SequenceEndEvent", end_init),
    ):
        base = cast("type", getattr(events, name))
        fast[name] = type(name, (base,), {"__slots__": (), "__init__": init})
    return fast


@dataclass(frozen=True, slots=True)
class Backend:
    name: str  # "libyaml (ruamel.yaml.clibz)", ...
    is_c: bool
    parse: Callable[[str], Callable[[], Event]]  # text -> get_event
    kinds: dict[type, int]
    error_type: type[Exception]


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
        kinds = {cast("type", getattr(module, name)): code for name, code in _EVENT_NAMES.items()}
        # The C parser builds each event by calling the class named in its module: give it the
        # fast constructors. This changes the module for the whole process, which is safe for
        # any other user of it: the objects are still of ruamel.yaml's classes. Both sets of
        # classes are known here, whichever the parser ends up using.
        for name, fast in _fast_event_classes().items():
            kinds[fast] = _EVENT_NAMES[name]
            setattr(module, name, fast)

        def parse(
            text: str, parser_type: Callable[[str], object] = parser_type
        ) -> Callable[[], Event]:
            parser = cast("_CParser", parser_type(text))
            return parser.get_event

        error_type = cast("type[Exception]", module.YAMLError)
        return Backend(label, True, parse, kinds, error_type)
    return None


def _pure_backend() -> Backend:
    events = importlib.import_module("ruamel.yaml.events")
    error_module = importlib.import_module("ruamel.yaml.error")
    yaml_module = importlib.import_module("ruamel.yaml")
    kinds = {cast("type", getattr(events, name)): code for name, code in _EVENT_NAMES.items()}

    def parse(text: str) -> Callable[[], Event]:
        yaml = yaml_module.YAML(typ="safe", pure=True)
        iterator = cast("Iterator[Event]", iter(yaml.parse(text)))
        return lambda: next(iterator)

    return Backend(
        "pure-Python ruamel.yaml (slow: install ruamel.yaml[libyaml])",
        False,
        parse,
        kinds,
        cast("type[Exception]", error_module.YAMLError),
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
