"""netlint: a static linter and policy engine for Kubernetes networking manifests."""

from __future__ import annotations

__version__ = "0.2.0"
