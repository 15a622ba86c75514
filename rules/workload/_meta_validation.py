"""apimachinery's `pkg/apis/meta/v1/validation`: labels and label selectors (metav1.LabelSelector),
as the workload specs validate them, and selector matching (`LabelSelectorAsSelector`).

Upstream prints a label error at the path of the whole map (`spec.template.labels`); netlint
keeps that text and points at the offending entry (`WorkloadError.at`).
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import (
    FieldError,
    as_list,
    as_map,
    forbidden,
    invalid,
    items_at,
    label_value_problems,
    parse_label_selector,
    qualified_name_problems,
    required,
)

from ._errors import placed

IN_OPERATORS = frozenset({"In", "NotIn"})
EXISTS_OPERATORS = frozenset({"Exists", "DoesNotExist"})


def validate_label_name(name: str, fld: Path, at: Path | None = None) -> Iterator[FieldError]:
    """Follows `ValidateLabelName`: a label key is a qualified name. `at`: where the key is, when
    `fld` (upstream's path) names the map that holds it."""
    for problem in qualified_name_problems(name):
        error = invalid(fld, name, problem)
        yield error if at is None else placed(error, at, on_key=True)


def validate_labels(labels: Node, fld: Path, at: Path | None = None) -> Iterator[FieldError]:
    """Follows `ValidateLabels`: every key a qualified name, every value a label value. Upstream
    reports both at `fld`; each error is placed at its entry below `at` (default `fld`). A value
    that is not a string is `yaml-ambiguous-value`'s."""
    base = fld if at is None else at
    for key, value in (as_map(labels) or {}).items():
        yield from validate_label_name(key, fld, (*base, key))
        if isinstance(value, str):
            for problem in label_value_problems(value):
                yield placed(invalid(fld, value, problem), (*base, key))


def validate_label_selector(selector: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateLabelSelector` (with `AllowInvalidLabelValueInSelector` off, as for every
    object created today): `matchLabels` as labels, each `matchExpressions` requirement."""
    spec = as_map(selector)
    if spec is None:
        return
    yield from validate_labels(spec.get("matchLabels"), (*fld, "matchLabels"))
    for index, expression in items_at(spec, "matchExpressions"):
        yield from validate_label_selector_requirement(
            expression, (*fld, "matchExpressions", index)
        )


def validate_label_selector_requirement(expression: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateLabelSelectorRequirement`: the operator and the number of values it takes,
    the key, each value. A key or operator that is not a string is a decoding error (no
    finding here)."""
    requirement = as_map(expression)
    if requirement is None:
        return
    operator = requirement.get("operator")
    key = requirement.get("key")
    operator = "" if operator is None else operator
    key = "" if key is None else key
    if not isinstance(operator, str) or not isinstance(key, str):
        return
    values = as_list(requirement.get("values")) or []
    if operator in IN_OPERATORS:
        if not values:
            yield required((*fld, "values"), "must be specified when `operator` is 'In' or 'NotIn'")
    elif operator in EXISTS_OPERATORS:
        if values:
            yield forbidden(
                (*fld, "values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )
    else:
        yield invalid((*fld, "operator"), operator, "not a valid selector operator")
    yield from validate_label_name(key, (*fld, "key"))
    for index, value in enumerate(values):
        if isinstance(value, str):
            for problem in label_value_problems(value):
                yield invalid((*fld, "values", index), value, problem)


def is_empty_selector(selector: Node) -> bool:
    """`len(matchLabels) + len(matchExpressions) == 0`: a selector that selects everything."""
    spec = as_map(selector) or {}
    return not (as_map(spec.get("matchLabels")) or as_list(spec.get("matchExpressions")))


def selector_matches(selector: Node, labels: Node) -> bool | None:
    """Whether a valid, non-empty `selector` selects pods labelled `labels`, as
    `LabelSelectorAsSelector(...).Matches` answers; None when a value is not a string (the
    object is refused before validation: `yaml-ambiguous-value`)."""
    spec = as_map(selector) or {}
    label_map = as_map(labels) or {}
    strings = [*label_map.values(), *(as_map(spec.get("matchLabels")) or {}).values()]
    for _, expression in items_at(spec, "matchExpressions"):
        strings.extend(value for _, value in items_at(expression, "values"))
    if not all(isinstance(value, str) for value in strings):
        return None
    parsed = parse_label_selector(spec)
    if parsed is None:
        return None
    pod_labels = {key: value for key, value in label_map.items() if isinstance(value, str)}
    return parsed.matches(pod_labels)


def string_labels(labels: Node) -> dict[str, str] | None:
    """The labels as the error value shows them (`null` when there are none)."""
    found = as_map(labels)
    if not found:
        return None
    return {key: value for key, value in found.items() if isinstance(value, str)} or None
