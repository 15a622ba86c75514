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
