"""`inventory.low`: once when an item's available stock falls from at or above its
threshold to below it, and again only after it has risen back to the threshold."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Observation:
    low: bool  # below the threshold after this event
    fire: bool  # this event is the fall that deserves an inventory.low


def observe(data: dict[str, Any], *, was_low: bool | None) -> Observation:
    """`was_low`: the state after the item's previous event, None when never seen (then the
    event's own `previousAvailable` tells where it came from)."""
    threshold = data.get("lowStockThreshold")
    if threshold is None:
        return Observation(low=False, fire=False)
    low = data["available"] < threshold
    if was_low is None:
        was_low = data["previousAvailable"] < threshold
    return Observation(low=low, fire=low and not was_low)
