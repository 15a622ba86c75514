"""The Gateway API CRDs' CEL rules that can be checked on one object (reported under `schema`).

The standard-channel CRDs carry `x-kubernetes-validations`: CEL expressions the API server
evaluates after defaulting, and whose `message` it returns when one fails. A JSON Schema cannot say
"unique by name" or "required when kind is Service", so each rule netlint checks is a small Python
function here, keyed by kind (not a CEL interpreter). They follow the v1.6.1 CRDs
(`schemas/tools/gateway-api-crds/`) and report the CEL rule's own message, located at the
offending item rather than at the list the rule sits on (reference §6, GW-02, GW-07, GW-10..12):

- Gateway and ListenerSet listeners: name unique, (port, protocol, hostname) unique, `tls`
  forbidden for HTTP/TCP/UDP, `hostname` forbidden for TCP/UDP, HTTPS needs mode Terminate, TLS
  needs `tls`, Terminate needs `certificateRefs` or `options`;
- routes: `parentRefs` to one parent need distinct, non-empty `sectionName`s; a Service
  `backendRef` (also a `requestMirror` one) needs a `port`;
- HTTPRoute/GRPCRoute: fewer than 128 matches in all; filter types that may not repeat;
- HTTPRoute path matches: the Exact/PathPrefix value rules.

Values of the wrong type are skipped: they are the JSON Schema's violations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

from netlint.input.document import Node
from netlint.model.access import as_int, as_list, as_map, as_str, dig, items_at

GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"})

PathElement = str | int


@dataclass(frozen=True, slots=True)
class CelFailure:
    """One failed CEL rule: where, the rule's message, and the offending scalar (if one)."""

    path: tuple[PathElement, ...]
    message: str
    on_key: bool = False
    value: str | int | None = None


Check = Callable[[dict[str, Node]], Iterator[CelFailure]]

# --- listeners (Gateway, ListenerSet) ------------------------------------------------------------

_TLS_FORBIDDEN = ("HTTP", "TCP", "UDP")
_HOSTNAME_FORBIDDEN = ("TCP", "UDP")


def _listeners(obj: dict[str, Node]) -> Iterator[CelFailure]:
    base: tuple[PathElement, ...] = ("spec", "listeners")
    names: set[str] = set()
    combos: set[tuple[int, str, str | None]] = set()
    for index, listener in items_at(obj, *base):
        item = as_map(listener)
        if item is None:
            continue
        here = (*base, index)
        name = as_str(item.get("name"))
        if name is not None:
            if name in names:
                yield CelFailure(
                    (*here, "name"), "Listener name must be unique within the Gateway", value=name
                )
            names.add(name)
        protocol = as_str(item.get("protocol"))
        port = as_int(item.get("port"))
        hostname_node = item.get("hostname")
        hostname = as_str(hostname_node)
        if protocol is not None and port is not None:  # a ListenerSet's port may be unset
            combo = (port, protocol, hostname)
            if combo in combos:
                yield CelFailure(
                    here,
                    "Combination of port, protocol and hostname must be unique for each listener",
                )
            combos.add(combo)
        tls = item.get("tls")
        if protocol in _TLS_FORBIDDEN and tls is not None:
            yield CelFailure(
                (*here, "tls"),
                "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
                on_key=True,
            )
        if protocol in _HOSTNAME_FORBIDDEN and hostname:
            yield CelFailure(
                (*here, "hostname"),
                "hostname must not be specified for protocols ['TCP', 'UDP']",
                value=hostname,
            )
        tls_map = as_map(tls)
        mode = as_str(dig(tls_map, "mode")) if tls_map is not None else None
        if protocol == "HTTPS" and tls_map is not None and mode not in (None, "", "Terminate"):
            yield CelFailure(
                (*here, "tls", "mode"), "tls mode must be Terminate for protocol HTTPS", value=mode
            )
        if protocol == "TLS" and tls is None:
            yield CelFailure(here, "tls mode must be set for protocol TLS")
        if tls_map is not None and mode in (None, "Terminate"):  # Terminate is the default
            refs = as_list(tls_map.get("certificateRefs"))
            options = as_map(tls_map.get("options"))
            if not refs and not options:
                yield CelFailure(
                    (*here, "tls"),
                    "certificateRefs or options must be specified when mode is Terminate",
                    on_key=True,
                )


# --- routes --------------------------------------------------------------------------------------


def _parent_refs(obj: dict[str, Node]) -> Iterator[CelFailure]:
    """GW-07: several refs to one parent need distinct, non-empty sectionNames."""
    base: tuple[PathElement, ...] = ("spec", "parentRefs")
    by_parent: dict[tuple[str, str, str, str], list[tuple[int, str]]] = {}
    for index, ref in items_at(obj, *base):
        item = as_map(ref)
        name = as_str(dig(item, "name"))
        if item is None or name is None:
            continue
        group = as_str(item.get("group"))
        kind = as_str(item.get("kind"))
        parent = (
            GROUP if group is None else group,
            "Gateway" if kind is None else kind,
            name,
            as_str(item.get("namespace")) or "",
        )
        by_parent.setdefault(parent, []).append((index, as_str(item.get("sectionName")) or ""))
    for refs in by_parent.values():
        if len(refs) < 2:
            continue
        sections = [section for _, section in refs]
        if any(sections) and not all(sections):
            for index, section in refs:
                if not section:
                    yield CelFailure(
                        (*base, index),
                        "sectionName must be specified when parentRefs includes 2 or more "
                        "references to the same parent",
                    )
            continue
        seen: set[str] = set()
        for index, section in refs:
            if section in seen:
                yield CelFailure(
                    (*base, index, "sectionName") if section else (*base, index),
                    "sectionName must be unique when parentRefs includes 2 or more references to "
                    "the same parent",
                    value=section or None,
                )
            seen.add(section)


