"""The one clock: UTC, and timestamps as RFC 3339 with `Z` (CONVENTIONS: Values)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """`2024-01-15T10:30:00Z`; sub-second precision is kept when present (sortable either way)."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
