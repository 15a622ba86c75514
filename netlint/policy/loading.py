"""Policy files: which paths hold policies, and loading their rules (ids unique within a file and
across the files of one call). A file holds netlint policies, and ValidatingAdmissionPolicies
with their bindings (`netlint.policy.admission`), which are paired across all the files of one
`load_policy_paths` call."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from netlint.api import Rule
from netlint.input.loader import load_yaml
from netlint.policy.admission import is_admission_document
from netlint.policy.document import PolicyError, parse_document
from netlint.policy.rule import PolicyRule

if TYPE_CHECKING:  # importlib.resources is not imported by a run that does not need it
    from netlint.policy.admission.spec import AdmissionPolicy, Binding

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

POLICY_SUFFIXES = (".yaml", ".yml")


def _read_text(text: str, display: str) -> tuple[list[PolicyRule], list[AdmissionPolicy | Binding]]:
    """The netlint policies and the admission objects of one YAML text, each checked."""
    loaded = load_yaml(text, display)
    if loaded.problems:
        problem = loaded.problems[0]
        raise PolicyError(f"{display}:{problem.span[0] + 1}: {problem.message}")
    rules: list[PolicyRule] = []
    admission: list[AdmissionPolicy | Binding] = []
    seen: dict[str, str] = {}
    for document in loaded.documents:
        if document.data is None:
            continue
        if is_admission_document(document.data):
            from netlint.policy.admission.loading import parse_admission_document  # see below

            admission.append(parse_admission_document(document, display))
            continue
        spec = parse_document(document, display)
        if spec.meta.id in seen:
            raise PolicyError(
                f"{spec.source}: policy id {spec.meta.id!r} is already defined at {seen[spec.meta.id]}"
            )
        seen[spec.meta.id] = spec.source
        rules.append(PolicyRule(spec))
    if not rules and not admission:
        raise PolicyError(f"{display}:1: no policy in this file")
    return rules, admission


def load_policy_text(text: str, display: str) -> list[PolicyRule]:
    """Every policy of one YAML text (one policy per document). ValidatingAdmissionPolicies are
    loaded with their bindings, by `load_policy_paths`."""
    rules, admission = _read_text(text, display)
    if admission:
        raise PolicyError(
            f"{admission[0].source}: a ValidatingAdmissionPolicy or binding is loaded with the "
            "files that hold its bindings: load_policy_paths (--rules, config rules:)"
        )
    return rules


def _read_file(path: FsPath | Traversable, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"{label}: cannot read the policy file: {error}") from None


def load_policy_file(path: FsPath | Traversable, display: str | None = None) -> list[PolicyRule]:
    label = display or str(path)
    return load_policy_text(_read_file(path, label), label)


def policy_files(path: FsPath) -> list[FsPath]:
    """A policy file, or the `*.yaml`/`*.yml` files of a folder and its subfolders, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in POLICY_SUFFIXES and p.is_file())
    return [path]


def is_policy_path(path: FsPath) -> bool:
    """YAML policies (a `.yaml`/`.yml` file, or a folder that is not a Python package)."""
    if path.is_dir():
        return not (path / "__init__.py").is_file()
    return path.suffix in POLICY_SUFFIXES


def load_policy_paths(paths: Iterable[FsPath]) -> list[tuple[str, Rule]]:
    """(label, rule) for every policy of the given files and folders; ids unique across them.
    Each ValidatingAdmissionPolicy is one rule, with the bindings of every file that name it."""
    found: list[tuple[str, Rule]] = []
    seen: dict[str, str] = {}
    policies: list[tuple[str, AdmissionPolicy]] = []
    bindings: list[Binding] = []

    def add(label: str, rule: Rule, source: str) -> None:
        if rule.meta.id in seen:
            raise PolicyError(
                f"{source}: policy id {rule.meta.id!r} is already defined at {seen[rule.meta.id]}"
            )
        seen[rule.meta.id] = source
        found.append((label, rule))

    for path in paths:
        if not path.exists():
            raise PolicyError(f"{path}: no such policy file or folder")
        files = policy_files(path)
        if path.is_dir() and not files:
            raise PolicyError(f"{path}: no *.yaml or *.yml policy file in this folder")
        for file in files:
            rules, admission = _read_text(_read_file(file, str(file)), str(file))
            for rule in rules:
                add(str(file), rule, rule.spec.source)
            for item in admission:
                from netlint.policy.admission.spec import AdmissionPolicy  # see below

                if isinstance(item, AdmissionPolicy):
                    policies.append((str(file), item))
                else:
                    bindings.append(item)
    if not policies and not bindings:
        return found
    # The admission evaluator, only for files that hold its objects: the built-in pack's
    # policies and most users' are netlint policies (issue 31).
    from netlint.policy.admission.loading import pair_bindings

    labels = {policy.name: label for label, policy in policies}
    for rule in pair_bindings([policy for _, policy in policies], bindings):
        add(labels[rule.policy.name], rule, rule.policy.source)
    return found
