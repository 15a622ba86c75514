"""`yaml-ambiguous-value`: an unquoted value that Kubernetes' YAML decoding turns into a boolean
or a number where the API requires a string (DESIGN §4 "Scalars").

The owned places are listed by `string_value_places`; `schema` must not report a type error at
those paths as well (DESIGN §4 "One problem, one finding"): `ambiguous_paths` gives it the set.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Node, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import replace_value, safe_fix
from netlint.k8s import as_list, dig, items_at, template_path
from netlint.records import record

_POD_CONTAINERS = ("containers", "initContainers", "ephemeralContainers")
# Mappings whose values are label selectors' strings, wherever they sit (metav1.LabelSelector).
_MATCH_LABELS = "matchLabels"
_MATCH_EXPRESSIONS = "matchExpressions"
# map[string]string fields of core kinds: kind -> (field, what a value is called).
_STRING_MAPS: dict[str, tuple[tuple[str, str], ...]] = {
    "ConfigMap": (("data", "ConfigMap data"), ("binaryData", "ConfigMap binaryData")),
    "Secret": (("data", "Secret data"), ("stringData", "Secret stringData")),
}
_SELECTOR_MAP_KINDS = frozenset(["Service", "ReplicationController"])
# Not walked for selectors: embedded OpenAPI schemas (CRDs, XRDs...) describe a `matchLabels`
# field but hold none, and no field of a container (core/v1 Container, which CRDs embed too)
# is a label selector. Containers are most of a workload's spec.
_NO_SELECTOR_KEYS = frozenset(["openAPIV3Schema", "properties", "schema", *_POD_CONTAINERS])


@record(frozen=True, slots=True)
class Place:
    """A value the API decodes into a Go string, and how a person calls it."""

    path: Path
    what: str  # "label canary", "env var DEBUG", ...


# What a string field may hold without a finding here: a string, or a collection (the schema's).
_ALLOWED = (str, dict, list)
_COLLECTIONS = (dict, list)


def _map_places(node: Node, base: Path, what: str, found: list[Place]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if value is not None and not isinstance(value, _ALLOWED):
                found.append(Place((*base, key), f"{what} {key}"))


def _metadata_places(metadata: Node, base: Path, found: list[Place]) -> None:
    if isinstance(metadata, dict):
        _map_places(metadata.get("labels"), (*base, "labels"), "label", found)
        _map_places(metadata.get("annotations"), (*base, "annotations"), "annotation", found)


# Where the selector walk is: None at its start, else (the parent's trail, key or index).
_Trail = tuple["_Trail", str | int] | None


def _path(base: Path, trail: _Trail) -> Path:
    steps: list[str | int] = []
    while trail is not None:
        trail, step = trail
        steps.append(step)
    return (*base, *reversed(steps))


def _selector_places(node: Node, base: Path, found: list[Place]) -> None:
    """`matchLabels` values and `matchExpressions[].values[]` anywhere below `node`.

    Every object with a spec gets this walk, and few hold a selector: scalars are skipped
    before anything else is asked of them, and a node's path is spelled out only for a
    selector (each stacked node keeps its parent's trail and its own key)."""
    stack: list[tuple[Node, _Trail]] = [(node, None)]
    while stack:
        current, trail = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                if not isinstance(value, _COLLECTIONS):
                    continue  # a selector field holding a scalar has no values to report
                if key == _MATCH_LABELS:
                    _map_places(value, _path(base, (trail, key)), "matchLabels", found)
                elif key == _MATCH_EXPRESSIONS:
                    path = _path(base, (trail, key))
                    for e_index, expression in enumerate(as_list(value) or []):
                        for v_index, item in items_at(expression, "values"):
                            if item is not None and not isinstance(item, _ALLOWED):
                                found.append(
                                    Place(
                                        (*path, e_index, "values", v_index),
                                        "matchExpressions value",
                                    )
                                )
                elif key not in _NO_SELECTOR_KEYS:
                    stack.append((value, (trail, key)))
        elif isinstance(current, list):
            for index, item in enumerate(current):
                if isinstance(item, _COLLECTIONS):
                    stack.append((item, (trail, index)))


def _pod_places(pod: Node, base: Path, found: list[Place]) -> None:
    """Labels, annotations, nodeSelector and env values of a pod (or pod template)."""
    if not isinstance(pod, dict):
        return
    _metadata_places(pod.get("metadata"), (*base, "metadata"), found)
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    _map_places(spec.get("nodeSelector"), (*base, "spec", "nodeSelector"), "nodeSelector", found)
    for group in _POD_CONTAINERS:
        for c_index, container in items_at(spec, group):
            for e_index, env in items_at(container, "env"):
                value = dig(env, "value")
                if value is not None and not isinstance(value, _ALLOWED):
                    name = dig(env, "name")
                    found.append(
                        Place(
                            (*base, "spec", group, c_index, "env", e_index, "value"),
                            f"env var {name if isinstance(name, str) else '#' + str(e_index)}",
                        )
                    )


def string_value_places(manifest: Manifest, ctx: RuleContext) -> list[Place]:
    """Every boolean or number where the API requires a string, in the places netlint knows."""
    data = manifest.data
    found: list[Place] = []
    _metadata_places(data.get("metadata"), ("metadata",), found)
    for field_name, what in _STRING_MAPS.get(manifest.kind, ()):
        if manifest.group == "":
            _map_places(data.get(field_name), (field_name,), f"{what} key", found)
    spec = data.get("spec")
    if manifest.kind in _SELECTOR_MAP_KINDS and manifest.group == "":
        _map_places(dig(spec, "selector"), ("spec", "selector"), "selector label", found)
    path = template_path(manifest, ctx.settings.workloads)
    if path:
        _pod_places(dig(data, *path), path, found)
    elif path is not None:  # a Pod: its metadata was checked above
        _pod_places({"spec": spec}, (), found)
    if manifest.kind == "CronJob":
        _metadata_places(
            dig(spec, "jobTemplate", "metadata"), ("spec", "jobTemplate", "metadata"), found
        )
    for index, claim in items_at(spec, "volumeClaimTemplates"):
        _metadata_places(
            dig(claim, "metadata"), ("spec", "volumeClaimTemplates", index, "metadata"), found
        )
    if manifest.kind != "CustomResourceDefinition" and isinstance(spec, dict):
        _selector_places(spec, ("spec",), found)
    return found


def ambiguous_paths(manifest: Manifest, ctx: RuleContext) -> set[Path]:
    """The paths this rule reports, for `schema` to leave alone (one problem, one finding)."""
    return {place.path for place in string_value_places(manifest, ctx)}


def _decoded(value: Node, text: str) -> tuple[str, str]:
    """How the decoder read the value, and the Go type word of the unmarshal error."""
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}", "bool"
    if isinstance(value, int):
        body = text.lstrip("+-").replace("_", "")
        octal = len(body) > 1 and body[0] == "0" and body[1:2] not in ("x", "X", "b", "B")
        return (f"the octal number {value}" if octal else f"the number {value}"), "number"
    return f"the number {value!r}", "number"


