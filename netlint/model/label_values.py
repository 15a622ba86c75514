"""The values a label a controller adds to every pod can take, without listing them.

A StatefulSet with `replicas: 10000` names its pods `web-0` ... `web-9999` and labels each with its
name and index. Listing those values costs memory in proportion to the replicas (1,000 such
StatefulSets exhausted memory); an `OrdinalValues` pattern holds three fields and answers
membership in constant time.
"""

from __future__ import annotations

from netlint.records import record

# The longest ordinal text parsed: replicas and start ordinals are int32 upstream (10 digits).
_MAX_ORDINAL_DIGITS = 10
_DIGITS = "0123456789"


@record(frozen=True, slots=True)
class OrdinalValues:
    """The values `<prefix><i>` for `start <= i < start + count`, with `i` written in decimal
    without leading zeros, as the StatefulSet controller writes them (`getPodName`:
    `<set name>-<ordinal>`; the `apps.kubernetes.io/pod-index` label: `<ordinal>`)."""

    prefix: str
    start: int
    count: int

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        prefix, ordinal = split_ordinal(value)
        return (
            prefix == self.prefix
            and ordinal is not None
            and self.start <= ordinal < self.start + self.count
        )

    def describe(self) -> str:
        """The values for a message: `web-0 to web-2`, `web-0`, or `none`."""
        if self.count <= 0:
            return "none"
        first = f"{self.prefix}{self.start}"
        if self.count == 1:
            return first
        return f"{first} to {self.prefix}{self.start + self.count - 1}"


# What a controller-added label can be: any value (None), a set of values, or an ordinal pattern.
LabelValues = frozenset[str] | OrdinalValues | None


def split_ordinal(value: str) -> tuple[str, int | None]:
    """`value` as (prefix, ordinal): `web-12` -> (`web-`, 12); (value, None) when it does not
    end in a canonical decimal number (`web-012`, `web-`)."""
    digits = len(value) - len(value.rstrip(_DIGITS))
    if digits == 0 or digits > _MAX_ORDINAL_DIGITS:
        return value, None
    text = value[-digits:]
    if len(text) > 1 and text[0] == "0":
        return value, None
    return value[:-digits], int(text)
