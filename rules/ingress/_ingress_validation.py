"""`pkg/apis/networking/validation/validation.go`, the Ingress part: `ValidateIngressCreate` and
the functions it calls, one function here per upstream function. networking.k8s.io/v1 has no
defaulting for Ingress (`pkg/apis/networking/v1/defaults.go` defaults only NetworkPolicy and
IngressClass): a path without `pathType` is refused, not made ImplementationSpecific as v1beta1
did.

What the strict schema already refuses is left to `schema` (one problem, one finding): unknown
fields, types, `pathType` as a required enum, `paths` as a required field, a Service backend
without `name`, a resource backend without `kind` or `name`. Values of the wrong type are
skipped here for the same reason. `metadata` is `metadata-format`'s and `name-format`'s
(`ValidateIngressName`, a DNS subdomain).

The errors are reported by topic (`topic`): hosts by the `ingress-host-format` policy, paths by
`ingress-path-format`, an Ingress without rules or default backend by `ingress-no-rules`, those
policies wording them their own way; backends by `ingress-backend-format`, TLS secret names by
`ingress-tls-secret`, the class annotation that differs from `ingressClassName` by
`ingress-class-missing`, the rest by `ingress-format`.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import (
    FieldError,
    as_int,
    as_list,
    as_map,
    as_str,
    dig,
    dns1123_subdomain_problems,
    iana_port_name_problems,
    invalid,
    items_at,
    parse_ip,
    port_number_problems,
    required,
    wildcard_subdomain_problems,
)

from ..input._object_meta import (
    name_is_dns1035_label,
    name_is_dns_subdomain,
    validate_path_segment_name,
)
from ..workload._errors import placed

CLASS_ANNOTATION = "kubernetes.io/ingress.class"
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
EXACT_OR_PREFIX = ("Exact", "Prefix")
IMPLEMENTATION_SPECIFIC = "ImplementationSpecific"
BOTH_BACKENDS = "cannot set both resource and service backends"
BOTH_PORTS = "cannot set both port name & port number"
NO_PORT = "port name or number is required"
NO_BACKEND = "resource or service backend is required"
ANNOTATION_MISMATCH = "must match `ingressClassName` when both are specified"

# The rules that report the errors of each topic.
HOST_RULE = "ingress-host-format"
PATH_RULE = "ingress-path-format"
NO_RULES_RULE = "ingress-no-rules"
BACKEND_RULE = "ingress-backend-format"
TLS_SECRET_RULE = "ingress-tls-secret"
CLASS_MISSING_RULE = "ingress-class-missing"
FORMAT_RULE = "ingress-format"


def topic(error: FieldError) -> str:
    """The rule that reports `error`."""
    path = error.path
    if "backend" in path or "defaultBackend" in path:
        return BACKEND_RULE
    last = path[-1] if path else ""
    if last == "host" or (len(path) >= 2 and path[-2] == "hosts"):
        return HOST_RULE
    if last == "path":
        return PATH_RULE
    if path == ("spec",):
        return NO_RULES_RULE
    if last == "secretName":
        return TLS_SECRET_RULE
    if error.detail == ANNOTATION_MISMATCH:
        return CLASS_MISSING_RULE
    return FORMAT_RULE


def validate_ingress_create(ingress: Node) -> Iterator[FieldError]:
    """Follows `ValidateIngressCreate`: `validateIngress` with the strict options of a create
    (no invalid secret names or wildcard-host rules kept from an old object; the relaxed
    Service-name validation is behind a feature gate off by default), then the deprecated class
    annotation, which must equal `ingressClassName` when both are set."""
    yield from validate_ingress(ingress)
    class_name = as_str(dig(ingress, "spec", "ingressClassName"))
    annotations = as_map(dig(ingress, "metadata", "annotations"))
    if class_name is None or annotations is None or CLASS_ANNOTATION not in annotations:
        return
    value = as_str(annotations[CLASS_ANNOTATION])
    if value is not None and value != class_name:
        # Upstream's path leaves out `metadata`; the finding points at the annotation.
        error = invalid(("annotations", CLASS_ANNOTATION), value, ANNOTATION_MISMATCH)
        yield placed(error, ("metadata", "annotations", CLASS_ANNOTATION))


def validate_ingress(ingress: Node) -> Iterator[FieldError]:
    """Follows `validateIngress` past its `ValidateObjectMeta` (`metadata-format`,
    `name-format`)."""
    spec = as_map(dig(ingress, "spec"))
    yield from validate_ingress_spec(spec or {}, ("spec",))


def validate_ingress_spec(spec: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateIngressSpec`: rules or a default backend, each valid; valid TLS entries;
    `ingressClassName` a DNS subdomain (`ValidateIngressClassName`)."""
    rules = as_list(spec.get("rules"))
    default_backend = spec.get("defaultBackend")
    if not rules and default_backend is None:
        yield invalid(fld, rules, "either `defaultBackend` or `rules` must be specified")
    if default_backend is not None:
        yield from validate_ingress_backend(default_backend, (*fld, "defaultBackend"))
    if rules:
        yield from validate_ingress_rules(rules, (*fld, "rules"))
    if as_list(spec.get("tls")):
        yield from validate_ingress_tls(spec, (*fld, "tls"))
    class_name = as_str(spec.get("ingressClassName"))
    if class_name is not None:
        for problem in name_is_dns_subdomain(class_name, False):
            yield invalid((*fld, "ingressClassName"), class_name, problem)


