"""Plain scalars decode as Kubernetes' go-yaml v2 decodes them (DESIGN §4, "Scalars")."""

from __future__ import annotations

import math

import pytest

from netlint.input.loader import load_yaml
from netlint.input.scalars import NUMBER_HINTS, WORDS, key_text, resolve_plain, resolve_tagged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Yes", True),
        ("YES", True),
        ("on", True),
        ("ON", True),
        ("y", True),
        ("Y", True),
        ("true", True),
        ("True", True),
        ("no", False),
        ("No", False),
        ("off", False),
        ("Off", False),
        ("n", False),
        ("N", False),
        ("FALSE", False),
        ("", None),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("8080", 8080),
        ("-1", -1),
        ("+7", 7),
        ("1_000", 1000),
        ("0755", 0o755),
        ("0o17", 0o17),
        ("0x1F", 31),
        ("0b101", 5),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        # go-yaml v2 has no base-60 numbers: 1:20 stays a string.
        ("1:20", "1:20"),
        # 08 is not octal; go-yaml then reads it as a float.
        ("08", 8.0),
        ("yesterday", "yesterday"),
        ("nginx", "nginx"),
        ("0.0.0.0", "0.0.0.0"),
        ("2001-12-14", "2001-12-14"),
        ("-", "-"),
        ("v1", "v1"),
    ],
)
def test_plain_scalars_decode_like_go_yaml_v2(text: str, expected: object) -> None:
    value = resolve_plain(text)
    assert value == expected
    assert type(value) is type(expected)


def test_special_floats() -> None:
    assert resolve_plain(".inf") == math.inf
    assert resolve_plain("-.Inf") == -math.inf
    value = resolve_plain(".NaN")
    assert isinstance(value, float) and math.isnan(value)


def test_standard_tags() -> None:
    assert resolve_tagged("tag:yaml.org,2002:str", "0755") == ("0755", True)
    assert resolve_tagged("tag:yaml.org,2002:int", "0x10") == (16, True)
    assert resolve_tagged("tag:yaml.org,2002:bool", "yes") == (True, True)
    assert resolve_tagged("!custom", "x") == ("x", False)


def test_mapping_keys_are_spelled_as_json_keys() -> None:
    assert key_text(True) == "true"
    assert key_text(80) == "80"
    assert key_text(None) == "null"
    assert key_text("app") == "app"


def test_the_shortcut_constants_never_skip_a_scalar_that_is_not_a_string() -> None:
    # The loader keeps a plain scalar as text, without calling resolve_plain, when it is not
    # empty, not one of WORDS and does not start with a NUMBER_HINTS character.
    texts = [chr(code) for code in range(32, 127)] + [chr(code) * 2 for code in range(32, 127)]
    for text in [*_PLAIN, "<<", *texts]:
        shortcut = bool(text) and text[0] not in NUMBER_HINTS and text not in WORDS
        if shortcut:
            assert resolve_plain(text) == text, text


_PLAIN = ["yes", "Off", "~", "NULL", ".inf", "-.Inf", ".NaN", "+7", "0x1F", "1e3", "nginx", "name"]
_PLAIN += ["type", "targetPort", "onion", "Yesterday", "true-ish", "TCP", "0755", "1.10", "y"]


def test_the_loader_decodes_plain_scalars_as_resolve_plain_does() -> None:
    # The same words through the loader itself, shortcut and all.
    text = "".join(f"k{index}: {word}\n" for index, word in enumerate(_PLAIN))
    (document,) = load_yaml(text, "plain.yaml").documents
    assert document.data == {f"k{index}": resolve_plain(word) for index, word in enumerate(_PLAIN)}
