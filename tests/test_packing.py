"""Packed documents (DESIGN §9: trees are dropped after the per-file work): after the per-file
stage a document keeps its data and positions as compact blobs and rebuilds them on first use.
Nothing a rule, a reporter or a pickle sees may differ."""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator

import pytest

from netlint.api import Settings
from netlint.input.document import (
    SCAN_WINDOW,
    Document,
    Node,
    Span,
    unload_all,
    unloading_afterwards,
)
from netlint.input.limits import Limits
from netlint.input.loader import load_yaml
from netlint.input.reading import Source
from netlint.model.inventory import Inventory
from netlint.model.manifest import Manifest, objects_of
from netlint.run.per_file import FileResult, FileStage, FindingMaker
from netlint.run.registry import load_rules
from tests.helpers import node_paths, schemas


@pytest.fixture(autouse=True)
def _nothing_stays_loaded() -> Iterator[None]:
    """Unpacked data is process-wide: whatever a test leaves loaded, even when it fails, is
    dropped before the next."""
    yield
    unload_all()


TEXT = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {on: yes, mode: 0755}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: web, image: "web:1", ports: [{name: http, containerPort: 8080}]}]
"""


def _view(document: Document) -> tuple[Node, list[Span], dict[int, str]]:
    """Data, the span of every node and key, and the plain texts: all a document tells."""
    spans: list[Span] = []
    for path in node_paths(document.data):
        spans.append(document.span_of(path))
        spans.append(document.span_of(path, on_key=True))
    return document.data, spans, dict(document.plain_texts)


def _documents(text: str) -> list[Document]:
    return load_yaml(text, "app.yaml").documents


def test_a_packed_document_reads_as_before() -> None:
    for document in _documents(TEXT):
        before = _view(document)
        document.pack()
        assert document.packed is not None
        assert _view(document) == before


def test_positions_past_what_four_byte_words_hold_survive_packing() -> None:
    # Lines and columns of 65,536 and more need the wide span words.
    long_line = 'a: ["' + "x" * 70_000 + '", 1]\nb: 2\n'
    many_lines = "a: |\n" + "  x\n" * 70_000 + "b: 2\n"
    for text in (long_line, many_lines):
        (document,) = _documents(text)
        before = _view(document)
        assert max(max(span) for span in before[1]) > 65_535
        document.pack()
        assert _view(document) == before


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("a: 1\nb: [x, y]\n", 2),  # lines and columns below 256: the 2-byte words
        ("---\n" + "k: v\n" * 200 + "z: [1, 2]\n", 2),  # all within lines 0-255
        ("\n" * 300 + "a: 1\nb: [x, y]\n", 2),  # all within lines 256-511: one block
        ("\n" * 250 + "a: 1\n" + "k: v\n" * 20, 4),  # lines 250-270 span two blocks
        ("a: " + "x" * 300 + "\nb: 2\n", 4),  # a column past 255
    ],
)
def test_positions_in_each_width_of_span_words_survive_packing(text: str, width: int) -> None:
    (document,) = _documents(text)
    before = _view(document)
    words = document.span_words()
    document.pack()
    assert document.packed_flat[0] == width
    assert _view(document) == before
    # What the cache stores stays the narrow form, whatever memory keeps.
    assert document.span_words() == words and words[0] in (4, 8)
    assert Document.span_word_count(words) == len(document.flat)


def test_unload_all_drops_what_was_read_and_the_next_read_rebuilds_it() -> None:
    document = _documents(TEXT)[0]
    document.pack()
    first = document.data
    assert first == document.data
    unload_all()
    again = document.data
    assert again is not first  # rebuilt from the blob, not kept
    assert again == first


def test_a_manifest_follows_its_document_into_a_list_item() -> None:
    documents = _documents(TEXT)
    manifests = objects_of(documents).manifests
    before = [(m.data, m.span_of(("spec",)), m.labels) for m in manifests]
    result = FileResult("app.yaml", True, manifests=manifests)
    result.pack()
    assert [(m.data, m.span_of(("spec",)), m.labels) for m in manifests] == before
    assert manifests[1].base == ("items", 0)


def test_a_pickled_result_keeps_its_objects_and_templates_together() -> None:
    rules = load_rules()
    stage = FileStage(
        [rule for rule in rules.rules if rule.kinds != frozenset()],
        Settings(),
        schemas(),
        FindingMaker(frozenset(rule.meta.id for rule in rules.rules), {}),
        Limits(),
    )
    result = stage.process(Source("app.yaml", TEXT, None), True)
    before = [m.data for m in result.manifests]
    (template,) = result.templates
    assert template.owner is result.manifests[1]
    result.pack()
    copy = pickle.loads(pickle.dumps(result))
    assert [m.data for m in copy.manifests] == before
    assert copy.templates[0].owner is copy.manifests[1]
    assert copy.templates[0].ports == template.ports
    assert copy.templates[0].ports[0].name == "http"
    assert (copy.templates[0].labels, copy.templates[0].added_labels) == (
        template.labels,
        template.added_labels,
    )
    assert copy.manifests[0].namespace is sys.intern("shop")  # interned again
    assert [(m.kind, m.name, m.namespace, m.kind_key, m.base) for m in copy.manifests] == [
        (m.kind, m.name, m.namespace, m.kind_key, m.base) for m in result.manifests
    ]
    assert result.findings  # the fixture has some: their fields must all come back
    assert copy.findings == result.findings
    assert (copy.path, copy.checksum, copy.deferred) == (
        result.path,
        result.checksum,
        result.deferred,
    )


def test_slotted_dataclasses_pickle_as_one_tuple_of_fields() -> None:
    result = FileResult("a.yaml", True, real_path="/a.yaml", skipped=True)
    state = result.__getstate__()
    assert isinstance(state, tuple)
    assert state[:3] == ("a.yaml", True, "/a.yaml")
    copy = pickle.loads(pickle.dumps(result))
    assert (copy.path, copy.real_path, copy.skipped, copy.manifests) == (
        "a.yaml",
        "/a.yaml",
        True,
        [],
    )


def _packed_services(count: int) -> list[Manifest]:
    text = "".join(
        f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{index}}}\n"
        "spec: {ports: [{port: 80}]}\n"
        for index in range(count)
    )
    manifests = objects_of(_documents(text)).manifests
    FileResult("many.yaml", True, manifests=manifests).pack()
    return manifests


def _held(manifests: list[Manifest]) -> int:
    """How many of `manifests` hold their data now (without loading any)."""
    held = 0
    for manifest in manifests:
        try:
            object.__getattribute__(manifest, "data")
        except AttributeError:
            continue
        held += 1
    return held


def test_a_scan_holds_a_window_of_objects_and_lets_go_of_them_on_leaving() -> None:
    manifests = _packed_services(3 * SCAN_WINDOW)
    subject = manifests[0]
    assert subject.data["kind"] == "Service"  # loaded before the scan: kept
    with unloading_afterwards():
        for manifest in manifests[1:]:
            assert manifest.data["kind"] == "Service"
            assert _held(manifests[1:]) <= SCAN_WINDOW
    assert _held(manifests) == 1
    assert _held([subject]) == 1
    unload_all()
    assert _held(manifests) == 0


def test_an_inventory_index_keeps_its_facts_not_the_objects_it_scanned() -> None:
    manifests = _packed_services(2 * SCAN_WINDOW)
    inventory = Inventory(manifests)

    def ports(inv: Inventory) -> dict[str, object]:
        return {m.name: m.data["spec"] for m in inv.of_kind("Service")}

    index = inventory.memo("test.ports", ports)
    assert index["s5"] == {"ports": [{"port": 80}]}
    assert _held(manifests) == 0


def test_a_fact_outlives_the_data_and_crosses_a_pickle_and_a_memo_does_not() -> None:
    from netlint.traffic.services import ports_of

    service = objects_of(_documents(TEXT)).manifests[0]
    built: list[str] = []

    def derive(manifest: Manifest) -> str:
        built.append(manifest.name)
        return manifest.name

    ports = ports_of(service)
    assert [(p.name, p.port, p.target) for p in ports] == [("http", 80, "http")]
    assert service.memo("test:memo", derive) == "web"
    result = FileResult("app.yaml", True, manifests=[service])
    result.pack()
    unload_all()
    assert ports_of(service) is ports  # kept through the unload, not parsed again
    assert service.memo("test:memo", derive) == "web"
    assert built == ["web", "web"]  # a memo is derived again after the unload
    (received,) = pickle.loads(pickle.dumps(result, pickle.HIGHEST_PROTOCOL)).manifests
    assert ports_of(received) == ports  # as a worker sends it: the fact comes along
    assert received._facts is not None and "service:ports" in received._facts  # pyright: ignore[reportPrivateUsage]
