"""Reference logic shared by the Ingress and Gateway API rules: the Secrets that objects of the
input will create, what a TLS Secret must hold, and how to judge a reference to an object that
the input holds more than once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from netlint.api import Inventory, Manifest
from netlint.k8s import as_str, compatible, dig

T = TypeVar("T")

TLS_TYPE = "kubernetes.io/tls"
# cert-manager's ingress-shim and gateway-shim create a Certificate (and so the Secret) for these
# annotations.
CERT_MANAGER_ANNOTATIONS = ("cert-manager.io/cluster-issuer", "cert-manager.io/issuer")


def cert_manager_shim(manifest: Manifest) -> bool:
    """Whether cert-manager's shim issues the certificates `manifest` names (its annotations)."""
    annotations = manifest.annotations
    return any(as_str(annotations.get(key)) for key in CERT_MANAGER_ANNOTATIONS)


def secret_type(secret: Manifest) -> str:
    """The Secret's `type`, defaulted to Opaque (also when it is empty or not a string)."""
    return as_str(dig(secret.data, "type")) or "Opaque"


def secret_written(inventory: Inventory, namespace: str | None, name: str) -> bool:
    """Whether an object of the input will create Secret namespace/name: a cert-manager
    Certificate (`spec.secretName`), a SealedSecret or an ExternalSecret, in a namespace that
    may be `namespace` once applied."""

    def build(inv: Inventory) -> dict[str, frozenset[str | None]]:
        found: dict[str, set[str | None]] = {}
        for certificate in inv.of_kind("Certificate"):
            secret = as_str(dig(certificate.data, "spec", "secretName"))
            if secret:
                found.setdefault(secret, set()).add(certificate.namespace)
        for sealed in inv.of_kind("SealedSecret"):
            secret = as_str(dig(sealed.data, "spec", "template", "metadata", "name")) or sealed.name
            found.setdefault(secret, set()).add(sealed.namespace)
        for external in inv.of_kind("ExternalSecret"):
            secret = as_str(dig(external.data, "spec", "target", "name")) or external.name
            found.setdefault(secret, set()).add(external.namespace)
        return {secret: frozenset(spaces) for secret, spaces in found.items()}

    writers = inventory.memo("references:secret-writers", build)
    return any(compatible(space, namespace) for space in writers.get(name, ()))


def own_file_first(copies: Iterable[Manifest], referrer: Manifest) -> list[Manifest]:
    """Copies of one object (repositories keep variants side by side in several files), the
    ones in `referrer`'s own file first: that is the copy a finding names."""
    return sorted(copies, key=lambda copy: copy.source_path != referrer.source_path)


def problems_on_every_copy(
    copies: Sequence[Manifest], referrer: Manifest, judge: Callable[[Manifest], Iterable[T]]
) -> list[T]:
    """What `judge` finds on the first of `own_file_first(copies)`, but only when it finds
    something on every copy: a reference that some variant satisfies is not reported."""
    found = [list(judge(copy)) for copy in own_file_first(copies, referrer)]
    return found[0] if found and all(found) else []
