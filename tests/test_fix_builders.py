"""`netlint.fixes`: the edits rules build, compared byte for byte with the text they give."""

from __future__ import annotations

import pytest

from netlint.findings import Applicability, Edit, Fix, Path
from netlint.fixes import (
    delete_copy,
    delete_entry,
    delete_item,
    insert_entry,
    replace_scalar,
    replace_string,
)
from netlint.input.edits import apply_fixes
from netlint.input.loader import load_yaml
from netlint.model.manifest import Manifest, objects_of

HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"


def _manifest(text: str) -> Manifest:
    loaded = load_yaml(text, "c.yaml")
    assert loaded.problems == []
    return objects_of(loaded.documents).manifests[0]


def _applied(text: str, edit: Edit | None) -> str:
    assert edit is not None
    fixed, applied = apply_fixes(text, [Fix("t", Applicability.SAFE, (edit,))])
    assert applied
    assert load_yaml(fixed, "c.yaml").problems == []
    return fixed


def _deleted(body: str, path: Path) -> str:
    text = HEAD + body
    return _applied(text, delete_entry(_manifest(text), path))[len(HEAD) :]


# -- deleting a mapping entry --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "key", "expected"),
    [
        ("data: {a: '1', b: '2'}\n", "b", "data: {a: '1'}\n"),
        ("data: {a: '1', b: '2'}\n", "a", "data: {b: '2'}\n"),
        ("data: {b: '2'}\n", "b", "data: {}\n"),
        ("data: {a: '1', b: '2', c: '3'}\n", "b", "data: {a: '1', c: '3'}\n"),
        # After a collection: its brackets close it again, and no `, ` is left behind.
        ("x: {a: {p: '1'}, b: '2'}\n", "b", "x: {a: {p: '1'}}\n"),
        ("x: {a: [p, [q]], b: '2'}\n", "b", "x: {a: [p, [q]]}\n"),
        ("x: {a: '1',b: '2'}\n", "b", "x: {a: '1'}\n"),
        ("x: {\n  a: '1',\n  b: '2'\n}\n", "b", "x: {\n  a: '1'\n}\n"),
    ],
)
def test_deleting_from_a_flow_mapping_leaves_no_stray_comma(
    body: str, key: str, expected: str
) -> None:
    top = body.split(":", maxsplit=1)[0]
    assert _deleted(body, (top, key)) == expected


def test_deleting_a_collection_from_the_end_of_a_flow_mapping_is_not_offered() -> None:
    text = HEAD + "x: {a: '1', b: {p: '2'}}\n"
    assert delete_entry(_manifest(text), ("x", "b")) is None


def test_block_deletion_keeps_the_comment_lines_around_the_entry() -> None:
    body = (
        "data:\n"
        "  # about a\n"
        "  a: '1'   # a's own comment goes with it\n"
        "  # about b\n"
        "  b: '2'\n"
        "  c: '3'\n"
        "  # after c\n"
    )
    assert _deleted(body, ("data", "a")) == (
        "data:\n  # about a\n  # about b\n  b: '2'\n  c: '3'\n  # after c\n"
    )
    assert _deleted(body, ("data", "c")) == (
        "data:\n  # about a\n  a: '1'   # a's own comment goes with it\n  # about b\n"
        "  b: '2'\n  # after c\n"
    )


def test_block_deletion_of_a_first_key_of_a_list_item() -> None:
    body = "x:\n- a: 1\n  b: 2\n- a: 1\n  # about b\n  b: 2\n"
    text = HEAD + body
    manifest = _manifest(text)
    assert _applied(text, delete_entry(manifest, ("x", 0, "a")))[len(HEAD) :] == (
        "x:\n- b: 2\n- a: 1\n  # about b\n  b: 2\n"
    )
    assert _applied(text, delete_entry(manifest, ("x", 1, "a")))[len(HEAD) :] == (
        "x:\n- a: 1\n  b: 2\n- \n  # about b\n  b: 2\n"
    )


def test_block_deletion_of_a_multi_line_value() -> None:
    body = "data:\n  a: |\n    one\n    two\n  b: '2'\n"
    assert _deleted(body, ("data", "a")) == "data:\n  b: '2'\n"
    assert _deleted(body, ("data", "b")) == "data:\n  a: |\n    one\n    two\n"


@pytest.mark.parametrize(
    "body",
    [
        "x:\n  a: {p: 1,\n    q: 2\n  }\n  b: 2\n",  # its `}` is on a line after its last scalar
        "x:\n  a: [p,\n    q]\n  b: 2\n",
    ],
)
def test_a_flow_value_over_several_lines_is_not_deleted_by_lines(body: str) -> None:
    assert delete_entry(_manifest(HEAD + body), ("x", "a")) is None


def test_a_block_list_value_is_deleted_with_its_lines() -> None:
    assert _deleted("x:\n  a:\n  - p\n  - q\n  b: 2\n", ("x", "a")) == "x:\n  b: 2\n"


def test_inserting_after_a_nested_flow_collection_goes_before_the_next_key() -> None:
    text = HEAD + "x: {a: {p: 1}, b: 2}\n"
    edit = insert_entry(_manifest(text), ("x",), "k", "v", after="a")
    assert _applied(text, edit)[len(HEAD) :] == "x: {a: {p: 1}, k: v, b: 2}\n"
    text = HEAD + "x: {b: 2, a: {p: 1}}\n"  # at the end: past a `}` no span gives
    assert insert_entry(_manifest(text), ("x",), "k", "v", after="a") is None


