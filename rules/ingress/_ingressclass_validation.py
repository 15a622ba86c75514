"""`pkg/apis/networking/validation/validation.go`, the IngressClass part: `ValidateIngressClass`
and the functions it calls, one function here per upstream function, after the v1 defaulting
(`SetDefaults_IngressClass` in `pkg/apis/networking/v1/defaults.go`: `parameters.scope` is Cluster
when absent, so a `namespace` without `scope` is refused as a Cluster-scoped one).

What the strict schema already refuses is left to `schema` (one problem, one finding): unknown
fields, types, `parameters.scope` as an enum, `parameters.kind` and `parameters.name` as required
fields. Values of the wrong type are skipped here for the same reason. `metadata` is
`metadata-format`'s and `name-format`'s (`ValidateIngressClassName`, a DNS subdomain).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import (
    FieldError,
    as_map,
    as_str,
    dig,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    forbidden,
    invalid,
    required,
    too_long,
)

from ..input._object_meta import validate_path_segment_name

MAX_LEN_CONTROLLER = 250
SCOPE_CLUSTER = "Cluster"
SCOPE_NAMESPACE = "Namespace"
DOMAIN_PREFIXED_TEXT = 'must be a domain-prefixed path (such as "acme.io/foo")'
# apimachinery's httpPathFmt: the characters RFC 3986 allows in an HTTP path.
HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH = re.compile(HTTP_PATH_FMT)


def set_defaults_ingress_class(parameters: dict[str, Node]) -> str | None:
    """Follows `SetDefaults_IngressClass`: the scope of the parameters, Cluster when absent.
    None: a scope of the wrong type (`schema`'s)."""
    scope = parameters.get("scope")
    return SCOPE_CLUSTER if scope is None else as_str(scope)


def validate_ingress_class(ingress_class: Node) -> Iterator[FieldError]:
    """Follows `ValidateIngressClass` past its `ValidateObjectMeta` (`metadata-format`,
    `name-format`)."""
    spec = as_map(dig(ingress_class, "spec"))
    yield from validate_ingress_class_spec(spec or {}, ("spec",))


def validate_ingress_class_spec(spec: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `validateIngressClassSpec`: a `controller`, at most 250 bytes, a domain-prefixed
    path (`nginx` alone is refused: `k8s.io/ingress-nginx` is meant); valid parameters."""
    raw = spec.get("controller")
    controller = "" if raw is None else as_str(raw)
    path = (*fld, "controller")
    if controller == "":
        yield required(path)
    elif controller is not None:
        if len(controller.encode()) > MAX_LEN_CONTROLLER:
            yield too_long(path, "", MAX_LEN_CONTROLLER)
        yield from is_domain_prefixed_path(path, controller)
    parameters = as_map(spec.get("parameters"))
    if parameters is not None:
        yield from validate_ingress_class_parameters_reference(parameters, (*fld, "parameters"))


def is_domain_prefixed_path(fld: Path, value: str) -> Iterator[FieldError]:
    """Follows apimachinery's `IsDomainPrefixedPath`: a DNS subdomain, a `/`, then a non-empty
    HTTP path."""
    if value == "":
        yield required(fld)
        return
    host, slash, path = value.partition("/")
    if not slash or not host or not path:
        yield invalid(fld, value, DOMAIN_PREFIXED_TEXT)
        return
    for problem in dns1123_subdomain_problems(host):
        yield invalid(fld, host, problem)
    if not _HTTP_PATH.fullmatch(path):
        yield invalid(fld, path, f"Invalid path (regex used for validation is '{HTTP_PATH_FMT}')")


def validate_ingress_class_parameters_reference(
    parameters: dict[str, Node], fld: Path
) -> Iterator[FieldError]:
    """Follows `validateIngressClassParametersReference`: `apiGroup`, when set, a DNS subdomain;
    `kind` and `name` non-empty path segment names; with the Namespace scope a `namespace` (a
    namespace name), with the Cluster scope none, not even an empty one."""
    api_group = as_str(parameters.get("apiGroup"))
    if api_group is not None:
        for problem in dns1123_subdomain_problems(api_group):
            yield invalid((*fld, "apiGroup"), api_group, problem)
    for key in ("kind", "name"):
        value = as_str(parameters.get(key))
        if value == "":
            yield required((*fld, key))
        elif value is not None:
            for problem in validate_path_segment_name(value, False):
                yield invalid((*fld, key), value, problem)
    scope = set_defaults_ingress_class(parameters)
    raw_namespace = parameters.get("namespace")
    namespace = as_str(raw_namespace)
    if scope == SCOPE_NAMESPACE:
        if raw_namespace is None:
            yield required((*fld, "namespace"), "`parameters.scope` is set to 'Namespace'")
        elif namespace is not None:
            for problem in dns1123_label_problems(namespace):
                yield invalid((*fld, "namespace"), namespace, problem)
    elif scope == SCOPE_CLUSTER and raw_namespace is not None:
        yield forbidden((*fld, "namespace"), "`parameters.scope` is set to 'Cluster'")
