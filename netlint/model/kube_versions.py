"""The Kubernetes versions netlint bundles schemas for, and the one it checks against by default.

A module of its own so that the rule API's defaults, the configuration and the schema store read
one definition without importing one another."""

from __future__ import annotations

SUPPORTED_KUBE_VERSIONS: tuple[str, ...] = ("1.32", "1.33", "1.34", "1.35", "1.36", "1.37")
DEFAULT_KUBE_VERSION = SUPPORTED_KUBE_VERSIONS[-1]
