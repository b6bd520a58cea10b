"""Delivery rows as the API shows them: the one mapping between the queue's columns and
`DeliveryRead` / `AttemptRead`, whose names differ (the queue keeps what the worker needs)."""

import asyncpg

from libs.contract.deliveries import AttemptRead, DeliveryRead


def delivery_read(row: asyncpg.Record) -> DeliveryRead:
    """A `deliveries` row as the API shows it: its event's type is `event`, and when the
    next attempt is due only while one is."""
    pending = row["status"] == "pending"
    return DeliveryRead.model_validate(
        {
            **dict(row),
            "event": row["event_type"],
            "next_attempt_at": row["next_attempt_at"] if pending else None,
        }
    )


# The attempts' columns that the API names otherwise.
_ATTEMPT_NAMES = {"started_at": "at", "response_body": "response"}


def attempt_read(row: asyncpg.Record) -> AttemptRead:
    return AttemptRead.model_validate({_ATTEMPT_NAMES.get(k, k): v for k, v in row.items()})
