"""File sizes as users write them on the command line (`--max-file-size`): `10M`, `512K`, `1G`."""

from __future__ import annotations

_KIB, _MIB, _GIB = 1 << 10, 1 << 20, 1 << 30
_SIZE_UNITS = {"": 1, "k": _KIB, "kib": _KIB, "m": _MIB, "mib": _MIB, "g": _GIB, "gib": _GIB}


def parse_size(text: str) -> int:
    """`10485760`, `512K`, `10M`, `10MiB`, `1G` -> bytes (binary units); ValueError otherwise."""
    stripped = text.strip()
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    number, unit = stripped[:digits], stripped[digits:].strip().lower().removesuffix("b")
    if unit.endswith("i"):
        unit += "b"
    if not number or unit not in _SIZE_UNITS or int(number) == 0:
        raise ValueError(
            f"invalid file size {text!r}: use a positive number of bytes, optionally with "
            "K, M or G (KiB, MiB, GiB), e.g. 10M"
        )
    return int(number) * _SIZE_UNITS[unit]
