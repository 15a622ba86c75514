"""Declarative policies (DESIGN §6) and the strict schema validators behind the `schema` rule.

A policy file is YAML: match, parameters and a JSON Schema the matching objects must satisfy.
This package's top level is the public face for rule packs that ship or extend policies; the
modules under it are netlint's own.
"""

from __future__ import annotations

from netlint.policy.core import (
    DEFAULT_MESSAGE,
    POLICY_SCHEMA_FILE,
    POLICY_SUFFIXES,
    PolicyError,
    PolicyRule,
    check_params,
    is_policy_path,
    load_policy_file,
    load_policy_paths,
    load_policy_text,
    policy_files,
)

__all__ = [
    "DEFAULT_MESSAGE",
    "POLICY_SCHEMA_FILE",
    "POLICY_SUFFIXES",
    "PolicyError",
    "PolicyRule",
    "check_params",
    "is_policy_path",
    "load_policy_file",
    "load_policy_paths",
    "load_policy_text",
    "policy_files",
]