def validate_ingress_tls(spec: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `validateIngressTLS`: each host a DNS subdomain, or a wildcard one when it holds
    a `*`; each non-empty `secretName` a Secret name."""
    for index, item in items_at(spec, "tls"):
        for h_index, host in items_at(item, "hosts"):
            value = as_str(host)
            if value is None:
                continue
            check = wildcard_subdomain_problems if "*" in value else dns1123_subdomain_problems
            for problem in check(value):
                yield invalid((*fld, index, "hosts", h_index), value, problem)
        secret_name = as_str(dig(item, "secretName"))
        if secret_name is not None:
            for problem in validate_tls_secret_name(secret_name):
                yield invalid((*fld, index, "secretName"), secret_name, problem)


def validate_tls_secret_name(name: str) -> list[str]:
    """Follows `validateTLSSecretName`: "" is no secret (the controller's default certificate),
    anything else a Secret name (`ValidateSecretName`, a DNS subdomain)."""
    return name_is_dns_subdomain(name, False) if name else []


def validate_ingress_rules(rules: list[Node], fld: Path) -> Iterator[FieldError]:
    """Follows `validateIngressRules`: a non-empty host is not an IP address and is a DNS
    subdomain, or a wildcard one when it holds a `*`; then the rule's value. (On create no rule
    with a wildcard host is exempt.)"""
    for index, rule in enumerate(rules):
        fields = as_map(rule)
        if fields is None:
            continue
        host = as_str(fields.get("host"))
        if host:
            host_path = (*fld, index, "host")
            if parse_ip(host) is not None:
                yield invalid(host_path, host, "must be a DNS name, not an IP address")
            check = wildcard_subdomain_problems if "*" in host else dns1123_subdomain_problems
            for problem in check(host):
                yield invalid(host_path, host, problem)
        yield from validate_ingress_rule_value(fields, (*fld, index))


def validate_ingress_rule_value(rule: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `validateIngressRuleValue`: the `http` value, when there is one."""
    http = as_map(rule.get("http"))
    if http is not None:
        yield from validate_http_ingress_rule_value(http, (*fld, "http"))


def validate_http_ingress_rule_value(http: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `validateHTTPIngressRuleValue`: at least one path, each valid. An absent `paths`
    is the schema's (a required field); an empty one is this function's."""
    paths = as_list(http.get("paths"))
    if paths is None:
        return
    if not paths:
        yield required((*fld, "paths"))
    for index, path in enumerate(paths):
        fields = as_map(path)
        if fields is not None:
            yield from validate_http_ingress_path(fields, (*fld, "paths", index))


def validate_http_ingress_path(path: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `validateHTTPIngressPath`: under Exact and Prefix an absolute path without `//`,
    `/./`, `/../`, `%2f`, `%2F` and not ending in `/..` or `/.`; under ImplementationSpecific an
    empty or absolute path; then the backend. Without `pathType` upstream judges nothing else
    (and the schema reports the missing field); an unsupported one is the schema's enum."""
    path_type = as_str(path.get("pathType"))
    if path_type is None:
        return
    value = path.get("path")
    text = "" if value is None else as_str(value)
    if text is not None:
        path_path = (*fld, "path")
        if path_type in EXACT_OR_PREFIX:
            if not text.startswith("/"):
                yield invalid(path_path, text, "must be an absolute path")
            for sequence in INVALID_PATH_SEQUENCES if text else ():
                if sequence in text:
                    yield invalid(path_path, text, f"must not contain '{sequence}'")
            for suffix in INVALID_PATH_SUFFIXES if text else ():
                if text.endswith(suffix):
                    yield invalid(path_path, text, f"cannot end with '{suffix}'")
        elif path_type == IMPLEMENTATION_SPECIFIC and text and not text.startswith("/"):
            yield invalid(path_path, text, "must be an absolute path")
    backend = path.get("backend")
    if backend is not None:  # absent: a required field, schema's
        yield from validate_ingress_backend(backend, (*fld, "backend"))


def validate_ingress_backend(backend: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateIngressBackend`: a Service or a resource backend, not both and not
    neither; a Service backend's name a Service name (`ValidateServiceName`, a DNS-1035 label)
    and its port a name (an IANA service name) or a number (1-65535), exactly one of them."""
    fields = as_map(backend)
    if fields is None:
        return
    resource = fields.get("resource")
    service = fields.get("service")
    if resource is not None and service is not None:
        yield invalid(fld, "", BOTH_BACKENDS)
        return
    if resource is not None:
        yield from validate_ingress_typed_local_object_reference(resource, (*fld, "resource"))
        return
    if service is None:
        yield invalid(fld, "", NO_BACKEND)
        return
    service_fields = as_map(service)
    if service_fields is None:
        return
    name = as_str(service_fields.get("name"))
    if name == "":
        yield required((*fld, "service", "name"))
    elif name is not None:
        for problem in name_is_dns1035_label(name, False):
            yield invalid((*fld, "service", "name"), name, problem)
    port = as_map(service_fields.get("port")) or {}
    raw_name, raw_number = port.get("name"), port.get("number")
    if (raw_name is not None and as_str(raw_name) is None) or (
        raw_number is not None and as_int(raw_number) is None
    ):
        return  # a port name or number of the wrong type: schema
    port_name = as_str(raw_name) or ""
    port_number = as_int(raw_number) or 0
    port_path = (*fld, "service", "port")
    if port_name and port_number:
        yield invalid(fld, "", BOTH_PORTS)
    elif port_name:
        for problem in iana_port_name_problems(port_name):
            yield invalid((*port_path, "name"), port_name, problem)
    elif port_number:
        for problem in port_number_problems(port_number):
            yield invalid((*port_path, "number"), port_number, problem)
    else:
        yield required(fld, NO_PORT)


def validate_ingress_typed_local_object_reference(
    reference: Node, fld: Path
) -> Iterator[FieldError]:
    """Follows `validateIngressTypedLocalObjectReference`: `apiGroup`, when set, a DNS subdomain;
    `kind` and `name` non-empty path segment names (`IsPathSegmentName`)."""
    fields = as_map(reference)
    if fields is None:
        return
    api_group = as_str(fields.get("apiGroup"))
    if api_group is not None:
        for problem in dns1123_subdomain_problems(api_group):
            yield invalid((*fld, "apiGroup"), api_group, problem)
    for key in ("kind", "name"):
        value = as_str(fields.get(key))
        if value == "":
            yield required((*fld, key))
        elif value is not None:
            for problem in validate_path_segment_name(value, False):
                yield invalid((*fld, key), value, problem)
