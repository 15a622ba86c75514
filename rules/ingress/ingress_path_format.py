"""`ingress-path-format`: an Ingress path that the API server (or ingress-nginx) rejects.

What the API server checks is a declarative policy (`policies/ingress-path-format.yaml`). This
module adds what JSON Schema cannot decide from the Ingress alone: whether ingress-nginx serves
it (its IngressClass's controller, or the default IngressClass of the input), and then the
characters ingress-nginx >= 1.12 refuses under Exact and Prefix (NGX-02). It subclasses the
public `PolicyRule`, as any user's pack may.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Path, RuleContext, Severity
from netlint.policy import PolicyRule

from .._policies import builtin_policy
from ._ingress import EXACT, NGINX_STRICT_PATH, PREFIX, http_paths, is_nginx


class IngressPathFormat(PolicyRule):
    def __init__(self) -> None:
        super().__init__(builtin_policy("ingress-path-format").spec)

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        # Exact and Prefix paths that ingress-nginx >= 1.12 would refuse. Whether it serves the
        # Ingress depends on the IngressClasses of the input: asked only when there is such a
        # path, and then before the policy runs, so that the per-file stage defers the check
        # before doing work it would throw away.
        refused = [
            item
            for item in http_paths(manifest)
            if item.path_type in (EXACT, PREFIX)
            and item.path
            and not NGINX_STRICT_PATH.fullmatch(item.path)
        ]
        nginx = bool(refused) and is_nginx(manifest, ctx.inventory)
        reported: set[Path] = set()
        for diagnostic in super().check(manifest, ctx):
            reported.add(diagnostic.path[:6])  # ("spec", "rules", i, "http", "paths", j)
            yield diagnostic
        if not nginx:
            return
        for item in refused:
            if item.item_path in reported:
                continue
            yield Diagnostic(
                item.path_node,
                f"{manifest.ref} path {item.path!r} has characters outside [A-Za-z0-9._-/], which "
                f"ingress-nginx >= 1.12 rejects under pathType {item.path_type}",
                severity=Severity.WARNING,
                hint="use pathType: ImplementationSpecific, or only [A-Za-z0-9._-/] in the path",
            )
