"""`ingress-path-format`: an Ingress path that the API server (or ingress-nginx) rejects."""

from __future__ import annotations

from collections.abc import Iterator

from netlint._builtin.rules.ingress._ingress import (
    EXACT,
    IMPLEMENTATION_SPECIFIC,
    NGINX_STRICT_PATH,
    PREFIX,
    HttpPath,
    has_regex,
    http_paths,
    is_nginx,
)

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity

_FORBIDDEN_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_FORBIDDEN_ENDINGS = ("/..", "/.")


def api_problems(path: str, path_type: str) -> list[str]:
    """validateHTTPIngressPath's texts (ING-09..ING-11)."""
    if path_type == IMPLEMENTATION_SPECIFIC:
        return [] if not path or path.startswith("/") else ["must be an absolute path"]
    problems = [] if path.startswith("/") else ["must be an absolute path"]
    problems.extend(f"must not contain '{seq}'" for seq in _FORBIDDEN_SEQUENCES if seq in path)
    problems.extend(f"cannot end with '{end}'" for end in _FORBIDDEN_ENDINGS if path.endswith(end))
    return problems


class IngressPathFormat(Rule):
    meta = RuleMeta(
        id="ingress-path-format",
        severity=Severity.ERROR,
        summary="An Ingress path is not valid for its pathType",
        what=(
            "Validates `spec.rules[].http.paths[].path` as the API server does: under `Exact` and "
            "`Prefix` a path must be absolute (start with `/`, so it cannot be empty) and must "
            "not contain `//`, `/./`, `/../`, `%2f` or end with `/.` or `/..`; under "
            "`ImplementationSpecific` a non-empty path must start with `/`. Regex characters "
            "(`( ) [ ] * + ? ^ $ | { }`) under `Exact` or `Prefix` are a warning: those path "
            "types are literal, and ingress-nginx >= 1.12 rejects such paths; for an "
            "ingress-nginx Ingress any character outside `[A-Za-z0-9._-/]` is reported so."
        ),
        why=(
            "`kubectl apply` fails on an invalid path (ING-09, ING-10). A regex under `Prefix` "
            "matches only the literal characters on most controllers, and ingress-nginx's "
            "admission webhook refuses it since v1.12 (`path ... cannot be used with pathType "
            "Prefix`, NGX-02)."
            " Severity: the errors are the API server's rejections; what it accepts and a controller may refuse is a warning."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n"
            "      - path: /api(/|$)(.*)\n        pathType: Prefix\n        backend:\n"
            "          service: {name: api, port: {number: 80}}\n"
        ),
        fix=(
            "Use `pathType: ImplementationSpecific` for a regex path (with ingress-nginx's "
            '`use-regex: "true"`), or a plain path such as `/api` under `Prefix`.'
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types",
        tags=("ingress",),
        facts=("ING-09", "ING-10", "ING-11", "NGX-02"),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        nginx: bool | None = None
        for item in http_paths(manifest):
            if item.path_type not in (EXACT, PREFIX, IMPLEMENTATION_SPECIFIC):
                continue  # missing or unsupported pathType: `schema`
            path = item.path or ""
            where = item.path_node if item.path is not None else (*item.item_path, "pathType")
            problems = api_problems(path, item.path_type)
            if problems:
                yield Diagnostic(
                    where,
                    f"{manifest.ref} path {path!r} (pathType {item.path_type}) is invalid: "
                    f"{'; '.join(problems)}",
                    hint=_hint(path, item),
                )
                continue
            if item.path_type == IMPLEMENTATION_SPECIFIC or not path:
                continue
            if has_regex(path):
                yield Diagnostic(
                    where,
                    f"{manifest.ref} path {path!r} contains regex characters under pathType "
                    f"{item.path_type}, which matches them literally; ingress-nginx >= 1.12 "
                    f"rejects it (path {path} cannot be used with pathType {item.path_type})",
                    severity=Severity.WARNING,
                    hint="use pathType: ImplementationSpecific for a regex path",
                )
                continue
            if nginx is None:
                nginx = is_nginx(manifest, ctx.inventory)
            if nginx and not NGINX_STRICT_PATH.fullmatch(path):
                yield Diagnostic(
                    where,
                    f"{manifest.ref} path {path!r} has characters outside [A-Za-z0-9._-/], which "
                    f"ingress-nginx >= 1.12 rejects under pathType {item.path_type}",
                    severity=Severity.WARNING,
                    hint=(
                        "use pathType: ImplementationSpecific, or only [A-Za-z0-9._-/] in the path"
                    ),
                )


def _hint(path: str, item: HttpPath) -> str:
    if not path.startswith("/"):
        return f"start the path with '/': {'/' + path!r}"
    return "normalise the path: no empty, '.' or '..' segments and no encoded '/'"
