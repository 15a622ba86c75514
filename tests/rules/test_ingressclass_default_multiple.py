"""`ingressclass-default-multiple` (Facts ING-27, IC-05)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text, only

RULE = "ingressclass-default-multiple"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_two_defaults_ic_05() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 7, 50, "warning"), (RULE, 16, 50, "warning")]
    assert (
        "IngressClass nginx is marked as the default IngressClass, and so is IngressClass traefik"
        in (found[0].message)
    )
    assert "and so is IngressClass nginx" in found[1].message


def test_good_fixture_only_one_is_exactly_true() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_copies_of_one_class_in_two_files_count_once(tmp_path: Path) -> None:
    text = (FIXTURES / "good.yaml").read_text().split("---")[0]
    (tmp_path / "install.yaml").write_text(text)
    (tmp_path / "ha.yaml").write_text(text)
    report = lint_files([tmp_path / "install.yaml", tmp_path / "ha.yaml"])
    assert only(report.active, RULE) == []


def test_many_defaults_each_name_the_first_ten_others() -> None:
    ingress_class = (
        "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: c%02d\n"
        "  annotations: {ingressclass.kubernetes.io/is-default-class: 'true'}\n"
        "spec: {controller: example.com/c}\n"
    )
    text = "---\n".join(ingress_class % index for index in range(13))
    found = only(lint_text(text), RULE)
    assert brief(found) == [(RULE, 5 + 7 * index, 62, "warning") for index in range(13)]
    others = ", ".join(f"IngressClass c{index:02}" for index in [0, *range(2, 11)])
    assert found[1].message == (
        f"IngressClass c01 is marked as the default IngressClass, and so is {others} and 2 more; "
        "Ingresses without a class get the newest one (before Kubernetes 1.25 they were rejected)"
    )
