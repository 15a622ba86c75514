"""Loading YAML with positions: every node can be located at its exact line and column."""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Callable

import pytest

from netlint.input import document, yaml_events
from netlint.input.limits import Limits
from netlint.input.loader import load_yaml
from netlint.input.yaml_events import STREAM_END, Event, NodeEvent, ScalarArgs, backend
from tests.helpers import FIXTURES_ROOT, node_paths


def load(text: str):
    return load_yaml(textwrap.dedent(text), "x.yaml")


def test_the_c_parser_is_the_one_running() -> None:
    # DESIGN §9: ruamel.yaml's YAML(pure=False) silently falls back to the pure-Python parser,
    # about 30x slower. netlint imports libyaml's binding directly; this fails if it cannot.
    assert backend().is_c, backend().name
    assert "libyaml" in backend().name


# Each node event with an anchor, a tag, a style or a flow style set, and one without.
_EVENTFUL = """\
a: &x !!str [b, {c: 'd'}]
e: *x
f: {g: h}
? i
: |
  j
---
- k
"""


def _events(get: Callable[[], Event], kinds: dict[type, int]) -> list[tuple[int, Event]]:
    found: list[tuple[int, Event]] = []
    while (kind := kinds[type(event := get())]) != STREAM_END:
        found.append((kind, event))
    return found


def test_node_events_carry_the_arguments_of_ruamels_constructors() -> None:
    # The C parser calls each event class with the arguments ruamel.yaml's constructor takes;
    # its node events keep them (yaml_events.NodeEvent), in that order: compared with the events
    # of ruamel.yaml's pure-Python parser, each field for field.
    events = importlib.import_module("ruamel.yaml.events")
    pure = yaml_events._pure_backend()
    c = backend()
    with c.session():
        from_c = _events(c.parse(_EVENTFUL), c.kinds)
    from_pure = _events(pure.parse(_EVENTFUL), pure.kinds)
    assert [kind for kind, _ in from_c] == [kind for kind, _ in from_pure]
    names = {code: name for name, code in yaml_events._EVENT_NAMES.items()}
    compared = 0
    for (kind, made), (_, reference) in zip(from_c, from_pure, strict=True):
        if not isinstance(made, NodeEvent):
            continue
        assert isinstance(reference, NodeEvent)
        built = getattr(events, names[kind])(*made.args)
        expected = getattr(events, names[kind])(*reference.args)
        for field in ("anchor", "tag", "implicit", "value", "style", "flow_style"):
            # A plain scalar's style: '' from libyaml, None from ruamel.yaml; both mean plain.
            found, wanted = getattr(built, field, None), getattr(expected, field, None)
            assert (found or None) == (wanted or None), (kind, field)
        for field in ("start_mark", "end_mark"):
            mark, other = getattr(built, field), getattr(expected, field)
            assert (mark.line, mark.column) == (other.line, other.column), (kind, field)
        compared += 1
    assert compared == 21


def test_ruamels_event_classes_are_back_after_every_parse() -> None:
    # Others in the process may use the C parser: its module has netlint's node events only
    # while netlint parses, even when the text has a syntax error.
    module = importlib.import_module("_ruamel_yaml_clibz")
    originals = {name: getattr(module, name) for name in yaml_events._NODE_EVENTS}
    with backend().session():
        assert module.ScalarEvent is ScalarArgs
    assert load_yaml("a: [b\n", "x.yaml").problems
    assert load_yaml("a: b\n", "x.yaml").documents
    assert {name: getattr(module, name) for name in originals} == originals
    assert originals["ScalarEvent"] is importlib.import_module("ruamel.yaml.events").ScalarEvent


def test_the_pure_python_parser_loads_what_the_c_parser_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fallback where no wheel has the C parser: the same documents, plain texts and
    # positions, but for an empty value (`key:` and nothing): libyaml places it right after
    # the colon, ruamel.yaml's parser at the start of the next line.
    texts = [_EVENTFUL] + [
        path.read_bytes().decode("utf-8", "replace")
        for path in sorted(FIXTURES_ROOT.glob("*/*.yaml"))
        if not path.parent.name.endswith("-limits")  # thousands of endpoints: slow here
    ]

    def loaded() -> list[list[tuple[object, ...]]]:
        return [
            [
                (
                    d.data,
                    d.plain_texts,
                    [
                        d.span_of(path)
                        for path in node_paths(d.data)
                        if _at(d.data, path) is not None
                    ],
                    [d.key_span(path) for path in node_paths(d.data)[1:]],
                )
                for d in load_yaml(text, "x").documents
            ]
            for text in texts
        ]

    with_c = loaded()
    monkeypatch.setattr(yaml_events, "_backend", yaml_events._pure_backend())
    assert not backend().is_c
    assert loaded() == with_c


def _at(node: object, path: tuple[str | int, ...]) -> object:
    for step in path:
        node = node[step]  # type: ignore[index]
    return node


