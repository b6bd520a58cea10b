"""Prefixed, time-sortable identifiers: `prod_0VzHk8mWQ1a2b3c4d5e6f7`.

The random part is 22 base62 characters encoding 48 bits of milliseconds since the epoch
followed by 80 random bits. Fixed width and an ASCII-ordered alphabet make the string
order equal to creation order (to the millisecond), which keyset pagination relies on.
"""

import re
import secrets
import time
from datetime import datetime

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_WIDTH = 22  # 62**22 > 2**128, the smallest width that holds 128 bits
_RANDOM_BITS = 80

PREFIXES = frozenset(
    {
        *("org", "loc", "prod", "cat", "ord", "cus", "inv", "adj", "we", "evt", "del", "key"),
        *("req", "mem"),  # mem: a member of an organization (the gateway's dashboard sign-in)
    }
)
# At least 16 base62 characters (CONVENTIONS: Identifiers); 64 bounds what we accept.
_ID_RE = re.compile(r"^([a-z]+)_([0-9A-Za-z]{16,64})$")


def _base62(number: int) -> str:
    digits = []
    for _ in range(_WIDTH):
        number, rest = divmod(number, 62)
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits))


def new_id(prefix: str, *, now_ms: int | None = None) -> str:
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}")
    millis = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    value = (millis << _RANDOM_BITS) | secrets.randbits(_RANDOM_BITS)
    return f"{prefix}_{_base62(value)}"


def id_floor(prefix: str, *, at: datetime) -> str:
    """The smallest id of `prefix` made at `at` or later: `id < id_floor(...)` selects, by a
    range of an index on the id, what was made before `at` (retention relies on it)."""
    return f"{prefix}_{_base62(int(at.timestamp() * 1000) << _RANDOM_BITS)}"


def is_valid_id(value: object, prefix: str) -> bool:
    if not isinstance(value, str):
        return False
    match = _ID_RE.match(value)
    return match is not None and match.group(1) == prefix