def _needs_port(ref: Node, path: tuple[PathElement, ...]) -> Iterator[CelFailure]:
    """GW-02: a backendRef whose group is "" and kind Service (the defaults) needs a port."""
    item = as_map(ref)
    if item is None or as_str(item.get("name")) is None:
        return
    group = as_str(item.get("group"))
    kind = as_str(item.get("kind"))
    if (group or "") == "" and (kind is None or kind == "Service") and item.get("port") is None:
        yield CelFailure(path, "Must have port for Service reference")


_REPEATABLE_ONCE = {
    "HTTPRoute": (
        "CORS",
        "RequestHeaderModifier",
        "ResponseHeaderModifier",
        "RequestRedirect",
        "URLRewrite",
    ),
    "GRPCRoute": ("RequestHeaderModifier", "ResponseHeaderModifier"),
}


def _filters(kind: str, filters: Node, path: tuple[PathElement, ...]) -> Iterator[CelFailure]:
    """GW-12: filter types that may not repeat; each filter's mirror backendRef needs a port."""
    once = _REPEATABLE_ONCE.get(kind, ())
    seen: set[str] = set()
    for index, item in items_at(filters):
        here = (*path, index)
        yield from _needs_port(
            dig(item, "requestMirror", "backendRef"), (*here, "requestMirror", "backendRef")
        )
        filter_type = as_str(dig(item, "type"))
        if filter_type is None:
            continue
        if filter_type in once and filter_type in seen:
            yield CelFailure(
                (*here, "type"), f"{filter_type} filter cannot be repeated", value=filter_type
            )
        if kind == "HTTPRoute" and (
            (filter_type == "URLRewrite" and "RequestRedirect" in seen)
            or (filter_type == "RequestRedirect" and "URLRewrite" in seen)
        ):
            yield CelFailure(
                (*here, "type"),
                "May specify either httpRouteFilterRequestRedirect or "
                "httpRouteFilterRequestRewrite, but not both",
                value=filter_type,
            )
        seen.add(filter_type)


_PATH_TYPES = ("Exact", "PathPrefix")
_PATH_CHARS = re.compile(r"(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+")
_TYPES_TEXT = "when type one of ['Exact', 'PathPrefix']"


def _path_value(value: str) -> Iterator[str]:
    """GW-11: the messages of the path-value rules `value` fails."""
    if not value.startswith("/"):
        yield f"value must be an absolute path and start with '/' {_TYPES_TEXT}"
    for part in ("//", "/./", "/../", "%2f", "%2F", "#"):
        if part in value:
            yield f"must not contain '{part}' {_TYPES_TEXT}"
    for end in ("/..", "/."):
        if value.endswith(end):
            yield f"must not end with '{end}' {_TYPES_TEXT}"
    if not _PATH_CHARS.fullmatch(value):
        yield (
            "must only contain valid characters (matching "
            "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) "
            "for types ['Exact', 'PathPrefix']"
        )


def _route(kind: str) -> Check:
    def check(obj: dict[str, Node]) -> Iterator[CelFailure]:
        yield from _parent_refs(obj)
        total = 0
        reported_total = False
        for r_index, rule in items_at(obj, "spec", "rules"):
            rule_path: tuple[PathElement, ...] = ("spec", "rules", r_index)
            for b_index, ref in items_at(rule, "backendRefs"):
                ref_path = (*rule_path, "backendRefs", b_index)
                yield from _needs_port(ref, ref_path)
                yield from _filters(kind, dig(ref, "filters"), (*ref_path, "filters"))
            yield from _filters(kind, dig(rule, "filters"), (*rule_path, "filters"))
            matches = dig(rule, "matches")
            if kind == "HTTPRoute":
                for m_index, match in items_at(matches):
                    path = as_map(dig(match, "path"))
                    if path is None:
                        continue  # defaulted to PathPrefix "/"
                    path_type = path.get("type")
                    value = as_str(path.get("value"))
                    if path_type is None:
                        path_type = "PathPrefix"
                    if path_type in _PATH_TYPES and value is not None:
                        where = (*rule_path, "matches", m_index, "path", "value")
                        for message in _path_value(value):
                            yield CelFailure(where, message, value=value)
            if kind in ("HTTPRoute", "GRPCRoute") and r_index < 16:
                found = as_list(matches)
                if found is not None:
                    total += len(found)
                elif matches is None and kind == "HTTPRoute":
                    total += 1  # defaulted to one PathPrefix "/" match
                if total >= 128 and not reported_total:
                    reported_total = True
                    yield CelFailure(
                        (*rule_path, "matches") if found is not None else rule_path,
                        "While 16 rules and 64 matches per rule are allowed, the total number of "
                        "matches across all rules in a route must be less than 128",
                        on_key=found is not None,
                    )

    return check


CHECKS: dict[str, Check] = {
    "Gateway": _listeners,
    "ListenerSet": _listeners,
    **{kind: _route(kind) for kind in sorted(ROUTE_KINDS)},
}


def failures(api_version: str, kind: str, obj: object) -> list[CelFailure]:
    """The CEL rules `obj` fails; [] for kinds outside the Gateway API group."""
    if not api_version.startswith(GROUP + "/") or not isinstance(obj, dict):
        return []
    check = CHECKS.get(kind)
    if check is None:
        return []
    return list(check(cast("dict[str, Node]", obj)))
