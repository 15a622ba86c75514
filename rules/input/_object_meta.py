"""The API server's validation of `metadata`, ported function by function.

Upstream: `pkg/apis/core/validation/validation.go` (`ValidateObjectMeta`,
`validateKubeFinalizerName`), apimachinery's `pkg/api/validation/objectmeta.go` and `generic.go`
(`ValidateObjectMetaAccessor`, labels, annotations, owner references, finalizers, the name
functions), `pkg/api/validation/path/name.go` (the path-segment names every generic store
checks) and `pkg/apis/meta/v1/validation/validation.go` (`ValidateLabels`, `ValidateLabelName`).
Every kind gets these checks: the generic registry runs them for built-in kinds and custom
resources alike (`rest.BeforeCreate`).

Each function yields `Located` errors: the `FieldError` the API server answers (its path is the
one upstream prints, `metadata.labels` for a bad label key) and the node a finding points at (the
key itself). `name-format` reports the errors of `metadata.name` and `metadata.generateName`,
`metadata-format` the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from netlint.api import Node, Path
from netlint.k8s import (
    FieldError,
    as_list,
    as_map,
    as_str,
    dns1035_label_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    invalid,
    label_value_problems,
    qualified_name_problems,
    too_long,
)

NameFn = Callable[[str, bool], list[str]]

METADATA: Path = ("metadata",)
TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)  # 256 KiB
IS_NEGATIVE_TEXT = "must be greater than or equal to 0"
# metav1.FinalizerOrphanDependents, FinalizerDeleteDependents, core FinalizerKubernetes.
FINALIZER_ORPHAN = "orphan"
FINALIZER_FOREGROUND = "foregroundDeletion"
STANDARD_FINALIZERS = frozenset(["kubernetes", FINALIZER_ORPHAN, FINALIZER_FOREGROUND])
# BannedOwners: (group, version, kind) that may not own objects.
BANNED_OWNERS = frozenset([("", "v1", "Event")])
# What the name generator appends to generateName (names.SimpleNameGenerator): 5 characters of
# lower-case alphanumerics, after cutting the base to 63 - 5.
GENERATED_SUFFIX = "xxxxx"
MAX_GENERATED_BASE = 58


class Located(NamedTuple):
    """A field error and the node it is about: `at` inside the object, at its key or value;
    `field` the exact field when it is missing and `at` its parent."""

    error: FieldError
    at: Path
    on_key: bool = False
    field: Path | None = None


def _here(error: FieldError) -> Located:
    return Located(error, error.path, error.on_key)


# --- name functions (generic.go, path/name.go) ---------------------------------------------------


def mask_trailing_dash(name: str) -> str:
    """Follows `maskTrailingDash`: a generateName ending in `-` has its last two characters
    replaced by `a` (upstream's own arithmetic), so that the dash the generated part follows is
    allowed."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    """Follows `NameIsDNSSubdomain`: the name function of most kinds, among them core's
    `ValidatePodName`, `ValidateReplicationControllerName`, `ValidateSecretName`,
    `ValidateEndpointsName`, `ValidateServiceAccountName`, `ValidateNodeName`,
    `ValidateLimitRangeName`, `ValidateResourceQuotaName`, `ValidateClassName` (StorageClass),
    `ValidatePriorityClassName`, `ValidateResourceClaimName`,
    `ValidateResourceClaimTemplateName` and `ValidateRuntimeClassName`; networking's
    `ValidateNetworkPolicyName`, `ValidateIngressName` and `ValidateIngressClassName`;
    discovery's `ValidateEndpointSliceName`."""
    return dns1123_subdomain_problems(mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    """Follows `NameIsDNSLabel`, which is `ValidateNamespaceName`."""
    return dns1123_label_problems(mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    """Follows `NameIsDNS1035Label`, which is `ValidateServiceName`."""
    return dns1035_label_problems(mask_trailing_dash(name) if prefix else name)


def validate_path_segment_name(name: str, prefix: bool) -> list[str]:
    """Follows `ValidatePathSegmentName` (`IsValidPathSegmentName`, `IsValidPathSegmentPrefix`):
    the name is a segment of the object's URL, which the generic store checks for every kind
    (`rest.BeforeCreate`)."""
    if not prefix:
        for illegal in (".", ".."):
            if name == illegal:
                return [f"may not be '{illegal}'"]
    return [f"may not contain '{part}'" for part in ("/", "%") if part in name]


# --- ObjectMeta -----------------------------------------------------------------------------------


def validate_object_meta(
    meta: dict[str, Node], namespaced: bool, name_fn: NameFn | None, kube_finalizers: bool
) -> Iterator[Located]:
    """Follows core `ValidateObjectMeta`: apimachinery's `ValidateObjectMeta`, then
    `validateKubeFinalizerName` for each finalizer (`kube_finalizers`: the kinds whose
    validation goes through the core package, i.e. the built-in ones but CRDs and APIServices).
    `name_fn` None: the name is not checked (its rule is not known)."""
    yield from validate_object_meta_accessor(meta, namespaced, name_fn)
    if kube_finalizers:
        for index, finalizer in _strings(meta.get("finalizers")):
            yield from validate_kube_finalizer_name(finalizer, (*METADATA, "finalizers", index))


def validate_object_meta_accessor(
    meta: dict[str, Node], namespaced: bool, name_fn: NameFn | None
) -> Iterator[Located]:
    """Follows apimachinery `ValidateObjectMeta` and `ValidateObjectMetaAccessor`: generateName
    as a prefix and name with the kind's name function, after the API server has generated the
    name (generateName and 5 random characters), then the checks every kind shares. The kinds
    validated with `ValidateObjectMetaWithOpts` (`ValidateObjectMetaAccessorWithOpts`) get the
    same answer: those check the generated name only, which a bad prefix fails as well.

    An object without a name is `manifest-shape`'s (`Required value: name or generateName is
    required`)."""
    if name_fn is not None:
        yield from validate_object_meta_names(meta, name_fn)
    yield from validate_object_meta_accessor_with_opts_common(meta, namespaced)


def validate_object_meta_names(meta: dict[str, Node], name_fn: NameFn) -> Iterator[Located]:
    """The name part of `ValidateObjectMetaAccessor`: generateName with `name_fn` as a prefix,
    the name, or (without one) the name the API server generates from generateName."""
    name = as_str(meta.get("name"))
    generate_name = as_str(meta.get("generateName"))
    prefix_problems: list[str] = []
    if generate_name:
        prefix_problems = name_fn(generate_name, True)
        for detail in prefix_problems:
            yield _here(invalid((*METADATA, "generateName"), generate_name, detail))
    if name:
        for detail in name_fn(name, False):
            yield _here(invalid((*METADATA, "name"), name, detail))
    elif generate_name and not prefix_problems:
        # The generated name is validated too: a prefix that passes masked may still make an
        # invalid name (`a_-` masks to `aa`). Found at generateName, named as upstream names it.
        generated = generate_name[:MAX_GENERATED_BASE] + GENERATED_SUFFIX
        for detail in name_fn(generated, False):
            error = invalid((*METADATA, "name"), generated, detail)
            yield Located(error, (*METADATA, "generateName"))


def validate_object_meta_accessor_with_opts_common(
    meta: dict[str, Node], namespaced: bool
) -> Iterator[Located]:
    """Follows `validateObjectMetaAccessorWithOptsCommon`: namespace, generation, labels,
    annotations, owner references, finalizers.

    Defaulted as the API server sees the object: a namespaced object without a namespace gets the
    request's (`kubectl apply -n`), and a cluster-scoped one's namespace is cleared before
    validation (`EnsureObjectNamespaceMatchesRequestNamespace`), so neither is refused.
    `managedFields` are left out: the field manager rewrites them before validation."""
    namespace = as_str(meta.get("namespace"))
    if namespaced and namespace:
        for detail in name_is_dns_label(namespace, False):
            yield _here(invalid((*METADATA, "namespace"), namespace, detail))
    generation = meta.get("generation")
    if isinstance(generation, int) and not isinstance(generation, bool):
        yield from validate_nonnegative_field(generation, (*METADATA, "generation"))
    yield from validate_labels(as_map(meta.get("labels")), (*METADATA, "labels"))
    yield from validate_annotations(as_map(meta.get("annotations")), (*METADATA, "annotations"))
    yield from validate_owner_references(
        as_list(meta.get("ownerReferences")), (*METADATA, "ownerReferences")
    )
    yield from validate_finalizers(as_list(meta.get("finalizers")), (*METADATA, "finalizers"))


def validate_nonnegative_field(value: int, path: Path) -> Iterator[Located]:
    """Follows `ValidateNonnegativeField` (`validate.NonNegative`)."""
    if value < 0:
        yield _here(invalid(path, value, IS_NEGATIVE_TEXT))


# --- labels and annotations (meta/v1/validation, objectmeta.go) ----------------------------------


def validate_labels(labels: dict[str, Node] | None, path: Path) -> Iterator[Located]:
    """Follows `ValidateLabels`: every key a qualified name, every value a label value. Values
    that are not strings are `yaml-ambiguous-value`'s (the decoder refuses them first)."""
    for key, value in (labels or {}).items():
        yield from validate_label_name(key, path, (*path, key))
        if isinstance(value, str):
            for detail in label_value_problems(value):
                yield Located(invalid(path, value, detail), (*path, key))


def validate_label_name(name: str, path: Path, at: Path | None = None) -> Iterator[Located]:
    """Follows `ValidateLabelName`: IsQualifiedName; found at the key (`at`)."""
    for detail in qualified_name_problems(name):
        yield Located(invalid(path, name, detail), at or path, on_key=at is not None)


def validate_annotations(annotations: dict[str, Node] | None, path: Path) -> Iterator[Located]:
    """Follows `ValidateAnnotations`: keys are qualified names whatever their case, and all
    keys and values together hold at most 256 KiB."""
    if not annotations:
        return
    for key in annotations:
        for detail in qualified_name_problems(key.lower()):
            yield Located(invalid(path, key, detail), (*path, key), on_key=True)
    if not validate_annotations_size(annotations):
        yield Located(too_long(path, "", TOTAL_ANNOTATION_SIZE_LIMIT_B), path, on_key=True)


def validate_annotations_size(annotations: dict[str, Node]) -> bool:
    """Follows `ValidateAnnotationsSize`: True when keys and values fit in 256 KiB (bytes of
    UTF-8, as Go's `len` counts them)."""
    total = 0
    for key, value in annotations.items():
        total += len(key.encode()) + (len(value.encode()) if isinstance(value, str) else 0)
    return total <= TOTAL_ANNOTATION_SIZE_LIMIT_B


# --- owner references ----------------------------------------------------------------------------


def _version_of(api_version: str) -> tuple[str, str]:
    """(group, version) as `schema.FromAPIVersionAndKind` reads an apiVersion: more than one
    `/` does not parse, and leaves both empty."""
    if api_version in ("", "/"):
        return "", ""
    if api_version.count("/") > 1:
        return "", ""
    group, _, version = api_version.rpartition("/")
    return group, version


def validate_owner_reference(reference: dict[str, Node], path: Path, at: Path) -> Iterator[Located]:
    """Follows `validateOwnerReference`: apiVersion with a version, kind, name and uid set, and
    not an owner type that is banned (v1 Event). Upstream's path has no index
    (`metadata.ownerReferences.uid`); the finding points at the item's field."""
    api_version = _text(reference.get("apiVersion"))
    kind = _text(reference.get("kind"))
    group, version = _version_of(api_version or "")
    if api_version is not None and not version:
        error = invalid((*path, "apiVersion"), api_version, "version must not be empty")
        yield _at_field(error, reference, at, "apiVersion")
    for field_name in ("kind", "name", "uid"):
        value = _text(reference.get(field_name))
        if value == "":
            error = invalid((*path, field_name), value, "must not be empty")
            yield _at_field(error, reference, at, field_name)
    if (group, version, kind or "") in BANNED_OWNERS:
        detail = f"{group}/{version}, Kind={kind} is disallowed from being an owner"
        yield Located(invalid(path, reference, detail), at)


def validate_owner_references(references: list[Node] | None, path: Path) -> Iterator[Located]:
    """Follows `ValidateOwnerReferences`: each reference, and at most one with
    `controller: true`."""
    first_controller = ""
    for index, reference in enumerate(references or []):
        if not isinstance(reference, dict):
            continue  # the schema's (or the decoder's)
        at = (*path, index)
        yield from validate_owner_reference(reference, path, at)
        if reference.get("controller") is True:
            current = f"{_text(reference.get('kind')) or ''}/{_text(reference.get('name')) or ''}"
            if first_controller:
                detail = (
                    'Only one reference can have Controller set to true. Found "true" in '
                    f"references for {first_controller} and {current}"
                )
                yield Located(invalid(path, references, detail), (*at, "controller"))
            else:
                first_controller = current


# --- finalizers ----------------------------------------------------------------------------------


def validate_finalizers(finalizers: list[Node] | None, path: Path) -> Iterator[Located]:
    """Follows `ValidateFinalizers`: every name a qualified name, and not both `orphan` and
    `foregroundDeletion`."""
    names = [name for _, name in _strings(finalizers)]
    for index, name in _strings(finalizers):
        yield from validate_finalizer_name(name, path, (*path, index))
    if FINALIZER_ORPHAN in names and FINALIZER_FOREGROUND in names:
        detail = f"finalizer {FINALIZER_ORPHAN} and {FINALIZER_FOREGROUND} cannot be both set"
        yield Located(invalid(path, names, detail), path, on_key=True)


def validate_finalizer_name(name: str, path: Path, at: Path) -> Iterator[Located]:
    """Follows `ValidateFinalizerName`: IsQualifiedName (upstream's path has no index)."""
    for detail in qualified_name_problems(name):
        yield Located(invalid(path, name, detail), at)


def validate_kube_finalizer_name(name: str, path: Path) -> Iterator[Located]:
    """Follows `validateKubeFinalizerName`: a finalizer without a `/` must be a standard one."""
    if "/" not in name and name not in STANDARD_FINALIZERS:
        detail = "name is neither a standard finalizer name nor is it fully qualified"
        yield _here(invalid(path, name, detail))


def custom_resource_finalizer_warnings(meta: dict[str, Node]) -> Iterator[tuple[Path, str]]:
    """Follows apiextensions' `validateKubeFinalizerName`: for a custom resource, a finalizer
    without a `/` that is not a standard one is accepted with a warning. (path, warning text)."""
    for index, name in _strings(meta.get("finalizers")):
        if "/" not in name and name not in STANDARD_FINALIZERS:
            yield (
                (*METADATA, "finalizers", index),
                "prefer a domain-qualified finalizer name to avoid accidental conflicts with "
                "other finalizer writers",
            )


# --- helpers -------------------------------------------------------------------------------------


def _strings(node: Node) -> Iterator[tuple[int, str]]:
    for index, item in enumerate(as_list(node) or []):
        if isinstance(item, str):
            yield index, item


def _text(node: Node) -> str | None:
    """A string field as Go decodes it: absent or null is empty; None for another type, which
    the decoder refuses before validation (the schema's finding, where there is one)."""
    if node is None:
        return ""
    return node if isinstance(node, str) else None


def _at_field(error: FieldError, reference: dict[str, Node], at: Path, name: str) -> Located:
    """At the reference's field, or at the reference when the field is missing."""
    field = (*at, name)
    return Located(error, field if name in reference else at, field=field)
