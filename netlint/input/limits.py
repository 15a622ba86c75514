"""The loader's caps and what it hands back: `Limits`, the budget a whole file shares, the
exception that stops a document or a file at a cap, `Problem` and `LoadResult`.

Caps (DESIGN §10), each an `input-limit` problem, so that no later stage can be made to hang:

- nesting depth: well above any real manifest (the deepest CRD schemas nest about 40 levels) and
  far enough below Python's recursion limit that pickling a document for a worker process, or any
  library that walks data recursively, cannot hit it;
- alias expansion: aliases share objects, so the *text* stays small, but every walk over the
  data (rules, schema validation, fingerprints) visits each expanded node. A document is refused
  where Kubernetes' own decoder refuses it (go-yaml's "excessive aliasing" ratio: at most 99% of
  a document's nodes may come from aliases, less for large ones), which keeps every walk within a
  constant factor of the text; and the nodes reached through aliases in a whole file are capped
  at two per character of its text (a million at most), however many documents it has, so that
  no walk and no position table costs more than a constant factor of the input's size;
- documents per file, and syntax errors per file: recovery after an error re-parses from the next
  `---` line, which must not turn a file of broken documents into quadratic work.
"""

from __future__ import annotations

from dataclasses import field

from netlint.input.document import Document, PackedSpan, Span
from netlint.records import record


@record(frozen=True, slots=True)
class Limits:
    """Caps of DESIGN §10; reaching one is an `input-limit` finding for that document or file."""

    max_depth: int = 100
    max_documents: int = 10_000
    # Nodes a document would have with every alias expanded. A real manifest stays far below;
    # a billion-laughs document explodes past it while its text is tiny.
    max_expanded_nodes: int = 1_000_000
    # Nodes reached through aliases in the whole file, all documents together: at most
    # `alias_nodes_per_char` per character of its text (at least `min_alias_nodes`), and never
    # more than `max_alias_nodes`. Every later walk over the data (rules, schema validation,
    # position lookups, reporters) then costs a constant factor of the input's size, however
    # many documents or files it has. Real files stay far below: the corpus's largest share of
    # aliased nodes is 3 nodes in a 73 KB file.
    max_alias_nodes: int = 1_000_000
    alias_nodes_per_char: int = 2
    min_alias_nodes: int = 1_000
    # Syntax errors after which the rest of the file is not read (each one restarts the parser).
    max_syntax_errors: int = 100


@record(frozen=True, slots=True)
class Problem:
    """Something the loader reports itself; it becomes a finding of `rule_id`."""

    rule_id: str
    message: str
    span: Span
    document: int | None  # index of the document it belongs to (None: the file)


@record(slots=True)
class LoadResult:
    documents: list[Document] = field(default_factory=lambda: list[Document]())
    problems: list[Problem] = field(default_factory=lambda: list[Problem]())


# go-yaml v2's alias check (decode.go, since v2.2.4; sigs.k8s.io/yaml uses it): a document fails
# with "document contains excessive aliasing" when more than 100 of its decoded nodes come from
# aliases and those are more than 99% (small documents) down to 10% (from 4M nodes) of all.
_ALIAS_RATIO_LOW = 400_000
_ALIAS_RATIO_HIGH = 4_000_000


def excessive_aliasing(aliased: int, decoded: int) -> bool:
    if aliased <= 100 or decoded <= 1000:
        return False
    if decoded <= _ALIAS_RATIO_LOW:
        allowed = 0.99
    elif decoded >= _ALIAS_RATIO_HIGH:
        allowed = 0.10
    else:
        allowed = 0.99 - 0.89 * (decoded - _ALIAS_RATIO_LOW) / (
            _ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW
        )
    return aliased > decoded * allowed


class Budget:
    """What a whole file may still spend, shared by the builders of its parts."""

    __slots__ = ("alias_nodes", "max_alias_nodes")

    def __init__(self, limits: Limits, text_length: int) -> None:
        self.alias_nodes = 0
        by_size = max(limits.min_alias_nodes, limits.alias_nodes_per_char * text_length)
        self.max_alias_nodes = min(limits.max_alias_nodes, by_size)


class LimitReached(Exception):
    def __init__(self, message: str, span: PackedSpan) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
