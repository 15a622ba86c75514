"""What a rule reports: severities, locations and findings."""

from __future__ import annotations

import enum
from dataclasses import field

from netlint.pickling import tuple_pickled
from netlint.records import record


class Severity(enum.IntEnum):
    """Ordered so that `a >= b` means "a is at least as severe as b"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            allowed = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {allowed})") from None


# The findings of reading, parsing and running the rules themselves. No `select`, `ignore`,
# `fail-on` or `severity` entry turns them off or down, as ruff always reports a syntax error:
# a run that could not read or check a file must never look like a clean one. Only
# `per-file-ignores` and an inline suppression silence one, for that file.
ALWAYS_REPORTED = frozenset(
    {
        "yaml-syntax",
        "yaml-duplicate-key",
        "file-unreadable",
        "helm-template",
        "input-limit",
        "manifest-shape",
        "internal-error",
    }
)


# A path inside a document's data: mapping keys and sequence indexes, e.g. ("spec", "ports", 1).
Path = tuple["str | int", ...]


@tuple_pickled
@record(frozen=True, slots=True)
class Location:
    """A 1-based line and column in a source; the end is exclusive and on the same or a later line."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


@tuple_pickled
@record(frozen=True, slots=True)
class ObjectRef:
    """The Kubernetes object a finding is about, for messages, fingerprints and suppressions."""

    kind: str
    namespace: str | None
    name: str

    def __str__(self) -> str:
        if self.namespace:
            return f"{self.kind} {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"


class Applicability(enum.Enum):
    """Whether `--fix` applies a fix (SAFE: the meaning is unchanged or certainly what was
    meant) or only `--unsafe-fixes` does (UNSAFE: it changes what the object does)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


# A column that stands for the end of its line (before the line break), in an `Edit`.
END_OF_LINE = (1 << 24) - 1


@tuple_pickled
@record(frozen=True, slots=True)
class Edit:
    """Replace the text from (line, column) up to (end_line, end_column), exclusive, with
    `text`: 0-based lines as the YAML parser numbers them and columns in code points, as the
    loader's spans are. Equal ends insert, an empty `text` deletes. A column of `END_OF_LINE`
    (or past the line's end) is the end of that line; a "\\n" in `text` is written as the line
    break of the line the edit starts on, so CRLF files stay CRLF."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str

    @property
    def start(self) -> tuple[int, int]:
        return (self.line, self.column)

    @property
    def end(self) -> tuple[int, int]:
        return (self.end_line, self.end_column)


@tuple_pickled
@record(frozen=True, slots=True)
class Fix:
    """What `netlint check --fix` can do about a finding: edits of the finding's file, applied
    all together or not at all, never overlapping one another."""

    title: str  # short, imperative: "quote the value", "use networking.k8s.io/v1"
    applicability: Applicability
    edits: tuple[Edit, ...]

    def applies(self, unsafe: bool) -> bool:
        return unsafe or self.applicability is Applicability.SAFE


@tuple_pickled
@record(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    location: Location
    obj: ObjectRef | None = None
    # Path of the offending node inside the object; part of the baseline fingerprint.
    obj_path: Path = ()
    hint: str | None = None
    # Filled by the filters, never by rules: why this finding is suppressed (None: it is not).
    suppression: str | None = field(default=None, compare=False)
    # What `--fix` can do about it (`Fix`); None: nothing.
    fix: Fix | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message)
