"""When to try a failed delivery again: the Standard Webhooks schedule, with jitter so that
an endpoint coming back is not hit by every retry at the same instant."""

import random
from collections.abc import Sequence

# Delays before attempts 1..10: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
STANDARD = (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 50400.0, 72000.0, 86400.0)
JITTER = 0.1  # ±10 %


def next_delay(
    attempts_made: int,
    *,
    schedule: Sequence[float],
    retry_after: float | None,
    retry_after_cap: float,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds until the next attempt after `attempts_made` failed ones, or None: give up."""
    if attempts_made >= len(schedule):
        return None
    delay = schedule[attempts_made]
    if delay:
        delay *= 1 + (rng or random).uniform(-JITTER, JITTER)
    if retry_after is not None:
        # The receiver asked for a pause: honoured, but never beyond the cap.
        delay = max(delay, min(retry_after, retry_after_cap))
    return delay
