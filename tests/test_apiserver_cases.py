"""The acceptance measurement of issue 22: the API server's own validation test cases, restated as
manifests, run through netlint as a user runs it (every rule on by default, no `select`).

The cases are those the rule modules restate from upstream `validation_test.go` (Service,
Endpoints, EndpointSlice, Ingress, IngressClass and NetworkPolicy; the module docstrings say
which upstream tests, and why a case is restated differently or left out), and the ObjectMeta
cases of test_metadata_format, restated as the metadata of a Service. There, each case is
judged by the rules of its area, finding by finding. Here the question is the one a user of
`kubectl apply` asks: does netlint say `error` for every object the API server refuses, and
for none that it accepts? On this branch: 207 of 207 refused objects get an error (179 of the
kinds' own tests, 28 of ObjectMeta's), and none of the 186 accepted ones (152 and 34) does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import pytest

from tests.helpers import lint_text
from tests.rules import (
    test_endpoints_format,
    test_endpointslice_format,
    test_ingress_format,
    test_ingressclass_format,
    test_metadata_format,
    test_networkpolicy_format,
    test_service_format,
)

MODULES = (
    test_service_format,
    test_endpoints_format,
    test_endpointslice_format,
    test_ingress_format,
    test_ingressclass_format,
    test_networkpolicy_format,
)


def _cases(refused: bool) -> dict[str, str]:
    """`{"area: upstream test / case": manifest}` of the restated tables: `VALID`, or the
    refused ones (`INVALID`, and tables of one kind of refusal such as `CLASS_INVALID`)."""
    found: dict[str, str] = {}
    for module in MODULES:
        area = module.__name__.rpartition(".test_")[2]
        for name, table in vars(module).items():
            wanted = name.endswith("INVALID") if refused else name == "VALID"
            if not wanted or not isinstance(table, Mapping):
                continue
            cases = cast(Mapping[tuple[str, str], "str | tuple[str, object, str]"], table)
            for (test, case_name), case in cases.items():
                text = case if isinstance(case, str) else case[0]
                found[f"{area}: {test} / {case_name}"] = text
    return found


def _service(meta: str) -> str:
    """A Service the API server accepts, with `meta` (YAML lines under `metadata:`)."""
    return (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: test\n{meta}"
        "spec:\n  selector: {app: test}\n  ports: [{name: p, port: 8675}]\n"
    )


def _object_meta_cases(refused: bool) -> dict[str, str]:
    """The ObjectMeta cases of test_metadata_format (`TestValidateLabels`,
    `TestValidateAnnotations`, `TestValidateObjectMetaOwnerReferences`,
    `TestValidateObjectMetaNamespaces`, the finalizer and generation cases), each restated as
    the metadata of a Service."""
    meta = test_metadata_format
    cases: list[tuple[str, str, bool]] = [
        *(("labels", meta.labels_yaml(labels), False) for labels in meta.VALID_LABELS),
        *(("labels", meta.labels_yaml(labels), True) for labels, _ in meta.INVALID_LABELS),
        *(("annotations", meta.annotations_yaml(a), False) for a in meta.VALID_ANNOTATIONS),
        *(("annotations", meta.annotations_yaml(a), True) for a, _ in meta.INVALID_ANNOTATIONS),
        *(
            ("ownerReferences", meta.owners_yaml(ref), bool(errors))
            for ref, errors in meta.OWNER_CASES
        ),
        *(
            ("namespace, finalizers, generation", lines, bool(errors))
            for lines, errors in meta.META_CASES
        ),
    ]
    return {
        f"object meta: {field} #{index}": _service(lines)
        for index, (field, lines, is_refused) in enumerate(cases)
        if is_refused == refused
    }


ACCEPTED = _cases(refused=False) | _object_meta_cases(refused=False)
REFUSED = _cases(refused=True) | _object_meta_cases(refused=True)


def _errors(text: str) -> list[str]:
    return [
        f"{finding.rule_id}: {finding.message}"
        for finding in lint_text(text)
        if finding.severity.label == "error"
    ]


def test_the_restated_set_is_large_enough() -> None:
    assert len(REFUSED) >= 150
    assert len(ACCEPTED) >= 100


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_every_refused_object_gets_an_error(text: str) -> None:
    assert _errors(text)


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_no_accepted_object_gets_an_error(text: str) -> None:
    assert _errors(text) == []
