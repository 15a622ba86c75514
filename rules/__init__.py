"""netlint's built-in rule pack.

Loaded through the `netlint.rules` entry point like any installed pack (DESIGN §6): this module
lists its rules explicitly in `RULES`; nothing registers itself on import.
"""

from __future__ import annotations

from netlint.api import Rule

from .duplicate_object import DuplicateObject
from .engine_rules import (
    FILE_UNREADABLE,
    INPUT_LIMIT,
    INTERNAL_ERROR,
    MANIFEST_SHAPE,
    YAML_DUPLICATE_KEY,
    YAML_SYNTAX,
)
from .schema import Schema

# --- Service rule imports (keep this marker) ---
# --- EndpointSlice / Endpoints / deprecated-api / name-format / yaml-ambiguous-value imports ---
# --- Ingress rule imports ---

RULES: tuple[Rule, ...] = (
    YAML_SYNTAX,
    YAML_DUPLICATE_KEY,
    MANIFEST_SHAPE,
    FILE_UNREADABLE,
    INPUT_LIMIT,
    INTERNAL_ERROR,
    DuplicateObject(),
    Schema(),
    # --- Service rules ---
    # --- EndpointSlice / Endpoints / deprecated-api / name-format / yaml-ambiguous-value rules ---
    # --- Ingress rules ---
)
