"""Whether a name with capitals may be referred to by another object: what a rename fix asks
before lower-casing an object or port name that the API server refuses as written."""

from __future__ import annotations

from collections import Counter

from netlint.api import Inventory, Manifest, Node

_MEMO = "renames.capitalised-name-values"


def _referring_key(key: str) -> bool:
    """Keys whose values name objects or ports: `name`, `serviceName`, `port`, `targetPort`,
    `kubernetes.io/service-name`, `secretName`, `claimName`..."""
    lowered = key.lower()
    return "name" in lowered or "port" in lowered


def _count(node: Node, counts: Counter[str]) -> None:
    """Add each string with capitals that is a value (or a list item of a value) of a key
    that refers (`_referring_key`), anywhere in `node`."""
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, referring = stack.pop()
        if isinstance(current, dict):
            stack.extend((value, _referring_key(key)) for key, value in current.items())
        elif isinstance(current, list):
            stack.extend((item, referring) for item in current)
        elif referring and isinstance(current, str) and current != current.lower():
            counts[current] += 1


def _capitalised(inventory: Inventory) -> Counter[str]:
    counts: Counter[str] = Counter()
    for manifest in inventory.manifests:
        _count(manifest.data, counts)
    return counts


def may_be_referred_to(inventory: Inventory, manifest: Manifest, name: str) -> bool:
    """Whether `name` (which has capitals) is the value of a name or port field of an object of
    the input other than `manifest`. Conservative: any such field of any kind counts, since
    which fields refer to what is open-ended (custom resources, controllers' annotations)."""
    own: Counter[str] = Counter()
    _count(manifest.data, own)
    return inventory.memo(_MEMO, _capitalised)[name] > own[name]
