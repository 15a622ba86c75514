"""Rules whose findings come from reading and parsing, not from a per-object check.

They are declared here so that they are documented, selectable and listed in SARIF like every
other rule; the loader and the engine emit their findings.
"""

from __future__ import annotations

from netlint.api import EngineRule, RuleMeta, Severity

YAML_SYNTAX = EngineRule(
    RuleMeta(
        id="yaml-syntax",
        severity=Severity.ERROR,
        summary="A document is not valid YAML, or uses a tag Kubernetes cannot decode",
        what=(
            "Reports a document that the YAML parser rejects, at the parser's line and column "
            "(a tab used for indentation is named as such: YAML indents with spaces only), and "
            "custom or language-specific tags such as `!!python/object/apply` (reported at the "
            "tag, never constructed). Parsing resumes at the next `---` line, so the file's "
            "other documents are still linted; after 100 syntax errors in one file the rest of "
            "it is an `input-limit` finding."
        ),
        why=(
            "`kubectl apply` refuses the whole file when one document does not parse, so "
            "nothing in it reaches the cluster. Custom tags are how YAML payloads execute code "
            "in unsafe loaders; Kubernetes decodes only plain YAML types."
            " Severity: an error, because kubectl refuses the file."
        ),
        example="metadata:\n  name: web\n  labels: {app: web\n",
        fix="metadata:\n  name: web\n  labels: {app: web}\n",
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/",
        tags=("input",),
    )
)

YAML_DUPLICATE_KEY = EngineRule(
    RuleMeta(
        id="yaml-duplicate-key",
        severity=Severity.ERROR,
        summary="A mapping repeats a key",
        what="Reports the second and later occurrences of a key in one YAML mapping.",
        why=(
            "The API server's strict field validation rejects an object with a duplicated "
            "field; with validation off, kubectl silently keeps only the last value, so half "
            "of what was written is lost."
            " Severity: an error, because strict field validation (kubectl's default) refuses the object."
        ),
        example="spec:\n  ports:\n  - port: 80\n    port: 8080\n",
        fix="spec:\n  ports:\n  - port: 8080\n",
        help_uri="https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
        tags=("input",),
    )
)

MANIFEST_SHAPE = EngineRule(
    RuleMeta(
        id="manifest-shape",
        severity=Severity.ERROR,
        summary="A document of a Kubernetes file is not a complete object",
        what=(
            "In a file that holds Kubernetes objects, reports every other non-empty document "
            "that is not a mapping or lacks `apiVersion`, `kind` or `metadata.name` "
            "(or `generateName`). Files in which no document has a `kind` (CI workflows, Helm "
            "values, compose files) are skipped instead."
        ),
        why=(
            "The API server cannot create an object without its type and name; `kubectl apply` fails."
            " Severity: an error, because the API server refuses such a document."
        ),
        example="apiVersion: v1\nkind: Service\nspec:\n  ports:\n  - port: 80\n",
        fix="apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields",
        tags=("input",),
    )
)

FILE_UNREADABLE = EngineRule(
    RuleMeta(
        id="file-unreadable",
        severity=Severity.ERROR,
        summary="A file or folder cannot be read as a text manifest",
        what=(
            "Reports a file or folder that cannot be read (permission denied, a symlink loop, a "
            "FIFO, socket or device, which are never opened) or decoded: binary content, NUL "
            "bytes, or an encoding other than UTF-8 (with or without a byte-order mark) or "
            "UTF-16 with a byte-order mark, such as Latin-1, UTF-32 or UTF-16 without a BOM. "
            "The finding is at line 1 of that path; the other files are still linted."
        ),
        why=(
            "Kubernetes reads only UTF-8 and UTF-16 with a BOM; anything else cannot be applied."
            " Severity: an error, because kubectl cannot read the file either."
        ),
        example="(a manifest saved as Latin-1 with an `é` in an annotation)",
        fix="Save the file as UTF-8.",
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/",
        tags=("input",),
    )
)

KUSTOMIZE_BUILD = EngineRule(
    RuleMeta(
        id="kustomize-build",
        severity=Severity.ERROR,
        summary="kustomize cannot build a kustomization",
        what=(
            "Reports, at the kustomization file, a kustomize root that `kustomize build` (or "
            "`kubectl kustomize`) refuses to build, with kustomize's own message: a resource "
            "or patch that does not exist, a patch that matches no object, two objects of one "
            "name. The root's files are then linted as plain files. Only roots that "
            "`render.kustomize: auto` renders are built; a root with a remote base, plugins, "
            "KRM functions or Helm charts is not built (netlint never fetches or runs them) "
            "and the summary says so, without a finding."
        ),
        why=(
            "`kubectl apply -k` builds the kustomization first: when the build fails, nothing "
            "of the root reaches the cluster."
        ),
        example="# overlays/prod/kustomization.yaml\nresources: [../../base, ingress.yaml]  # no ingress.yaml\n",
        fix="# overlays/prod/kustomization.yaml\nresources: [../../base]\n",
        help_uri="https://kubectl.docs.kubernetes.io/references/kustomize/cmd/build/",
        tags=("input",),
    )
)

