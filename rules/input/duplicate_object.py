"""`duplicate-object`: the same kind/namespace/name twice in the input."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity


def _position(manifest: Manifest) -> tuple[str, int, int]:
    span = manifest.span_of(())
    return (manifest.source_path, span[0], span[1])


class DuplicateObject(Rule):
    meta = RuleMeta(
        id="duplicate-object",
        severity=Severity.ERROR,
        summary="The same kind/namespace/name appears twice in the input",
        what=(
            "Reports an object whose kind, namespace and name another object of the input already "
            "has. Namespaces are defaulted first: an object without `metadata.namespace` and one "
            "in `default` are the same object. Within one file or stream it is an error; across "
            "files a warning, reported on every copy and naming the others."
        ),
        why=(
            "`kubectl apply` applies both and the last one silently wins, so one of the two "
            "definitions never takes effect. Repositories often keep alternative variants side by "
            "side in different files (`install.yaml` and `ha/install.yaml`), hence only a "
            "warning across files."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: {ports: [{port: 80}]}\n"
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\n"
            "spec: {ports: [{port: 8080}]}\n"
        ),
        fix="Keep one definition, or give the second object its own name or namespace.",
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
        tags=("input",),
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        copies = ctx.inventory.all_named(manifest.kind_key, manifest.namespace, manifest.name)
        if len(copies) < 2:
            return
        mine = _position(manifest)
        same_file_earlier = [
            other
            for other in copies
            if other is not manifest
            and other.source_path == manifest.source_path
            and _position(other) < mine
        ]
        if same_file_earlier:
            first = min(same_file_earlier, key=_position)
            yield Diagnostic(
                ("metadata", "name"),
                f"{manifest.ref} is defined twice in this file (first at line "
                f"{first.span_of(())[0] + 1}); kubectl applies both and the last one wins",
                severity=Severity.ERROR,
            )
            return
        elsewhere = sorted(
            {other.source_path for other in copies if other.source_path != manifest.source_path}
        )
        if elsewhere:
            yield Diagnostic(
                ("metadata", "name"),
                f"{manifest.ref} is also defined in {', '.join(elsewhere)}; applying both files "
                "makes the last one win",
                severity=Severity.WARNING,
            )
