"""Values of the configuration that the command line takes too: `--kube-version`,
`--node-port-range`, and the template paths of custom workload kinds.
"""

from __future__ import annotations

import re

from netlint.model.kube_versions import SUPPORTED_KUBE_VERSIONS

PathStep = str | int


# The patterns of this module are compiled (and kept) by `re` when a value is first parsed: a
# run without a configuration or these options never compiles them (issue 31).
_KUBE_VERSION = r"v?(\d+)\.(\d+)(?:\.\d+)?"


def parse_kube_version(text: str) -> str:
    """`1.35`, `v1.35` or `v1.35.2` -> `1.35`; ValueError naming the supported versions."""
    match = re.fullmatch(_KUBE_VERSION, text.strip())
    version = f"{int(match.group(1))}.{int(match.group(2))}" if match else None
    if version not in SUPPORTED_KUBE_VERSIONS:
        supported = ", ".join(SUPPORTED_KUBE_VERSIONS)
        raise ValueError(f"unsupported Kubernetes version {text!r}: use one of {supported}")
    return version


_PORT = r"\+?\d+"
_MAX_PORT = 65535


def _port_number(text: str, whole: str) -> int:
    # Go's strconv.Atoi, as kube-apiserver's flag parser uses it: decimal, optional sign.
    if not re.fullmatch(_PORT, text):
        raise ValueError(f"invalid node port range {whole!r}: {text!r} is not a port number")
    return int(text)


def parse_node_port_range(text: str) -> tuple[int, int]:
    """kube-apiserver's `--service-node-port-range` format -> (first, last), both inclusive.

    As `k8s.io/apimachinery/pkg/util/net.PortRange.Set`: `min-max`, `min+offset` (last =
    min + offset) or a single port; ValueError otherwise. The empty value, which disables the
    range in the apiserver, is not a range a linter can check against, so it is refused too.
    """
    value = text.strip()
    hyphen, plus = value.find("-"), value.find("+", 1)
    if not value:
        raise ValueError("empty node port range: expected e.g. 30000-32767")
    if hyphen >= 0 and plus >= 0:
        raise ValueError(f"unable to parse port range {text!r}: expected e.g. 30000-32767")
    if hyphen >= 0:
        low = _port_number(value[:hyphen], text)
        high = _port_number(value[hyphen + 1 :], text)
    elif plus >= 0:
        low = _port_number(value[:plus], text)
        high = low + _port_number(value[plus + 1 :], text)
    else:
        low = high = _port_number(value, text)
    if low > _MAX_PORT or high > _MAX_PORT:
        raise ValueError(f"the port range cannot be greater than {_MAX_PORT}: {text!r}")
    if high < low:
        raise ValueError(f"end port cannot be less than start port: {text!r}")
    return low, high


_TEMPLATE_PATH = r"[^.\[\]]+(?:\.[^.\[\]]+|\[\d+\])*"
_TEMPLATE_STEP = r"([^.\[\]]+)|\[(\d+)\]"


def parse_template_path(text: str) -> tuple[PathStep, ...]:
    """`spec.template` -> ("spec", "template"); `[N]` indexes a list; `.` (the pod itself) -> ()."""
    value = text.strip()
    if value == ".":
        return ()
    if not re.fullmatch(_TEMPLATE_PATH, value):
        raise ValueError(f"invalid template path {text!r}: expected e.g. spec.template")
    return tuple(
        match.group(1) if match.group(1) is not None else int(match.group(2))
        for match in re.finditer(_TEMPLATE_STEP, value)
    )
