"""What the Ingress rules share: backends, paths, class resolution and "is this ingress-nginx's".

Ingresses are read in their v1 shape (`spec.defaultBackend`, `backend.service.name`,
`backend.service.port.number|name`, reference §2) and in the legacy `extensions/v1beta1` and
`networking.k8s.io/v1beta1` shape (`spec.backend`, `backend.serviceName`, `backend.servicePort`,
reference §4), so that backend checks work on both while `deprecated-api` reports the version.
Values of the wrong type come back as None: they are the `schema` rule's problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from netlint.api import Inventory, Manifest, Path
from netlint.k8s import FieldError, as_str, dig, topic_refusals
from netlint.traffic.ingresses import (
    ALB_ACTION_PORT,
    ALB_ACTION_PREFIX,
    ALB_GROUP_ANNOTATION,
    CLASS_ANNOTATION,
    DEFAULT_CLASS_ANNOTATION,
    IMPLEMENTATION_SPECIFIC,
    Backend,
    HttpPath,
    annotation,
    backends,
    class_annotation,
    class_field,
    default_backend,
    default_classes,
    effective_class,
    http_paths,
    is_alb_action,
    is_default_class,
    is_legacy,
)

from ._ingress_validation import topic, validate_ingress_create

# Defined with the traffic paths (`netlint.traffic.ingresses`), which read backends the same way.
__all__ = [
    "ALB_ACTION_PORT",
    "ALB_ACTION_PREFIX",
    "ALB_GROUP_ANNOTATION",
    "CLASS_ANNOTATION",
    "DEFAULT_CLASS_ANNOTATION",
    "IMPLEMENTATION_SPECIFIC",
    "Backend",
    "HttpPath",
    "annotation",
    "backends",
    "class_annotation",
    "class_field",
    "default_backend",
    "default_classes",
    "effective_class",
    "http_paths",
    "is_alb_action",
    "is_default_class",
    "is_legacy",
]

INGRESS_DOCS = "https://kubernetes.io/docs/concepts/services-networking/ingress/"
INGRESS_CLASS_DOCS = (
    "https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class"
)

NGINX_CONTROLLER = "k8s.io/ingress-nginx"
NGINX_CLASS = "nginx"
NGINX_PREFIX = "nginx.ingress.kubernetes.io/"
CANARY_ANNOTATION = NGINX_PREFIX + "canary"
REWRITE_TARGET_ANNOTATION = NGINX_PREFIX + "rewrite-target"
USE_REGEX_ANNOTATION = NGINX_PREFIX + "use-regex"

EXACT = "Exact"
PREFIX = "Prefix"

# Characters that make a path a regular expression for ingress-nginx (and that Exact/Prefix
# paths, which are literal, very rarely mean).
REGEX_CHARS = frozenset("^$()[]{}*+?|\\")
# NGX-02: what ingress-nginx >= 1.12 accepts under Exact/Prefix.
NGINX_STRICT_PATH = re.compile(r"/[A-Za-z0-9._\-/]*")


def annotation_path(key: str) -> Path:
    return ("metadata", "annotations", key)


def default_backend_key(manifest: Manifest) -> str:
    return "backend" if is_legacy(manifest) else "defaultBackend"


# -- classes -------------------------------------------------------------------------------


def is_nginx(manifest: Manifest, inventory: Inventory) -> bool:
    """Whether ingress-nginx serves this Ingress (reference §5: class by field or annotation).

    An IngressClass of the input decides by its controller; a class that is not in the input is
    nginx's when it is called `nginx`; the deprecated annotation is matched by value.
    """
    name = class_field(manifest)
    if name is None:
        value = class_annotation(manifest)
        if value is not None:
            return value == NGINX_CLASS
        defaults = default_classes(inventory)
        if not defaults:
            return False
        name = defaults[0].name
    ingress_class = inventory.get("IngressClass", None, name)
    if ingress_class is not None:
        return as_str(dig(ingress_class.data, "spec", "controller")) == NGINX_CONTROLLER
    return name == NGINX_CLASS


def is_canary(manifest: Manifest) -> bool:
    return annotation(manifest, CANARY_ANNOTATION) == "true"


# -- hosts and paths -----------------------------------------------------------------------


def host_matches(pattern: str, host: str) -> bool:
    """Whether rule host `pattern` serves `host`; `*.foo.com` covers exactly one label (ING-05)."""
    pattern, host = pattern.lower(), host.lower()
    if pattern == host:
        return True
    if pattern.startswith("*."):
        first, dot, rest = host.partition(".")
        return bool(first) and bool(dot) and first != "*" and rest == pattern[2:]
    return False


def normalized_path(path: str | None, path_type: str | None) -> str:
    """Paths that route the same: empty is `/`; Prefix `/a` and `/a/` are one path (ING-12)."""
    value = path or "/"
    if path_type == PREFIX and len(value) > 1:
        value = value.rstrip("/") or "/"
    return value


def has_regex(path: str) -> bool:
    return any(char in REGEX_CHARS for char in path)


def capture_groups(path: str) -> int:
    """The number of capturing groups in a regex path: `(` not escaped, not `(?`."""
    count = 0
    escaped = False
    in_class = False
    for index, char in enumerate(path):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "(" and not in_class and not path.startswith("?", index + 1):
            count += 1
    return count


def ingress_refusals(manifest: Manifest, rule: str) -> Iterator[FieldError]:
    """The errors `ValidateIngressCreate` answers for a networking.k8s.io/v1 Ingress that `rule`
    reports (`topic`). The v1beta1 versions are no longer served: `deprecated-api`'s."""
    if manifest.api_version != "networking.k8s.io/v1":
        return
    yield from topic_refusals(
        manifest,
        "ValidateIngressCreate",
        lambda ingress: validate_ingress_create(ingress.data),
        topic,
        rule,
    )
