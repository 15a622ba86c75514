"""The Kubernetes URL library (k8s.io/apiserver/pkg/cel/library `URLs`): url(), isURL(),
getScheme(), getHost(), getHostname(), getPort(), getEscapedPath(), getQuery(). Parsing
follows Go's url.ParseRequestURI, which upstream uses: an absolute URL or an absolute path,
no fragment."""

from __future__ import annotations

import re
import urllib.parse

from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, no_overload, string
from netlint.cel.values import Opaque

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PORT = re.compile(r"[0-9]*")
# Go's shouldEscape(c, encodePath): unreserved characters and these stay as they are.
_PATH_SAFE = "$&+,/:;=@-_.~"


class URL(Opaque):
    def __init__(self, text: str, parts: urllib.parse.SplitResult) -> None:
        self.text = text
        self.parts = parts

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, URL) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    @property
    def host(self) -> str:
        return self.parts.netloc.rpartition("@")[2]


def parse_url(text: str) -> URL:
    invalid = Failed(f"URL {text!r} parse error during conversion from string")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text) or "#" in text:
        raise invalid
    if not (_SCHEME.match(text) or text.startswith("/")):
        raise invalid
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise invalid from None
    url = URL(text, parts)
    host = url.host
    if host.startswith("["):
        if "]" not in host:
            raise invalid
    elif ":" in host and not _PORT.fullmatch(host.rpartition(":")[2]):
        raise invalid
    return url


def url(value: object) -> URL:
    return parse_url(string(value))


def is_url(value: object) -> celtypes.BoolType:
    try:
        parse_url(string(value))
    except Failed:
        return celtypes.BoolType(False)
    return celtypes.BoolType(True)


def _url(value: object, function: str) -> URL:
    if not isinstance(value, URL):
        raise no_overload(function, value)
    return value


def get_scheme(value: object) -> celtypes.StringType:
    return celtypes.StringType(_url(value, "getScheme").parts.scheme)


def get_host(value: object) -> celtypes.StringType:
    return celtypes.StringType(_url(value, "getHost").host)


def get_hostname(value: object) -> celtypes.StringType:
    """The host without its port, an IPv6 literal without its brackets (Go's Hostname)."""
    host = _url(value, "getHostname").host
    if host.startswith("["):
        return celtypes.StringType(host[1 : host.index("]")])
    return celtypes.StringType(host.rpartition(":")[0] if ":" in host else host)


def get_port(value: object) -> celtypes.StringType:
    host = _url(value, "getPort").host
    tail = host[host.index("]") + 1 :] if host.startswith("[") else host
    return celtypes.StringType(tail.rpartition(":")[2] if ":" in tail else "")


def get_escaped_path(value: object) -> celtypes.StringType:
    path = urllib.parse.unquote(_url(value, "getEscapedPath").parts.path)
    return celtypes.StringType(urllib.parse.quote(path, safe=_PATH_SAFE))


def get_query(value: object) -> celtypes.MapType:
    query = urllib.parse.parse_qs(_url(value, "getQuery").parts.query, keep_blank_values=True)
    return celtypes.MapType(
        {
            celtypes.StringType(k): celtypes.ListType([celtypes.StringType(v) for v in vs])
            for k, vs in query.items()
        }
    )


FUNCTIONS: dict[str, Function] = {
    "url": cel_function(url),
    "isURL": cel_function(is_url),
    "getScheme": cel_function(get_scheme),
    "getHost": cel_function(get_host),
    "getHostname": cel_function(get_hostname),
    "getPort": cel_function(get_port),
    "getEscapedPath": cel_function(get_escaped_path),
    "getQuery": cel_function(get_query),
}