def _source_text(manifest: Manifest, path: Path, value: Node) -> str:
    text = manifest.document.plain_text(manifest.span_of(path))
    if text is not None:
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class YamlAmbiguousValue(Rule):
    meta = RuleMeta(
        id="yaml-ambiguous-value",
        severity=Severity.ERROR,
        summary="An unquoted value decodes to a boolean or a number where the API needs a string",
        what=(
            "Kubernetes decodes YAML with go-yaml v2 (YAML 1.1): unquoted `yes`/`no`/`on`/`off`/"
            "`y`/`n` (in any of their casings) and `true`/`false` are booleans, `8080` and `1.10` "
            "are numbers, `0755` is the octal number 493. Reports such a value where the API "
            "requires a string: labels and annotations (of the object and of its pod templates), "
            "Service and ReplicationController selectors, `matchLabels` and `matchExpressions` "
            "values, `nodeSelector`, container `env[].value`, ConfigMap `data`/`binaryData` and "
            "Secret `data`/`stringData`. `1:20` is not one: go-yaml has no base-60 numbers."
        ),
        why=(
            "The API server refuses the object: `json: cannot unmarshal bool into Go struct "
            "field ObjectMeta.metadata.labels of type string`. And the quoted fix is not always "
            "the obvious one: `1.10` unquoted is the number 1.1 and `0755` is 493."
            " Severity: an error only where the API needs a string, so that the object is refused."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    canary: yes\n"
            "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n"
            '    canary: "yes"\n'
            "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n"
        ),
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set",
        tags=("input", "yaml"),
        fixable="always",
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for place in string_value_places(manifest, ctx):
            value = dig(manifest.data, *place.path)
            text = _source_text(manifest, place.path, value)
            decoded, go_type = _decoded(value, text)
            quoted = json.dumps(text)
            key = place.path[-1]
            yield Diagnostic(
                place.path,
                f"{place.what}: {text} is decoded as {decoded}; the API server refuses "
                f"{manifest.ref} (cannot unmarshal {go_type} into Go value of type string). "
                f"Quote it: {quoted}",
                hint=f"quote it: {key}: {quoted}"
                if isinstance(key, str)
                else f"quote it: {quoted}",
                fix=safe_fix("quote the value", replace_value(manifest, place.path, quoted)),
            )
