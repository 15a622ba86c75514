"""Reference logic shared by the Ingress and Gateway API rules: the Secrets that objects of the
input will create, and what a TLS Secret must hold."""

from __future__ import annotations

from netlint.access import as_str, dig
from netlint.inventory import Inventory
from netlint.manifest import Manifest

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


def secret_writers(inventory: Inventory) -> frozenset[tuple[str | None, str]]:
    """(namespace, Secret name) that an object of the input will create: cert-manager
    Certificates (`spec.secretName`), SealedSecrets and ExternalSecrets."""

    def build(inv: Inventory) -> frozenset[tuple[str | None, str]]:
        found: set[tuple[str | None, str]] = set()
        for certificate in inv.of_kind("Certificate"):
            name = as_str(dig(certificate.data, "spec", "secretName"))
            if name:
                found.add((certificate.namespace, name))
        for sealed in inv.of_kind("SealedSecret"):
            name = as_str(dig(sealed.data, "spec", "template", "metadata", "name")) or sealed.name
            found.add((sealed.namespace, name))
        for external in inv.of_kind("ExternalSecret"):
            name = as_str(dig(external.data, "spec", "target", "name")) or external.name
            found.add((external.namespace, name))
        return frozenset(found)

    return inventory.memo("references:secret-writers", build)
