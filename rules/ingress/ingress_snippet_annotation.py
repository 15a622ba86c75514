"""`ingress-snippet-annotation`: ingress-nginx annotations that inject raw configuration."""

from __future__ import annotations

import re
from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str

from ._ingress import NGINX_PREFIX, annotation_path, is_nginx

# Annotations whose values went into nginx.conf unvalidated (CVE-2023-5044 permanent-redirect;
# CVE-2025-1097 auth-tls-match-cn; CVE-2025-1098 mirror-*; CVE-2025-24514 auth-url;
# CVE-2025-15566 auth-proxy-set-headers) and their neighbours.
_INJECTABLE = frozenset(
    {
        "auth-proxy-set-headers",
        "auth-signin",
        "auth-tls-match-cn",
        "auth-url",
        "mirror-host",
        "mirror-target",
        "permanent-redirect",
        "temporal-redirect",
    }
)
# NGX-05: what ingress-nginx's validator accepts for these.
_PATH_VALUED = frozenset({"rewrite-target", "app-root"})
_URL_PATH = re.compile(r"/?[-._~a-zA-Z0-9/:$]*")
_DANGEROUS = frozenset(";{}'\"`\\\n\r")


def _is_snippet(key: str) -> bool:
    return key.rpartition("/")[2].endswith("-snippet")


class IngressSnippetAnnotation(Rule):
    meta = RuleMeta(
        id="ingress-snippet-annotation",
        severity=Severity.WARNING,
        summary="ingress-nginx snippet or injection-prone annotation",
        what=(
            "For Ingresses served by ingress-nginx: every `*-snippet` annotation "
            "(`configuration-snippet`, `server-snippet`, `auth-snippet`, ...), and values of "
            "injection-prone annotations (`permanent-redirect`, `auth-url`, `auth-tls-match-cn`, "
            "`mirror-target`, `auth-proxy-set-headers`, ...) that contain nginx syntax "
            "(`;`, `{`, `}`, quotes, backslashes, newlines), and `rewrite-target`/`app-root` "
            "values outside what the annotation validator accepts."
        ),
        why=(
            "A snippet is pasted into nginx.conf: anyone who can create an Ingress can read the "
            "controller's ServiceAccount token and with it every Secret of the cluster "
            "(CVE-2021-25742). ingress-nginx refuses snippets by default since v1.9 "
            "(`allow-snippet-annotations: false`) and Critical-risk annotations since v1.12. "
            "Unvalidated annotation values allowed configuration injection and code execution "
            "(CVE-2023-5044, CVE-2025-1097, CVE-2025-1098, CVE-2025-24514, CVE-2025-1974)."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  annotations:\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n"
            '      more_set_headers "X-Frame-Options: DENY";\nspec:\n  ingressClassName: nginx\n'
            "  defaultBackend:\n    service: {name: web, port: {number: 80}}\n"
        ),
        fix=(
            "Use the dedicated annotation or the controller ConfigMap instead (for headers: "
            "`custom-headers` or `add-headers` in the ConfigMap); keep annotation values plain "
            "URLs "
            "and paths."
        ),
        help_uri="https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations-risk/",
        tags=("ingress", "ingress-nginx", "security"),
        security_severity=7.6,
        facts=("NGX-03", "NGX-04", "NGX-05"),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        judged = [
            (key, node, snippet)
            for key, node in manifest.annotations.items()
            if (snippet := _is_snippet(key)) or key.startswith(NGINX_PREFIX)
        ]
        # Whether ingress-nginx serves the Ingress depends on the IngressClasses of the input:
        # asked only when it has such an annotation, so that most checks need this file only.
        if not judged or not is_nginx(manifest, ctx.inventory):
            return
        for key, node, snippet in judged:
            if snippet:
                yield Diagnostic(
                    annotation_path(key),
                    f"{manifest.ref} uses {key}, which pastes raw nginx configuration: an Ingress "
                    "author can read the controller's ServiceAccount token and every Secret "
                    "(CVE-2021-25742); ingress-nginx refuses it unless allow-snippet-annotations "
                    "is true and annotations-risk-level is Critical",
                    on_key=True,
                    hint="use a dedicated annotation or the controller's ConfigMap instead",
                )
                continue
            value = as_str(node)
            if value is None:
                continue
            name = key.rpartition("/")[2]
            if name in _PATH_VALUED:
                if _URL_PATH.fullmatch(value):
                    continue
                problem = "characters outside the annotation validator's [-._~a-zA-Z0-9/:$]"
            elif name in _INJECTABLE:
                bad = sorted({char for char in value if char in _DANGEROUS})
                if not bad:
                    continue
                problem = f"nginx syntax characters {', '.join(repr(char) for char in bad)}"
            else:
                continue
            yield Diagnostic(
                annotation_path(key),
                f"{manifest.ref} annotation {key} has {problem}: values like this allowed "
                "configuration injection (CVE-2023-5044, CVE-2025-1974 family); "
                "ingress-nginx >= 1.12 refuses them (annotation contains invalid value)",
                hint="keep the value a plain URL or path",
            )
