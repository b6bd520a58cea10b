"""The one JSON codec of the platform (orjson): fast, and it refuses NaN/Infinity."""

from decimal import Decimal
from typing import Any

import orjson


def _default(value: Any) -> Any:
    # Money is computed as Decimal and shown as a JSON number with two places (CONVENTIONS: Values).
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default)


def dumps_sorted(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_SORT_KEYS)


def dumps_str(value: Any) -> str:
    return dumps(value).decode()


loads = orjson.loads
JSONDecodeError = orjson.JSONDecodeError


def dumps_indented(value: Any) -> str:
    """For people to read (the API reference's examples): keys sorted, two-space indent."""
    return orjson.dumps(
        value, default=_default, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2
    ).decode()
