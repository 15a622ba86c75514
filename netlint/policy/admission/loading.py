"""ValidatingAdmissionPolicy and binding documents of policy files: checked (the schema, then
every CEL expression compiled, as the API server refuses a policy that does not compile), and
paired into rules once every file of a load is read.

Nothing here runs anything: the documents are data, and a CEL expression can only compute.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from netlint.api import RULE_ID
from netlint.input.document import Document
from netlint.policy.admission import POLICY_KIND
from netlint.policy.admission.rule import AdmissionPolicyRule
from netlint.policy.admission.spec import (
    AdmissionPolicy,
    Binding,
    admission_problems,
    parse_binding,
    parse_policy,
)
from netlint.policy.cel_runtime import CelSyntaxError, CelUnavailable, compile_cel
from netlint.policy.document import PolicyError, validation_problem

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


def _expression_paths(document: Document) -> Iterable[tuple[tuple[str | int, ...], str]]:
    spec = document.data.get("spec") if isinstance(document.data, dict) else None
    if not isinstance(spec, dict):
        return
    for key, fields in (
        ("matchConditions", ("expression",)),
        ("variables", ("expression",)),
        ("validations", ("expression", "messageExpression")),
        ("auditAnnotations", ("valueExpression",)),
    ):
        entries = spec.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            for field in fields:
                value = entry.get(field) if isinstance(entry, dict) else None
                if isinstance(value, str):
                    yield ("spec", key, index, field), value


def parse_admission_document(document: Document, display: str) -> AdmissionPolicy | Binding:
    def fail(path: tuple[str | int, ...], message: str, on_key: bool = False) -> PolicyError:
        line = document.span_of(path, on_key=on_key)[0] + 1
        return PolicyError(f"{display}:{line}: {message}")

    data = document.data
    kind = data.get("kind") if isinstance(data, dict) else None
    errors: list[ValidationError] = sorted(
        admission_problems(data), key=lambda e: document.span_of(tuple(e.absolute_path))
    )
    if errors:
        if errors[0].validator == "not" and tuple(errors[0].absolute_path)[-1:] == (
            "validationActions",
        ):
            raise fail(
                tuple(errors[0].absolute_path),
                f"invalid {kind}: validationActions: Deny and Warn may not be used together",
            )
        path, message, on_key = validation_problem(errors[0])
        raise fail(path, f"invalid {kind}: {message}", on_key)
    if kind != POLICY_KIND:
        return parse_binding(document, display)
    policy = parse_policy(document, display)
    if not RULE_ID.fullmatch(policy.name):
        raise fail(
            ("metadata", "name"),
            f"ValidatingAdmissionPolicy {policy.name!r}: netlint uses the name as the rule id, "
            "so it must be lower-case words joined by '-' or '.' and start with a letter",
        )
    for path, expression in _expression_paths(document):
        try:
            compile_cel(expression)
        except (CelSyntaxError, CelUnavailable) as error:
            raise fail(path, f"ValidatingAdmissionPolicy {policy.name}: {error}") from None
    names = [v.name for v in policy.variables]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise fail(("spec", "variables", index, "name"), f"variable {name!r} is defined twice")
    return policy


def pair_bindings(
    policies: Iterable[AdmissionPolicy], bindings: Iterable[Binding]
) -> list[AdmissionPolicyRule]:
    """One rule per policy with the bindings that name it; a binding that names no loaded
    policy is an error (in a cluster it would do nothing, which is never what a lint run
    means)."""
    known: dict[str, AdmissionPolicy] = {}
    for policy in policies:
        if policy.name in known:
            raise PolicyError(
                f"{policy.source}: ValidatingAdmissionPolicy {policy.name!r} is already defined "
                f"at {known[policy.name].source}"
            )
        known[policy.name] = policy
    by_policy: dict[str, list[Binding]] = {name: [] for name in known}
    seen: dict[str, str] = {}
    for binding in bindings:
        if binding.name in seen:
            raise PolicyError(
                f"{binding.source}: ValidatingAdmissionPolicyBinding {binding.name!r} is already "
                f"defined at {seen[binding.name]}"
            )
        seen[binding.name] = binding.source
        if binding.policy_name not in known:
            loaded = ", ".join(sorted(known)) or "none"
            raise PolicyError(
                f"{binding.source}: ValidatingAdmissionPolicyBinding {binding.name} names policy "
                f"{binding.policy_name!r}, which no loaded file defines (loaded: {loaded})"
            )
        by_policy[binding.policy_name].append(binding)
    return [AdmissionPolicyRule(policy, tuple(by_policy[name])) for name, policy in known.items()]
