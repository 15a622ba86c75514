"""A large file parsed in parts (`netlint.input.parts`) gives exactly what one parse gives: the
same documents, data, position tables and plain texts; and a text that a part cannot parse
alone is parsed whole."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from netlint.input import parts
from netlint.input.limits import Limits
from netlint.input.loader import load_yaml
from tests.corpus import corpus_dir
from tests.helpers import FIXTURES_ROOT

_SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-{0}\n"
    "  annotations: {{a: 'yes', b: 0755}}\nspec:\n  ports:\n  - {{port: 80, name: x}}\n"
    "  - port: 81\n    targetPort: on\n"
)


def _as_list(indent: int, count: int, head: str = "apiVersion: v1\nkind: List\n", tail: str = "",
             between: str = "") -> str:  # fmt: skip
    pad = " " * indent
    items = "".join(
        pad + "- " + _SERVICE.format(n).rstrip("\n").replace("\n", "\n" + pad + "  ") + "\n"
        + between
        for n in range(count)
    )  # fmt: skip
    return head + "items:\n" + items + tail


_KUBECTL_TAIL = 'kind: List\nmetadata:\n  resourceVersion: ""\n'

CUT = {
    "list at the margin": _as_list(0, 5),
    "list indented": _as_list(2, 5),
    "kubectl get -o yaml": _as_list(0, 5, head="apiVersion: v1\n", tail=_KUBECTL_TAIL),
    "kubectl, indented": _as_list(2, 5, head="apiVersion: v1\n", tail=_KUBECTL_TAIL),
    "comments between items": _as_list(0, 5, between="# between\n\n"),
    "comments left of indented items": _as_list(2, 5, between="# at 0\n  # at 2\n\n"),
    "block scalar with a dash": "kind: List\nitems:\n- a: |\n    x\n    - y\n- c: 1\n- d: 2\n",
    "null items": "kind: List\nitems:\n-\n- \n- c: 1\n-  d: 2\n",
    "plain texts": "kind: List\nitems:\n- yes\n- 0755\n- 1.10\n- ~\n- 'q'\n- 0x1F\n",
    "inline merge in an item": "kind: List\nitems:\n- <<: {a: 1}\n  b: 2\n- c: 1\n- d: 2\n",
    "no final line break": _as_list(0, 3).rstrip("\n"),
    "documents": "a: 1\n---\nb: 2\n--- # c\n---\n...\n---\nc: [1, 2]\n--- |\n  text\n---\nd: yes\n",
    "documents after a comment": "# lead\n---\nb: 2\n---\nc: 3\n",
    "nesting just under the cap": "kind: List\nitems:\n- " + "[" * 97 + "]" * 97 + "\n- a\n",
}

WHOLE = {  # parsed whole: each part would report a problem, or misread the text
    "duplicate root key after the items": _as_list(0, 3, tail="kind: List\n"),
    "quote open across items": "kind: List\nitems:\n- a: 'x\n- b'\n- c: 1\n- d: 2\n",
    "flow open across items": "kind: List\nitems:\n- a: [x,\n- b]\n- c: 1\n- d: 2\n",
    "a tag": "kind: List\nitems:\n- a: !foo 1\n- d: 2\n- e: 3\n",
    "duplicate key in an item": "kind: List\nitems:\n- a: 1\n  a: 2\n- c: 1\n- d: 2\n",
    "a syntax error": "a: 1\n---\nb: [2\n---\nc: 3\n",
    "an alias without anchor": "kind: List\nitems:\n- a: *x\n- b: 2\n- c: 3\n",
    "nesting past the cap": "kind: List\nitems:\n- " + "[" * 99 + "]" * 99 + "\n- a\n",
}

NOT_CUT = {
    "an anchor": "a: &x 1\n---\nb: *x\n---\nc: 3\n",
    "a directive": "%YAML 1.1\n---\na: 1\n---\nb: 2\n",
    "carriage returns": "a: 1\r\n---\r\nb: 2\r\n---\r\nc: 3\r\n",
    "a tab at a line's start": "a: 1\n---\nb:\n\t- 2\n---\nc: 3\n",
    "one document ended by ...": "a: 1\n...\nb: 2\n---\nc: 3\n",
    "a root line that is not a plain key": _as_list(0, 3, tail="kind: List\n- oops\n"),
    "items not first of the sequences": "kind: List\nother:\n- x\nitems:\n- a: 1\n- b: 2\n",
}


def _documents(text: str) -> list[tuple[object, ...]]:
    loaded = load_yaml(text, "f.yaml")
    return [(d.index, d.data, list(d.flat), d.plain_texts) for d in loaded.documents]


def _in_parts(text: str) -> list[tuple[object, ...]] | None:
    """The documents from the parts, None when the file is parsed whole; checks the cut."""
    planned = parts.plan_parts(text, Limits(), 64)
    if planned is None:
        return None
    assert len(planned) > 1 or planned[0].kind == parts.DOCUMENTS
    assert planned[0].start == 0 and planned[-1].end == len(text)
    assert all(a.end == b.start for a, b in pairwise(planned))
    assert all(text.count("\n", 0, part.start) == part.line for part in planned)
    loaded = [parts.load_part(text, part, "f.yaml", Limits()) for part in planned]
    assembled = parts.assemble(planned, loaded, "f.yaml")
    if assembled is None:
        return None
    return [(d.index, d.data, list(d.flat), d.plain_texts) for d in assembled.documents]


@pytest.fixture(autouse=True)
def _finest_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "PART_CHARS", 1)  # a part at every place the text may be cut


@pytest.mark.parametrize("text", CUT.values(), ids=CUT.keys())
def test_a_text_cut_in_parts_loads_as_one_parse_does(text: str) -> None:
    planned = parts.plan_parts(text, Limits(), 64)
    assert planned is not None and len(planned) >= 2
    assert _in_parts(text) == _documents(text)


@pytest.mark.parametrize("text", WHOLE.values(), ids=WHOLE.keys())
def test_a_part_that_is_not_clean_sends_the_file_to_one_parse(text: str) -> None:
    assert parts.plan_parts(text, Limits(), 64) is not None
    assert _in_parts(text) is None


@pytest.mark.parametrize("text", NOT_CUT.values(), ids=NOT_CUT.keys())
def test_what_a_part_cannot_see_is_never_cut(text: str) -> None:
    assert parts.plan_parts(text, Limits(), 64) is None


def test_a_file_near_the_document_cap_is_not_cut() -> None:
    text = "---\na: 1\n" * 9
    assert parts.plan_parts(text, Limits(max_documents=10), 64) is None
    assert parts.plan_parts(text, Limits(max_documents=11), 64) is not None


def _texts() -> list[Path]:
    found = sorted(FIXTURES_ROOT.rglob("*.yaml"))
    corpus = corpus_dir()
    if corpus is not None:
        found += sorted(p for p in corpus.rglob("*") if p.suffix in (".yaml", ".yml"))
    return found


def test_every_fixture_and_corpus_file_loads_the_same_in_parts_as_a_file_and_as_a_list() -> None:
    cut = 0
    for path in _texts():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        documents = [d for d in text.split("\n---\n") if d.strip()]
        wrapped = "apiVersion: v1\nkind: List\nitems:\n" + "".join(
            "- " + d.strip("\n").replace("\n", "\n  ") + "\n" for d in documents
        )
        for variant in (text, wrapped):
            got = _in_parts(variant)
            if got is not None:
                cut += 1
                assert got == _documents(variant), path
    assert cut > 20
