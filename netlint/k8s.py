"""Helpers for rules: reading untrusted manifest data, the API server's formats, references.

This module and `netlint.api` are the whole surface a rule pack (the built-in one included) is
written against (DESIGN §6): every name here is typed, documented and kept stable.

- Reading data: `as_map`, `as_list`, `as_str`, `as_int`, `dig`, `map_at`, `items_at`,
  `string_map`, `spec_of`: total accessors that answer `None` or an empty container instead of
  raising when a value has the wrong shape (manifests are untrusted).
- Formats: `dns1123_label_problems`, `dns1123_subdomain_problems`, `dns1035_label_problems`,
  `wildcard_subdomain_problems`, `iana_port_name_problems`, `qualified_name_problems`,
  `label_value_problems`, `fqdn_problems`, `port_number_problems`, `in_range_problems`,
  `ip_problems`, `ipv4_problems`, `ipv6_problems`, `cidr_problems`, `parse_ip`, `parse_cidr`,
  `special_ip_problem`: the API server's
  checks, each answering the list of problems (empty when the value is valid).
- Selectors and pod templates: `parse_label_selector`, `LabelSelector`, `label_list`,
  `template_path`, `pod_templates`.
- The API server's field errors: `invalid`, `required`, `duplicate`, `not_supported`,
  `forbidden`, `too_long`, `too_long_max_length`, `too_many` build a `FieldError` as apimachinery's
  `field` package does, and `refusal` turns one into the `Diagnostic` of a rule that ports the
  API server's validation: located at the field, worded as `kubectl apply` words it
  (`Service shop/web is invalid: spec.ports[0].port: Invalid value: 65536: must be between 1 and
  65535, inclusive`).
- Served kinds (object metadata area): `served_kinds()` answers which kinds each built-in API
  group/version serves in each supported Kubernetes version (`ServedKinds`).
- Messages: `capped` lists the first `SHOWN` items and counts the rest; `namespaces_text`
  names the namespaces of some objects that way.
- Namespaces: an object without `metadata.namespace` is in `APPLY_NAMESPACE`, the one chosen
  when the files are applied; `compatible` says whether two namespaces may be the same once
  applied (use it, never `!=`, to decide "another namespace"), `ByNamespace` indexes
  objects by namespace and reads them that way, `qualified` prints `shop/web` or
  `web`, `namespace_phrase` prints `namespace shop` or `the apply namespace`.
- Namespace labels: `namespace_labels` answers the labels of a Namespace from the input or
  config `external.namespaces` (None when neither knows them), `known_namespaces` every
  Namespace whose labels are known, for rules and policies that evaluate a `namespaceSelector`.
- References: `resolve` finds the target of a reference with the open-world rules of DESIGN §4:
  a reference resolves only inside its namespace, and the answer says whether the target is
  there, declared external in config, present only in other namespaces (a definite mistake) or
  nowhere in the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from netlint.api import Diagnostic, ExternalObjects, Inventory, RuleContext, Severity
from netlint.model.access import (
    as_int,
    as_list,
    as_map,
    as_str,
    dig,
    items_at,
    map_at,
    string_map,
)
from netlint.model.field_errors import (
    ErrorType,
    FieldError,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    path_text,
    required,
    too_long,
    too_long_max_length,
    too_many,
)
from netlint.model.inventory import label_list, pod_templates, template_path
from netlint.model.k8s_names import (
    CIDR_TEXT,
    IP_TEXT,
    PORT_NUMBER_TEXT,
    QUALIFIED_NAME_TEXT,
    cidr_problems,
    dns1035_label_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    fqdn_problems,
    iana_port_name_problems,
    in_range_problems,
    ip_problems,
    ipv4_problems,
    ipv6_problems,
    label_value_problems,
    parse_cidr,
    parse_ip,
    port_number_problems,
    qualified_name_problems,
    special_ip_problem,
    wildcard_subdomain_problems,
)
from netlint.model.manifest import Manifest, spec_of
from netlint.model.namespace import (
    APPLY_NAMESPACE,
    ByNamespace,
    compatible,
    namespace_phrase,
    qualified,
)
from netlint.model.selectors import LabelSelector, parse_label_selector
from netlint.model.served_kinds import ServedKinds, served_kinds

__all__ = [
    "APPLY_NAMESPACE",
    "CIDR_TEXT",
    "IP_TEXT",
    "NAMESPACE_NAME_LABEL",
    "PORT_NUMBER_TEXT",
    "QUALIFIED_NAME_TEXT",
    "SHOWN",
    "ByNamespace",
    "ErrorType",
    "FieldError",
    "LabelSelector",
    "Resolution",
    "ServedKinds",
    "as_int",
    "as_list",
    "as_map",
    "as_str",
    "capped",
    "cidr_problems",
    "compatible",
    "dig",
    "dns1035_label_problems",
    "dns1123_label_problems",
    "dns1123_subdomain_problems",
    "duplicate",
    "forbidden",
    "fqdn_problems",
    "iana_port_name_problems",
    "in_range_problems",
    "invalid",
    "ip_problems",
    "ipv4_problems",
    "ipv6_problems",
    "items_at",
    "known_namespaces",
    "label_list",
    "label_value_problems",
    "map_at",
    "namespace_labels",
    "namespace_labels_in",
    "namespace_phrase",
    "namespaces_text",
    "not_supported",
    "parse_cidr",
    "parse_ip",
    "parse_label_selector",
    "path_text",
    "pod_templates",
    "port_number_problems",
    "qualified",
    "qualified_name_problems",
    "refusal",
    "required",
    "resolve",
    "served_kinds",
    "spec_of",
    "special_ip_problem",
    "string_map",
    "template_path",
    "too_long",
    "too_long_max_length",
    "too_many",
    "topic_refusals",
    "wildcard_subdomain_problems",
]


class Resolution(NamedTuple):
    target: Manifest | None = None  # the object, when it is in the input
    external: bool = False  # declared in config `external:`
    elsewhere: tuple[Manifest, ...] = ()  # same kind and name, other namespaces

    @property
    def found(self) -> bool:
        return self.target is not None or self.external

    def elsewhere_text(self) -> str:
        """`namespaces shop, web` for messages."""
        return namespaces_text(self.elsewhere)


SHOWN = 10  # items a message lists before it counts the rest (`capped`)


def capped(shown: Sequence[str], total: int) -> str:
    """`a, b, c and 7,990 more`: the first `SHOWN` of `shown`, out of `total` items. A message
    that names the other objects or positions of a problem stays this short however many
    there are: N findings, each naming all N others, would print N² (DESIGN §10)."""
    listed = ", ".join(shown[:SHOWN])
    more = total - min(len(shown), SHOWN)
    return f"{listed} and {more:,} more" if more > 0 else listed


def namespaces_text(manifests: Iterable[Manifest]) -> str:
    """`namespaces shop, web` for messages: the objects' namespaces, sorted, capped."""
    namespaces = sorted({m.namespace or "" for m in manifests})
    label = "namespace" if len(namespaces) == 1 else "namespaces"
    return f"{label} {capped(namespaces, len(namespaces))}"


