"""Declarative policies (DESIGN §6) and the strict schema validators behind the `schema` rule.

A policy file is YAML: match, parameters and a JSON Schema the matching objects must satisfy.
This package's top level is the public face for rule packs that ship or extend policies; the
modules under it are netlint's own:

- `loading`: policy files and folders, loaded into rules.
- `document`: one policy document checked against the policy format and parsed.
- `rule`: `PolicyRule`, a policy as an ordinary rule, and the check of config `params:`.
- `match`: which objects a policy checks.
- `params`: parameters, their types, settings and substitution into the schema.
- `validator`: the schema compiled (python-jsonschema with netlint's keywords, jsonschema-rs).
- `keywords`, `formats`: netlint's schema keywords and string formats.
- `messages`: the words of a finding; `template`: the message templates.
- `admission`: ValidatingAdmissionPolicies and their bindings, evaluated offline.
- `testing`: `netlint test`; `schema_validation`, `schema_checker`: the `schema` rule's
  validators; `crd`: CustomResourceDefinitions (the bundled Gateway API ones, `--crd`), their
  schemas and CEL rules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netlint.policy.admission.rule import AdmissionPolicyRule
    from netlint.policy.document import DEFAULT_MESSAGE, POLICY_SCHEMA_FILE, PolicyError
    from netlint.policy.loading import (
        POLICY_SUFFIXES,
        is_policy_path,
        load_policy_file,
        load_policy_paths,
        load_policy_text,
        policy_files,
    )
    from netlint.policy.rule import PolicyRule, check_params

# Each public name's module, imported when the name is first used (PEP 562): importing one of
# the modules below (`netlint.policy.schema_checker` for the `schema` rule) must not import the
# policy engine and the admission evaluator with it (issue 31).
_LAZY = {
    "AdmissionPolicyRule": "netlint.policy.admission.rule",
    "DEFAULT_MESSAGE": "netlint.policy.document",
    "POLICY_SCHEMA_FILE": "netlint.policy.document",
    "PolicyError": "netlint.policy.document",
    "POLICY_SUFFIXES": "netlint.policy.loading",
    "is_policy_path": "netlint.policy.loading",
    "load_policy_file": "netlint.policy.loading",
    "load_policy_paths": "netlint.policy.loading",
    "load_policy_text": "netlint.policy.loading",
    "policy_files": "netlint.policy.loading",
    "PolicyRule": "netlint.policy.rule",
    "check_params": "netlint.policy.rule",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        # Not a public name: `from netlint.policy import gateway_cel` then imports the submodule.
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DEFAULT_MESSAGE",
    "POLICY_SCHEMA_FILE",
    "POLICY_SUFFIXES",
    "AdmissionPolicyRule",
    "PolicyError",
    "PolicyRule",
    "check_params",
    "is_policy_path",
    "load_policy_file",
    "load_policy_paths",
    "load_policy_text",
    "policy_files",
]
