"""The Kubernetes format library (k8s.io/apiserver/pkg/cel/library `Format`): `format.named(n)`,
`format.dns1123Label()` and the other named formats, and `<Format>.validate(s)`, which is
`optional.none()` for a valid string and otherwise the list of the API server's own texts.

The name formats check what apimachinery's `NameIsDNSLabel`, `NameIsDNSSubdomain`,
`NameIsDNS1035Label` (with the prefix variants, for `generateName`), `IsQualifiedName` and
`IsValidLabelValue` check. netlint already words those in `netlint.model.k8s_names`, which this
package (the bottom layer) does not import: the policy engine hands them over with `install`
when it loads the evaluator (before that, using one is an evaluation error). The CRD formats
(`uri`, `uuid`, `byte`, `date`, `datetime`) follow kube-openapi's strfmt and Go's
`url.ParseRequestURI`, as upstream does; where strfmt accepts several layouts (date-times with
or without a zone) this accepts them all, so that a rule never fails on a value the API
server's check would pass.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from collections.abc import Callable, Mapping

from celpy import celtypes

from netlint.cel import formatting
from netlint.cel.calls import Failed, Function, cel_function, no_overload, string
from netlint.cel.optional import NONE, OptionalValue
from netlint.cel.values import Opaque

Validator = Callable[[str], list[str]]

# strfmt's UUID: the hyphenated form or 32 hexadecimal digits, any version.
_UUID = re.compile(
    r"(?i)^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$"
)
_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class Format(Opaque):
    """A named format: what `validate` checks a string against."""

    def __init__(self, name: str, validator: Validator) -> None:
        self.name = name
        self.validator = validator

    def __str__(self) -> str:
        return self.name


def _uri_problems(text: str) -> list[str]:
    """Go's url.ParseRequestURI: an absolute URI or an absolute path (its common refusals,
    worded as Go words them)."""
    if not text:
        return [f'parse "{text}": empty url']
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        return [f'parse "{text}": net/url: invalid control character in URL']
    if not (_SCHEME.match(text) or text.startswith("/")):
        return [f'parse "{text}": invalid URI for request']
    rest = text.split(":", 1)[1] if _SCHEME.match(text) else text
    if rest.startswith("//"):
        host = rest[2:].split("/", 1)[0].split("?", 1)[0].rpartition("@")[2]
        if host.startswith("[") and "]" not in host:
            return [f"parse \"{text}\": missing ']' in host"]
        port = host.rpartition("]")[2] if host.startswith("[") else host
        if ":" in port and not port.rpartition(":")[2].isdigit() and port.rpartition(":")[2]:
            return [f'parse "{text}": invalid port "{":" + port.rpartition(":")[2]}" after host']
    return []


def _strfmt(
    pattern: re.Pattern[str], problem: str, check: Callable[[str], object] | None = None
) -> Validator:
    def validate(text: str) -> list[str]:
        if not pattern.match(text):
            return [problem]
        if check is not None:
            try:
                check(text)
            except (ValueError, binascii.Error):
                return [problem]
        return []

    return validate


def _datetime(text: str) -> object:
    """The date and the hour and minute must exist (2021-02-30 does not), at the positions the
    pattern puts them; the rest is the pattern's."""
    datetime.date.fromisoformat(text[:10])
    return datetime.time.fromisoformat(text[11:16])


_CRD_FORMATS: dict[str, Format] = {
    "uri": Format("URI", _uri_problems),
    "uuid": Format("uuid", _strfmt(_UUID, "does not match the UUID format")),
    "byte": Format("byte", _strfmt(_BASE64, "invalid base64", base64.b64decode)),
    "date": Format("date", _strfmt(_DATE, "invalid date", datetime.date.fromisoformat)),
    "datetime": Format("datetime", _strfmt(_DATETIME, "invalid datetime", _datetime)),
}
# name -> (Format name, the `netlint.model.k8s_names`-style validator's key, a prefix?)
_NAME_FORMATS = {
    "dns1123Label": ("DNS1123Label", "dns1123Label", False),
    "dns1123Subdomain": ("DNS1123Subdomain", "dns1123Subdomain", False),
    "dns1035Label": ("DNS1035Label", "dns1035Label", False),
    "qualifiedName": ("QualifiedName", "qualifiedName", None),
    "dns1123LabelPrefix": ("DNS1123LabelPrefix", "dns1123Label", True),
    "dns1123SubdomainPrefix": ("DNS1123SubdomainPrefix", "dns1123Subdomain", True),
    "dns1035LabelPrefix": ("DNS1035LabelPrefix", "dns1035Label", True),
    "labelValue": ("LabelValue", "labelValue", None),
}
FORMATS: dict[str, Format] = dict(_CRD_FORMATS)
# `format.x()`: the receiver is the identifier `format`, which the evaluator resolves to the
# strings library's `format` function (the evaluator looks functions up by name alone).
_FORMAT_IDENTIFIER = formatting.FUNCTIONS["format"]


def _mask_trailing_dash(name: str) -> str:
    """apimachinery's `maskTrailingDash`, as written: a trailing `-` and the character before
    it become one `a` (a `generateName` is checked as the name it would start)."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def _name_check(validator: Validator, prefix: bool | None) -> Validator:
    """`NameIsDNS*(name, prefix)`."""
    if not prefix:
        return validator
    return lambda text: validator(_mask_trailing_dash(text))


def install(validators: Mapping[str, Validator]) -> None:
    """Declare the name formats, checked by `validators` (keys: dns1123Label,
    dns1123Subdomain, dns1035Label, qualifiedName, labelValue)."""
    for name, (shown, key, prefix) in _NAME_FORMATS.items():
        FORMATS[name] = Format(shown, _name_check(validators[key], prefix))


def _namespace(receiver: object, function: str) -> None:
    if receiver is not _FORMAT_IDENTIFIER:
        raise no_overload(function, receiver)


def named(receiver: object, name: object) -> OptionalValue:
    _namespace(receiver, "format.named")
    found = FORMATS.get(string(name))
    return NONE if found is None else OptionalValue(found, present=True)


def validate(receiver: object, value: object) -> OptionalValue:
    if not isinstance(receiver, Format):
        raise no_overload("validate", receiver, value)
    problems = receiver.validator(string(value))
    if not problems:
        return NONE
    return OptionalValue(
        celtypes.ListType([celtypes.StringType(p) for p in problems]), present=True
    )


def _constant(name: str) -> Function:
    def get(receiver: object) -> Format:
        _namespace(receiver, f"format.{name}")
        found = FORMATS.get(name)
        if found is None:
            raise Failed(f"format.{name} is not declared (netlint's name formats not installed)")
        return found

    return cel_function(get)


FUNCTIONS: dict[str, Function] = {
    "named": cel_function(named),
    "validate": cel_function(validate),
    **{name: _constant(name) for name in (*_CRD_FORMATS, *_NAME_FORMATS)},
}