def test_crlf_stays_crlf() -> None:
    text = (HEAD + "data:\n  a: '1'\n  b: '2'\n").replace("\n", "\r\n")
    fixed = _applied(text, delete_entry(_manifest(text), ("data", "a")))
    assert fixed == (HEAD + "data:\n  b: '2'\n").replace("\n", "\r\n")


# -- deleting a list item ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "index", "expected"),
    [
        ("x: [a, b, c]\n", 1, "x: [a, c]\n"),
        ("x: [a, b]\n", 1, "x: [a]\n"),
        ("x: [{p: 1}, {p: 1}]\n", 0, "x: [{p: 1}]\n"),
        ("x: [[a], b]\n", 1, "x: [[a]]\n"),
        ("x:\n- a\n# about b\n- b   # b\n- c\n", 1, "x:\n- a\n- c\n"),
        (
            "x:\n  - port: 80\n    protocol: TCP\n  - port: 80\n    protocol: TCP\n",
            1,
            "x:\n  - port: 80\n    protocol: TCP\n",
        ),
        ("x:\n- port: 80\n- port: 81\n", 0, "x:\n- port: 81\n"),
    ],
)
def test_deleting_a_list_item(body: str, index: int, expected: str) -> None:
    text = HEAD + body
    assert _applied(text, delete_item(_manifest(text), ("x", index)))[len(HEAD) :] == expected


@pytest.mark.parametrize(
    ("body", "index", "expected"),
    [
        ("x: [a, b, a]\n", 2, "x: [a, b]\n"),
        # The last item of a flow list is a mapping: the earlier copy goes instead.
        ("x: [{p: 1}, {p: 2}, {p: 1}]\n", 2, "x: [{p: 2}, {p: 1}]\n"),
        ("x:\n- {p: 1}\n- p: 1\n", 1, "x:\n- {p: 1}\n"),  # the same data, written otherwise
    ],
)
def test_deleting_a_copy(body: str, index: int, expected: str) -> None:
    text = HEAD + body
    assert _applied(text, delete_copy(_manifest(text), ("x", index)))[len(HEAD) :] == expected


def test_an_item_that_is_no_copy_is_not_deleted() -> None:
    text = HEAD + "x: [a, b, c]\n"
    assert delete_copy(_manifest(text), ("x", 2)) is None


def test_the_only_item_is_not_deleted() -> None:
    text = HEAD + "x:\n- a\n"
    assert delete_item(_manifest(text), ("x", 0)) is None


# -- replacing a string in its quoting -----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Web", "web"),
        ('"Web"', '"web"'),
        ("'Web'", "'web'"),
        ("Web   # comment", "web   # comment"),
    ],
)
def test_a_string_keeps_its_quoting(written: str, expected: str) -> None:
    text = HEAD + f"data:\n  a: {written}\n"
    fixed = _applied(text, replace_string(_manifest(text), ("data", "a"), "web"))
    assert fixed == HEAD + f"data:\n  a: {expected}\n"


@pytest.mark.parametrize(
    "written",
    [
        '"W\\x65b"',  # an escape: the text between the quotes is not the value
        "'it''s'",
        "! Web",  # a tag: as wide as a quoted scalar
        "&anchor Web",
        '"Web\n    Site"',  # two lines
    ],
)
def test_a_string_written_otherwise_is_not_replaced(written: str) -> None:
    text = HEAD + f"data:\n  a: {written}\n"
    value = _manifest(text).data["data"]["a"]  # type: ignore[index]
    assert isinstance(value, str)
    assert replace_string(_manifest(text), ("data", "a"), value.lower()) is None


def test_a_value_that_needs_quotes_gets_them_when_plain() -> None:
    text = HEAD + "data:\n  a: Web\n"
    fixed = _applied(text, replace_scalar(_manifest(text), ("data", "a"), "yes"))
    assert fixed == HEAD + 'data:\n  a: "yes"\n'
    text = HEAD + "data:\n  a: 'Web'\n"
    assert replace_string(_manifest(text), ("data", "a"), "it's") is None


# -- anchors and aliases -------------------------------------------------------------------

ANCHORED = HEAD + (
    "  labels: &labels {app: Web}\n"
    "  annotations:\n"
    "    <<: *labels\n"
    "    own: Web\n"
    "data: *labels\n"
    "binaryData:\n"
    "  copy: *labels\n"
)


@pytest.mark.parametrize(
    "path",
    [("data", "app"), ("binaryData", "copy", "app"), ("metadata", "annotations", "app")],
)
def test_nothing_is_edited_through_an_alias_or_a_merge_key(path: Path) -> None:
    manifest = _manifest(ANCHORED)
    assert replace_string(manifest, path, "web") is None
    assert delete_entry(manifest, path) is None


def test_the_anchored_node_itself_can_be_edited() -> None:
    # Where it is written: its aliases, in the same document, change with it.
    manifest = _manifest(ANCHORED)
    edit = replace_string(manifest, ("metadata", "labels", "app"), "web")
    assert _applied(ANCHORED, edit) == ANCHORED.replace("{app: Web}", "{app: web}")
    edit = replace_string(manifest, ("metadata", "annotations", "own"), "web")
    assert _applied(ANCHORED, edit) == ANCHORED.replace("own: Web", "own: web")
