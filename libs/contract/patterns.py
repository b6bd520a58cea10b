"""Event type patterns, as the event stream's `types` filter takes them: a public event type
(`order.created`), every public type (`*`), or every type of one resource (`order.*`).

Endpoints' `events` accept the first two (libs/contract/webhooks.py); the stream adds the
third, which is what a developer listening locally reaches for
(`stacknex listen --events 'order.*'`)."""

from collections.abc import Iterable

from libs.contract.events import PUBLIC_EVENTS

ALL = "*"
RESOURCES = frozenset(event.split(".", 1)[0] for event in PUBLIC_EVENTS)


def parse(text: str) -> tuple[str, ...]:
    """Comma-separated patterns, checked; ValueError names the ones that match no event."""
    patterns = tuple(sorted({p.strip() for p in text.split(",") if p.strip()}))
    if not patterns:
        raise ValueError("name at least one event type, a pattern such as order.*, or *")
    unknown = [p for p in patterns if not _known(p)]
    if unknown:
        raise ValueError(
            f"unknown event type(s) or pattern(s): {', '.join(unknown)};"
            " use public event types, <resource>.* or *"
        )
    return patterns


def _known(pattern: str) -> bool:
    if pattern == ALL or pattern in PUBLIC_EVENTS:
        return True
    resource, dot_star = pattern[:-2], pattern[-2:]
    return dot_star == ".*" and resource in RESOURCES


def expand(patterns: Iterable[str]) -> frozenset[str]:
    """The public event types the (checked) patterns name."""
    chosen: set[str] = set()
    for pattern in patterns:
        if pattern == ALL:
            return PUBLIC_EVENTS
        if pattern.endswith(".*"):
            chosen |= {e for e in PUBLIC_EVENTS if e.startswith(pattern[:-1])}
        else:
            chosen.add(pattern)
    return frozenset(chosen)
