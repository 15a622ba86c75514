"""Resolving a reference from one object to another, with the open-world rules of DESIGN §4.

A reference resolves only inside its namespace. The answer says whether the target is there,
declared external in config, present only in other namespaces (a definite mistake: error), or
nowhere in the input (a warning or info, depending on where such objects usually live).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netlint.api import RuleContext
from netlint.manifest import Manifest


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
        namespaces = sorted({m.namespace or "" for m in self.elsewhere})
        label = "namespace" if len(namespaces) == 1 else "namespaces"
        return f"{label} {', '.join(namespaces)}"


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
