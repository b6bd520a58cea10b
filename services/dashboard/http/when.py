"""Times as the pages show them: to the minute, in UTC, said so."""

from datetime import UTC, datetime


def parse(value: str) -> datetime:
    """An RFC 3339 time of a backend's answer (`Z` or an offset)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def when(value: str | None) -> str:
    if not value:
        return ""
    try:
        return parse(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return value
