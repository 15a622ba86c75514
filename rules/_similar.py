"""Whether a label value looks like a slip for another: the near misses that selector rules name."""

from __future__ import annotations


def looks_like_slip(wanted: str, has: str) -> bool:
    """Whether `has` looks like a slip for `wanted` (case, a prefix or suffix, a typo)."""
    a, b = wanted.lower(), has.lower()
    short, long = sorted((a, b), key=len)
    affix = long.startswith(short) or long.endswith(short)
    if a == b or (affix and len(short) >= 0.6 * len(long)):
        return True
    from difflib import SequenceMatcher  # when a selector misses (issue 31)

    return SequenceMatcher(None, a, b).ratio() >= 0.8
