"""Helpers for rules: reading untrusted manifest data, the API server's formats, references.

This module and `netlint.api` are the whole surface a rule pack (the built-in one included) is
written against (DESIGN §6): every name here is typed, documented and kept stable.

- Reading data: `as_map`, `as_list`, `as_str`, `as_int`, `dig`, `map_at`, `items_at`,
  `string_map`, `spec_of`: total accessors that answer `None` or an empty container instead of
  raising when a value has the wrong shape (manifests are untrusted).
- Formats: `dns1123_label_problems`, `dns1123_subdomain_problems`, `dns1035_label_problems`,
  `wildcard_subdomain_problems`, `iana_port_name_problems`, `qualified_name_problems`,
  `label_value_problems`, `fqdn_problems`, `parse_ip`, `special_ip_problem`: the API server's
  checks, each answering the list of problems (empty when the value is valid).
- Selectors and pod templates: `parse_label_selector`, `LabelSelector`, `label_list`,
  `template_path`.
- Messages: `capped` lists the first `SHOWN` items and counts the rest; `namespaces_text`
  names the namespaces of some objects that way.
- References: `resolve` finds the target of a reference with the open-world rules of DESIGN §4:
  a reference resolves only inside its namespace, and the answer says whether the target is
  there, declared external in config, present only in other namespaces (a definite mistake) or
  nowhere in the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from netlint.api import RuleContext
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
from netlint.model.inventory import label_list, template_path
from netlint.model.k8s_names import (
    dns1035_label_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    fqdn_problems,
    iana_port_name_problems,
    label_value_problems,
    parse_ip,
    qualified_name_problems,
    special_ip_problem,
    wildcard_subdomain_problems,
)
from netlint.model.manifest import Manifest, spec_of
from netlint.model.selectors import LabelSelector, parse_label_selector

__all__ = [
    "SHOWN",
    "LabelSelector",
    "Resolution",
    "as_int",
    "as_list",
    "as_map",
    "as_str",
    "capped",
    "dig",
    "dns1035_label_problems",
    "dns1123_label_problems",
    "dns1123_subdomain_problems",
    "fqdn_problems",
    "iana_port_name_problems",
    "items_at",
    "label_list",
    "label_value_problems",
    "map_at",
    "namespaces_text",
    "parse_ip",
    "parse_label_selector",
    "qualified_name_problems",
    "resolve",
    "spec_of",
    "special_ip_problem",
    "string_map",
    "template_path",
    "wildcard_subdomain_problems",
]


@dataclass(frozen=True, slots=True)
class Resolution:
    target: Manifest | None = None  # the object, when it is in the input
    external: bool = False  # declared in config `external:`
    elsewhere: tuple[Manifest, ...] = field(default=())  # same kind and name, other namespaces

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


def resolve(
    ctx: RuleContext, kind: str, namespace: str | None, name: str, external_category: str | None
) -> Resolution:
    """Find `kind` namespace/name; `external_category` is the config `external:` key, if any."""
    target = ctx.inventory.get(kind, namespace, name)
    if target is not None:
        return Resolution(target=target)
    if external_category and ctx.settings.external.declares(external_category, namespace, name):
        return Resolution(external=True)
    others = tuple(m for m in ctx.inventory.named_anywhere(kind, name) if m.namespace != namespace)
    return Resolution(elsewhere=others)