INPUT_LIMIT = EngineRule(
    RuleMeta(
        id="input-limit",
        severity=Severity.ERROR,
        summary="A file exceeds a safety cap (size, alias expansion, nesting, documents)",
        what=(
            "Reports a file larger than the size cap (10 MiB by default; `--max-file-size` or "
            "`max-file-size` in the configuration), which is not read; a billion-laughs "
            "document: aliases that Kubernetes' own decoder refuses as excessive aliasing, or "
            "that expand to more than two nodes per character of the file's text (at least "
            "1,000, at most a million); nesting deeper than 100 levels (real manifests, CRDs "
            "included, stay under 40); more than 10,000 documents or 100 syntax errors in one "
            "file. What is past the cap is not loaded; what came before it is still linted."
        ),
        why=(
            "Such input is either generated by mistake or crafted to exhaust a parser; linting it "
            "would hang the run. The API server has similar limits on request size."
            " Severity: an error, not because the API server refuses the file but because netlint did not check what is past the cap, and a green run must not hide unchecked input (DESIGN §5)."
        ),
        example="a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n...",
        fix="Split the file, or remove the recursive aliases.",
        help_uri="https://en.wikipedia.org/wiki/Billion_laughs_attack",
        tags=("input", "security"),
        security_severity=5.0,
    )
)

HELM_TEMPLATE = EngineRule(
    RuleMeta(
        id="helm-template",
        severity=Severity.ERROR,
        summary="A file is a Helm template, not YAML: lint what `helm template` renders",
        what=(
            "Reports, once and at its first `{{ ... }}` action, a file below a Helm chart's "
            "`templates/` folder (a folder beside a `Chart.yaml`) that was named on the command "
            "line, and any file that does not parse as YAML and holds a Helm action (`{{ .Values "
            "}}`, `{{- include }}`, `{{ if }}`, ...) before its first syntax error. It is not "
            "parsed further: no `yaml-syntax` findings at the braces, no objects. Walked "
            "folders leave chart templates out and the summary names the charts (rendered with "
            "`helm template` when `helm` is on PATH and `render.helm` is `auto`)."
        ),
        why=(
            "Go templates are not Kubernetes input: what `kubectl apply` receives is what "
            "`helm template` renders, and only that can be linted. A YAML syntax error at `{{` "
            "would hide that, and a template that happens to parse would be judged by its "
            "placeholders."
            " Severity: an error, because kubectl refuses a template as it is, and netlint checked nothing of it."
        ),
        example=(
            "# charts/shop/templates/service.yaml\n"
            'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "shop.fullname" . }}\n'
        ),
        fix="helm template shop charts/shop | netlint check -",
        help_uri="https://helm.sh/docs/helm/helm_template/",
        tags=("input",),
    )
)

INTERNAL_ERROR = EngineRule(
    RuleMeta(
        id="internal-error",
        severity=Severity.ERROR,
        summary="A netlint rule failed on an object (a bug in netlint or in a rule pack)",
        what=(
            "Reports a rule that raised an exception on one object, naming the rule, the object "
            "and the file, or a failure of netlint's YAML loader on one file. Every other rule, "
            "object and file still runs; the exit code follows the finding's severity (never 2, "
            "which is for usage and configuration errors)."
        ),
        why=(
            "A crashed check means that object was not fully checked."
            " Severity: an error, because the object was not fully checked, and a green run must not hide that (DESIGN §5)."
        ),
        example=(
            "# a pack rule that assumes spec.ports is a list:\n"
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: 80}\n"
        ),
        fix="Please report it with the object that triggered it (netlint --version helps).",
        tags=("input",),
    )
)

UNKNOWN_SUPPRESSION = EngineRule(
    RuleMeta(
        id="unknown-suppression",
        severity=Severity.WARNING,
        summary="A suppression comment or annotation names no rule",
        what=(
            "Reports each entry of a `# netlint: ignore[...]` comment or a `netlint.io/ignore` "
            "annotation that is neither the id of a loaded rule, nor a prefix of one that ends "
            "at a `-`, nor `all`, with the closest id when one is close. (A `select`, `ignore`, "
            "`severity` or `per-file-ignores` entry of the configuration naming no rule is a "
            "usage error instead.)"
        ),
        why=(
            "A misspelled suppression suppresses nothing, so the finding it was written for "
            "keeps failing the run, or worse: once the id is fixed in a later release of a rule "
            "pack, nobody notices that the comment was never doing anything."
        ),
        example="  name: web  # netlint: ignore[ingress-backend-service-mising]\n",
        fix="  name: web  # netlint: ignore[ingress-backend-service-missing]\n",
        help_uri="https://docs.astral.sh/ruff/rules/unused-noqa/",
        tags=("input", "suppression"),
    )
)

UNUSED_SUPPRESSION = EngineRule(
    RuleMeta(
        id="unused-suppression",
        severity=Severity.WARNING,
        summary="A suppression, per-file ignore or baseline entry that matched nothing",
        what=(
            "With `--report-unused` (or selected by its id), reports each `# netlint: ignore` "
            "comment entry, `netlint.io/ignore` annotation entry and `per-file-ignores` entry "
            "that suppressed no finding in this run, and each baseline entry that matched no "
            "current finding, as ruff's RUF100 does for `# noqa`. An entry is judged only when "
            "a rule it names ran: with `--select service`, `ignore[ingress-tls-host]` is "
            "neither used nor unused. A baseline's stale entries are counted in the summary "
            "line either way."
        ),
        why=(
            "A suppression that no longer suppresses anything hides the next real problem at "
            "that place, and tells the reader about a finding that is long gone."
        ),
        example="  - port: 80  # netlint: ignore[service-port-name] (the port got its name)\n",
        fix="  - port: 80\n",
        help_uri="https://docs.astral.sh/ruff/rules/unused-noqa/",
        tags=("input", "suppression"),
        enabled_by_default=False,
    )
)
