"""`ingress-rewrite-target`: ingress-nginx path rewriting that does not do what it seems to."""

from __future__ import annotations

import re
from collections.abc import Iterator

from netlint.api import Diagnostic, Inventory, Manifest, Rule, RuleContext, RuleMeta, Severity

from ._ingress import (
    EXACT,
    IMPLEMENTATION_SPECIFIC,
    REWRITE_TARGET_ANNOTATION,
    USE_REGEX_ANNOTATION,
    HttpPath,
    annotation,
    capture_groups,
    has_regex,
    http_paths,
    is_nginx,
)

_GROUP_REF = re.compile(r"\$(\d+)")


def _enables_regex(manifest: Manifest) -> bool:
    return annotation(manifest, USE_REGEX_ANNOTATION) == "true" or bool(
        annotation(manifest, REWRITE_TARGET_ANNOTATION)
    )


def _regex_hosts(inventory: Inventory) -> frozenset[str]:
    """Hosts on which some Ingress turns regex matching on: it applies to every path of the host."""

    def build(inv: Inventory) -> frozenset[str]:
        hosts: set[str] = set()
        for ingress in inv.of_kind("Ingress"):
            if _enables_regex(ingress):
                hosts.update(item.host.lower() for item in http_paths(ingress))
        return frozenset(hosts)

    return inventory.memo("ingress-rewrite-target:regex-hosts", build)


def _sub_path(item: HttpPath) -> str | None:
    """The path, unless it is the root or invalid (`ingress-path-format`): nothing to rewrite."""
    path = item.path
    return path if path and path != "/" and path.startswith("/") else None


class IngressRewriteTarget(Rule):
    meta = RuleMeta(
        id="ingress-rewrite-target",
        severity=Severity.INFO,
        summary="ingress-nginx forwards the path differently from what the Ingress suggests",
        what=(
            "For Ingresses served by ingress-nginx (class `nginx`, or an IngressClass with "
            "controller `k8s.io/ingress-nginx`): a sub-path such as `/test` routed without "
            "`nginx.ingress.kubernetes.io/rewrite-target`, so the backend receives `/test/...`, "
            "not `/...`; a `rewrite-target` that uses `$N` when the path has fewer capture "
            "groups; a regex path (`ImplementationSpecific`) on a host where no Ingress sets "
            '`use-regex: "true"` or `rewrite-target`, so it is matched as a literal prefix.'
        ),
        why=(
            "ingress-nginx passes the full request path to the backend unless told otherwise: an "
            "application that serves `/` answers 404 for `/test`. Since 0.22 `rewrite-target` "
            "needs explicit capture groups (`/something(/|$)(.*)` with `/$2`); a missing group "
            "expands to nothing, and every request is rewritten to the same path."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n      - path: /test\n"
            "        pathType: Prefix\n        backend:\n          service: "
            "{name: web, port: {number: 80}}\n"
        ),
        fix=(
            "If the application serves `/`: `nginx.ingress.kubernetes.io/rewrite-target: /$2`, "
            '`nginx.ingress.kubernetes.io/use-regex: "true"`, path `/test(/|$)(.*)` with '
            "`pathType: ImplementationSpecific`. If it serves `/test`, nothing to change."
        ),
        help_uri="https://kubernetes.github.io/ingress-nginx/examples/rewrite/",
        tags=("ingress", "ingress-nginx"),
        facts=("NGX-05",),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        target = annotation(manifest, REWRITE_TARGET_ANNOTATION)
        paths = http_paths(manifest)
        # Whether ingress-nginx serves the Ingress depends on the IngressClasses of the input:
        # asked only when there is something to judge, so that most checks need this file only.
        if target:
            if not _GROUP_REF.search(target):
                return  # no $N to check against the paths' capture groups
        elif not any(_sub_path(item) for item in paths):
            return
        if not is_nginx(manifest, ctx.inventory):
            return
        if target:
            yield from self._groups(manifest, target)
            return
        regex_hosts = _regex_hosts(ctx.inventory)
        regex_on = annotation(manifest, USE_REGEX_ANNOTATION) == "true"
        for item in paths:
            path = _sub_path(item)
            if path is None:
                continue
            where = item.path_node
            if has_regex(path):
                if (
                    item.path_type == IMPLEMENTATION_SPECIFIC
                    and not regex_on
                    and item.host.lower() not in regex_hosts
                ):
                    yield Diagnostic(
                        where,
                        f"{manifest.ref} path {path!r} looks like a regex, but no Ingress for host "
                        f"{item.host or '*'!r} sets use-regex or rewrite-target, so ingress-nginx "
                        "matches it as a literal prefix",
                        hint=f'add the annotation {USE_REGEX_ANNOTATION}: "true"',
                    )
                continue  # under Exact/Prefix: `ingress-path-format`
            if item.path_type == EXACT:
                continue  # one exact path is meant to arrive as it is
            yield Diagnostic(
                where,
                f"{manifest.ref} routes {path!r} without rewrite-target: the backend receives "
                f"the full path ({path}...), not /",
                hint=(
                    "fine if the application serves under this path; otherwise use path "
                    f"'{path.rstrip('/')}(/|$)(.*)' (pathType ImplementationSpecific) with "
                    f"{REWRITE_TARGET_ANNOTATION}: /$2"
                ),
            )

    @staticmethod
    def _groups(manifest: Manifest, target: str) -> Iterator[Diagnostic]:
        refs = [int(number) for number in _GROUP_REF.findall(target)]
        if not refs:
            return
        needed = max(refs)
        for item in http_paths(manifest):
            groups = capture_groups(item.path or "")
            if groups >= needed:
                continue
            yield Diagnostic(
                item.path_node if item.path is not None else item.item_path,
                f"{manifest.ref} rewrite-target {target!r} uses ${needed}, but path "
                f"{item.path or ''!r} has {groups} capture group{'s' if groups != 1 else ''}: "
                f"${needed} expands to nothing",
                hint="add capture groups to the path, e.g. '/api(/|$)(.*)' with rewrite-target /$2",
            )
