"""The webhooks service's copy of the whole event stream (the Events API reads it)."""

import asyncpg
from aiohttp import web

from libs.common.consumer import Handler, Subscription
from libs.common.events import Event

# Every event type of every service: deliveries may subscribe to any of them, or to "*".
SUBSCRIPTION = Subscription(queue="webhooks.events", bindings=("#",))


async def record_event(conn: asyncpg.Connection, event: Event) -> None:
    await conn.execute(
        "INSERT INTO event_log (id, type, organization_id, mode, occurred_at, body)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        event.id,
        event.event,
        event.organization_id,
        event.mode,
        event.timestamp,
        event.public(),
    )


def event_log_handler(app: web.Application) -> Handler:
    return record_event
