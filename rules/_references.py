"""Reference logic shared by the Ingress and Gateway API rules: the ports a backend can name,
and the Secrets that objects of the input will create."""

from __future__ import annotations

from collections.abc import Sequence

from netlint.access import as_int, as_str, dig, items_at
from netlint.inventory import Inventory
from netlint.manifest import Manifest

ServicePort = tuple[int | None, str | None, int | str | None]  # port, name, targetPort

TLS_TYPE = "kubernetes.io/tls"
# cert-manager's ingress-shim and gateway-shim create a Certificate (and so the Secret) for these
# annotations.
CERT_MANAGER_ANNOTATIONS = ("cert-manager.io/cluster-issuer", "cert-manager.io/issuer")


def secret_type(secret: Manifest) -> str:
    """The Secret's `type`, defaulted to Opaque (also when it is empty or not a string)."""
    return as_str(dig(secret.data, "type")) or "Opaque"


def service_ports(service: Manifest) -> tuple[ServicePort, ...]:
    """(port, name, targetPort) of each Service port; targetPort defaulted to port.

    Every backend that names the Service asks: parsed once per Service."""
    return service.memo("references:service-ports", _parse_service_ports)


def _parse_service_ports(service: Manifest) -> tuple[ServicePort, ...]:
    ports: list[ServicePort] = []
    for _, item in items_at(service.data, "spec", "ports"):
        number = as_int(dig(item, "port"))
        target_node = dig(item, "targetPort")
        target: int | str | None = as_int(target_node)
        if target is None:
            target = as_str(target_node) or None
        if target in (None, 0):
            target = number
        ports.append((number, as_str(dig(item, "name")), target))
    return tuple(ports)


def port_listing(ports: Sequence[ServicePort]) -> str:
    """`http=80, 443` for messages."""
    shown = [f"{name}={number}" if name else str(number) for number, name, _ in ports]
    return ", ".join(shown) if shown else "none"


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
