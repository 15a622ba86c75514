"""Plain YAML scalars resolved the way Kubernetes reads them (DESIGN §4, "Scalars").

kubectl and the API machinery decode YAML with sigs.k8s.io/yaml's fork of go-yaml v2: YAML 1.1
booleans (`yes`, `on`, `y`, ... in three casings), Go integer literals (`0x`, `0o`, `0b`, a leading
zero for octal, `_` separators) and no base-60 numbers. Neither ruamel.yaml's YAML 1.2 resolver nor
PyYAML's 1.1 resolver gives that, so netlint resolves plain scalars itself.
"""

from __future__ import annotations

import re

_TRUE = frozenset(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"])
_FALSE = frozenset(["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"])
_NULL = frozenset(["", "~", "null", "Null", "NULL"])
_SPECIAL_FLOATS: dict[str, float] = {}
for _text in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"):
    _SPECIAL_FLOATS[_text] = float("inf")
for _text in ("-.inf", "-.Inf", "-.INF"):
    _SPECIAL_FLOATS[_text] = float("-inf")
for _text in (".nan", ".NaN", ".NAN"):
    _SPECIAL_FLOATS[_text] = float("nan")

# go-yaml v2 `yamlStyleFloat`: what it accepts as a float after integer parsing failed.
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_MIN_INT64 = -(2**63)
_MAX_UINT64 = 2**64 - 1

# First characters that can start a non-string plain scalar (go-yaml's resolve table); every other
# plain scalar is a string without further work, which keeps the hot path short.
PLAIN_HINTS = frozenset("0123456789+-.yYnNtTfFoO~<")
# The same split, finer, for the loader, which meets every key and value of the input: a plain
# scalar is a string unless it is one of these words or starts like a number (or is empty).
WORDS = _TRUE | _FALSE | _NULL
NUMBER_HINTS = frozenset("0123456789+-.")

Scalar = str | int | float | bool | None


def _parse_go_int(text: str) -> int | None:
    """strconv.ParseInt/ParseUint with base 0 (the `_` separators are already removed)."""
    body = text
    sign = 1
    if body[:1] in ("+", "-"):
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    base = 10
    lowered = body[:2].lower()
    if lowered == "0x":
        base, body = 16, body[2:]
    elif lowered == "0o":
        base, body = 8, body[2:]
    elif lowered == "0b":
        base, body = 2, body[2:]
    elif len(body) > 1 and body[0] == "0":
        base, body = 8, body[1:]
    if not body or not body.isascii() or not body.isalnum():
        return None
    try:
        value = sign * int(body, base)
    except ValueError:
        return None
    if value < _MIN_INT64 or value > _MAX_UINT64:
        return None
    return value


def resolve_plain(text: str) -> Scalar:
    """The value go-yaml v2 gives an untagged plain scalar."""
    if not text:
        return None
    if text[0] not in PLAIN_HINTS:
        return text
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _NULL:
        return None
    special = _SPECIAL_FLOATS.get(text)
    if special is not None:
        return special
    first = text[0]
    if first == ".":
        try:
            return float(text) if _YAML_STYLE_FLOAT.fullmatch(text) else text
        except ValueError:
            return text
    if first.isdigit() or first in "+-":
        plain = text.replace("_", "")
        as_int = _parse_go_int(plain)
        if as_int is not None:
            return as_int
        if _YAML_STYLE_FLOAT.fullmatch(plain):
            return float(plain)
    return text


def resolve_tagged(tag: str, text: str) -> tuple[Scalar, bool]:
    """Resolve a scalar carrying a standard `!!` tag; the flag says whether the tag is known."""
    short = tag.removeprefix("tag:yaml.org,2002:")
    if short in ("str", "binary", "timestamp"):
        return text, True
    if short == "null":
        return None, True
    if short == "bool":
        value = resolve_plain(text)
        return (value if isinstance(value, bool) else text), True
    if short == "int":
        as_int = _parse_go_int(text.replace("_", ""))
        return (text if as_int is None else as_int), True
    if short == "float":
        value = resolve_plain(text)
        return (float(value) if isinstance(value, (int, float)) else text), True
    return text, False


def key_text(key: Scalar) -> str:
    """A mapping key as the JSON conversion of sigs.k8s.io/yaml spells it."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)