def test_positions_of_keys_values_and_items() -> None:
    result = load(
        """\
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports:
          - name: http
            port: 80
          - {name: https, port: 443}
        """
    )
    (doc,) = result.documents
    assert doc.span_of(("metadata", "name"))[:2] == (3, 8)
    assert doc.key_span(("metadata", "name"))[:2] == (3, 2)
    assert doc.span_of(("spec", "ports", 0))[:2] == (6, 4)
    assert doc.span_of(("spec", "ports", 1, "port"))[:2] == (8, 24)
    # A missing node is located at its deepest existing ancestor.
    assert doc.span_of(("spec", "selector", "app"))[:2] == doc.span_of(("spec",))[:2]


def test_multi_document_stream_keeps_true_line_numbers() -> None:
    result = load(
        """\
        a: 1
        ---
        b: 2
        ...
        ---
        c: 3
        """
    )
    assert [d.data for d in result.documents] == [{"a": 1}, {"b": 2}, {"c": 3}]
    assert result.documents[2].span_of(("c",))[0] == 5


def test_syntax_error_ends_only_its_document() -> None:
    result = load(
        """\
        a: 1
        ---
        b: [1, 2
        ---
        c: 3
        """
    )
    assert [d.data for d in result.documents] == [{"a": 1}, {"c": 3}]
    assert result.documents[1].span_of(("c",))[0] == 4
    (problem,) = result.problems
    assert problem.rule_id == "yaml-syntax"
    assert problem.span[0] == 3  # libyaml notices at the next line


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    result = load(
        """\
        spec:
          port: 80
          port: 81
        """
    )
    (problem,) = result.problems
    assert problem.rule_id == "yaml-duplicate-key"
    assert problem.span[:2] == (2, 2)
    assert "already set at line 2" in problem.message
    assert result.documents[0].data == {"spec": {"port": 81}}


def test_unsafe_tags_are_reported_and_never_constructed() -> None:
    result = load("x: !!python/object/apply:os.system [echo pwned]\n")
    (problem,) = result.problems
    assert problem.rule_id == "yaml-syntax"
    assert "!!python/object/apply:os.system" in problem.message
    assert result.documents[0].data == {"x": ["echo pwned"]}


def test_anchors_aliases_and_merge_keys() -> None:
    result = load(
        """\
        base: &base {app: web, tier: front}
        copy: *base
        merged:
          <<: *base
          tier: back
        """
    )
    data = result.documents[0].data
    assert data == {
        "base": {"app": "web", "tier": "front"},
        "copy": {"app": "web", "tier": "front"},
        "merged": {"tier": "back", "app": "web"},
    }
    assert result.problems == []


def test_a_merge_tag_on_a_merge_key_is_a_merge_as_go_yaml_reads_it() -> None:
    """go-yaml v2 (sigs.k8s.io/yaml) takes `<<` as a merge key when it is plain or tagged
    `!!merge`, quoted or not; `!!merge` is no unknown tag there."""
    result = load(
        """\
        base: &base {app: web, tier: front}
        merged:
          !!merge <<: *base
          tier: back
        quoted:
          !!merge "<<": {app: api}
        plain-quoted:
          "<<": {app: db}
        """
    )
    data = result.documents[0].data
    assert data["merged"] == {"tier": "back", "app": "web"}
    assert data["quoted"] == {"app": "api"}
    assert data["plain-quoted"] == {"<<": {"app": "db"}}  # a quoted key without the tag is a key
    assert result.problems == []


def test_a_merge_tag_elsewhere_is_still_an_unknown_tag() -> None:
    result = load("a: !!merge other\n")
    assert [p.rule_id for p in result.problems] == ["yaml-syntax"]


def test_billion_laughs_is_a_limit_not_an_explosion() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    result = load_yaml("\n".join(lines) + "\n", "bomb.yaml", Limits(max_expanded_nodes=100_000))
    assert [p.rule_id for p in result.problems] == ["input-limit"]
    assert result.documents == []


def test_deep_nesting_is_a_limit_not_a_recursion_error() -> None:
    result = load_yaml("[" * 20_000 + "]" * 20_000 + "\n", "deep.yaml")
    assert [p.rule_id for p in result.problems] == ["input-limit"]


def test_kyaml_flow_style_with_trailing_commas() -> None:
    result = load(
        '{apiVersion: "v1", kind: "Service", metadata: {name: "web",}, spec: {ports: [{port: 80,},],},}\n'
    )
    assert result.problems == []
    assert result.documents[0].data == {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"ports": [{"port": 80}]},
    }


def test_scalars_follow_kubernetes_decoding() -> None:
    data = load('a: yes\nb: "yes"\nc: 0755\nd: 1:20\ne: !!str 5\n').documents[0].data
    assert data == {"a": True, "b": "yes", "c": 0o755, "d": "1:20", "e": "5"}


def test_columns_count_code_points() -> None:
    result = load('a: "é"\nb: x\nc: {"ü": 1, d: 2}\n')
    assert result.documents[0].span_of(("c", "d"))[:2] == (2, 15)


