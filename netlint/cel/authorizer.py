"""The Kubernetes authorizer library's names (k8s.io/apiserver/pkg/cel/library `Authz`),
declared so that a policy using them compiles as it does in the API server. Offline there is
no authorizer to ask: callers see `authorizer` in `Program.references` and do not evaluate;
a call that is evaluated anyway is an error, never a guessed decision."""

from __future__ import annotations

from typing import Any

from netlint.cel.calls import Failed, Function, cel_function

NAMES = (
    "group",
    "resource",
    "subresource",
    "namespace",
    "name",
    "check",
    "allowed",
    "reason",
    "errored",
    "error",
    "path",
    "serviceAccount",
    "fieldSelector",
    "labelSelector",
)


def _offline(*_arguments: Any) -> Any:
    raise Failed("the authorizer library asks the cluster, which netlint cannot offline")


FUNCTIONS: dict[str, Function] = {name: cel_function(_offline) for name in NAMES}