# The label the API server sets on every Namespace (since 1.21): its name.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


def namespace_labels(ctx: RuleContext, namespace: str | None) -> dict[str, str] | None:
    """Labels of `namespace`: from a Namespace in the input, else config `external.namespaces`;
    None when neither knows them (then nothing that depends on them is reported: DESIGN §4).
    Kubernetes adds `kubernetes.io/metadata.name` to every one."""
    return namespace_labels_in(ctx.inventory, ctx.settings.external, namespace)


def namespace_labels_in(
    inventory: Inventory, external: ExternalObjects, namespace: str | None
) -> dict[str, str] | None:
    """`namespace_labels` from the inventory and the `external:` configuration themselves, for
    code that has no rule context (the NetworkPolicy evaluator)."""
    if not namespace:
        return None  # cluster-scoped, or the apply namespace: which one is not known
    labels: dict[str, str] | None = None
    for found in inventory.all_named("Namespace", None, namespace):
        labels = string_map(dig(found.data, "metadata", "labels"))
        break
    if labels is None:
        declared = external.namespace_labels.get(namespace)
        if declared is not None:
            labels = dict(declared)
    if labels is None:
        return None
    return {**labels, NAMESPACE_NAME_LABEL: namespace}


def known_namespaces(ctx: RuleContext) -> Iterator[tuple[str, dict[str, str]]]:
    """(name, labels) of every Namespace whose labels are known: the input's Namespace objects,
    then config `external.namespaces`, each once."""
    names = [m.name for m in ctx.inventory.of_kind("Namespace")]
    names += ctx.settings.external.namespace_labels
    for name in dict.fromkeys(names):
        labels = namespace_labels(ctx, name)
        if labels is not None:
            yield name, labels


def resolve(
    ctx: RuleContext, kind: str, namespace: str | None, name: str, external_category: str | None
) -> Resolution:
    """Find `kind` namespace/name; `external_category` is the config `external:` key, if any.
    A target in the apply namespace, or a reference from it, is never "elsewhere"."""
    target = ctx.inventory.get(kind, namespace, name)
    if target is not None:
        return Resolution(target=target)
    if external_category and ctx.settings.external.declares(external_category, namespace, name):
        return Resolution(external=True)
    return Resolution(elsewhere=tuple(ctx.inventory.named_elsewhere(kind, namespace, name)))


def refusal(
    manifest: Manifest,
    error: FieldError,
    *,
    severity: Severity | None = None,
    hint: str | None = None,
) -> Diagnostic:
    """The diagnostic for a field error the API server would answer a create with: at the
    field (its key for `forbidden`), worded as `kubectl apply` words the rejection."""
    return Diagnostic(
        error.path,
        f"{manifest} is invalid: {error.text}",
        severity=severity,
        on_key=error.on_key,
        hint=hint,
    )


def topic_refusals(
    manifest: Manifest,
    validation: str,
    validate: Callable[[Manifest], Iterable[FieldError]],
    topic: Callable[[FieldError], str],
    rule: str,
) -> Sequence[FieldError]:
    """The errors that `validate` (an upstream create validation, named `validation`) answers
    for `manifest` and that `rule` reports (`topic` names the rule of each error). Several topic
    rules share one validation, so it runs once per object: the errors are kept by topic in the
    manifest's memo. `validation` must name everything `validate` depends on besides the object
    (the Kubernetes version, say)."""
    by_topic = manifest.memo(
        f"refusals:{validation}", lambda _: _by_topic(validate, topic, manifest)
    )
    return by_topic.get(rule, ())


def _by_topic(
    validate: Callable[[Manifest], Iterable[FieldError]],
    topic: Callable[[FieldError], str],
    manifest: Manifest,
) -> dict[str, list[FieldError]]:
    by_topic: dict[str, list[FieldError]] = {}
    for error in validate(manifest):
        by_topic.setdefault(topic(error), []).append(error)
    return by_topic