def test_two_syntax_errors_in_one_stream_each_end_only_their_document() -> None:
    result = load(
        """\
        a: 1
        ---
        b: [1, 2
        ---
        c: {x: 1
        ---
        d: 4
        """
    )
    assert [d.data for d in result.documents] == [{"a": 1}, {"d": 4}]
    assert [p.span[0] for p in result.problems] == [3, 5]
    assert result.documents[1].span_of(("d",))[0] == 6


def test_documents_survive_pickling_with_their_positions() -> None:
    import pickle

    result = load("a:\n  b: [x, {c: 1}]\n")
    (doc,) = pickle.loads(pickle.dumps(result.documents))
    assert doc.span_of(("a", "b", 1, "c"))[:2] == (1, 13)


_REORDERED = """\
    base: &base {app: web, tier: [a, b]}
    copy: *base
    merged:
      <<: *base
      tier: back
      dup: 1
      dup: 2
    ? [complex]
    : value
    list:
    - {x: 1, y: [1, {z: 2}]}
    - plain
    - [[deep]]
    """


def test_positions_follow_the_data_through_merges_duplicates_aliases_and_complex_keys() -> None:
    # The flat position table is built in event order; mappings with `<<`, duplicate or complex
    # keys are put back in the data's order, and aliases copy their anchor's positions.
    (doc,) = load(_REORDERED).documents
    assert doc.data == {
        "base": {"app": "web", "tier": ["a", "b"]},
        "copy": {"app": "web", "tier": ["a", "b"]},
        "merged": {"tier": "back", "dup": 2, "app": "web"},
        "?": "value",
        "list": [{"x": 1, "true": [1, {"z": 2}]}, "plain", [["deep"]]],
    }
    expected = {  # path: (value span, key span), 0-based
        ("copy", "app"): ((0, 18, 0, 21), (0, 13, 0, 16)),  # at the anchor
        ("copy", "tier", 1): ((0, 33, 0, 34), (0, 33, 0, 34)),
        ("merged", "app"): ((0, 18, 0, 21), (0, 13, 0, 16)),  # merged from the anchor
        ("merged", "tier"): ((4, 8, 4, 12), (4, 2, 4, 6)),  # explicit key wins
        ("merged", "dup"): ((6, 7, 6, 8), (6, 2, 6, 5)),  # the last duplicate wins
        ("?",): ((8, 2, 8, 7), (7, 2, 7, 3)),  # a complex key is located at the key node
        ("list", 0, "true", 1, "z"): ((10, 20, 10, 21), (10, 17, 10, 18)),
        ("list", 2, 0, 0): ((12, 4, 12, 8), (12, 4, 12, 8)),
        ("list", 0, "nope"): ((10, 2, 10, 3), (10, 2, 10, 3)),  # the deepest existing node
    }
    for path, (value_span, key_span) in expected.items():
        assert doc.span_of(path) == value_span, path
        assert doc.span_of(path, on_key=True) == key_span, path


def test_the_position_table_has_two_words_per_node_and_key_after_reordering() -> None:
    # Two words per node and per key, whatever the merges, duplicates, aliases and complex keys
    # (an anchor inside a reordered mapping keeps the positions an alias needs): `span_of`
    # finds a node by counting the sizes of the nodes before it.
    texts = [
        _REORDERED,
        "[{[],[],&n3 {}},{b: *n3}]\n",
        "x: &x {a: 1, b: 2}\ny: &y {b: 3, c: 4}\nz:\n  <<: [*x, *y]\n  a: 9\n  <<: {e: 5}\n",
        "m: &m {<<: {k: 1}, j: 2, j: &inner {q: 1}}\nn: {<<: *m, j: 3}\no: [*m, *inner]\n",
    ]
    for text in texts:
        (doc,) = load(text).documents
        paths = node_paths(doc.data)
        keys = sum(1 for path in paths if path and isinstance(path[-1], str))
        assert len(doc.flat) == 2 * (len(paths) + keys), text


def test_large_containers_are_located_as_by_counting_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Children of a large list or mapping are located from offsets computed once per container
    # (locating each of N items by summing the sizes before it is O(N²)); the answers are those
    # of counting sizes, through duplicate and merge keys, and after the document is packed.
    items = "".join(f"- {{name: item-{i}, ports: [{i}, {{p: {i}}}]}}\n" for i in range(40))
    keys = "".join(f"  k{i}: [v{i}, {{w: {i}}}]\n" for i in range(40))
    text = f"items:\n{items}data:\n  <<: {{m: 1}}\n{keys}  k3: again\n  k7: [x]\n"
    (doc,) = load(text).documents
    paths = node_paths(doc.data)
    located = [(doc.span_of(path), doc.key_span(path)) for path in paths]
    doc.pack()
    assert [(doc.span_of(path), doc.key_span(path)) for path in paths] == located
    monkeypatch.setattr(document, "_DIRECT_CHILDREN", 1_000_000)
    (counted,) = load(text).documents
    assert [(counted.span_of(path), counted.key_span(path)) for path in paths] == located
    assert doc.span_of(("items", 39, "ports", 1, "p"))[:2] == (40, 34)
    assert doc.span_of(("data", "k7", 0))[:2] == (84, 7)  # the last duplicate wins
