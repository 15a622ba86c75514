"""Loading the pack's own declarative policies from `policies/`, with the public
`netlint.policy` functions a user's pack would use."""

from __future__ import annotations

from netlint.api import package_files
from netlint.policy import PolicyRule, load_policy_file

_PACKAGE = __name__.rpartition(".")[0]


def builtin_policy(name: str) -> PolicyRule:
    """The single policy of `policies/<name>.yaml`."""
    (policy,) = load_policy_file(
        package_files(_PACKAGE) / "policies" / f"{name}.yaml", f"rules/policies/{name}.yaml"
    )
    return policy
