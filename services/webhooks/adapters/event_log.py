"""The webhooks service's consumer: every public event of every service, logged (the Events
API reads it), watched for low stock, and fanned out to the endpoints that want it, all in the
transaction that marks the event processed."""

import asyncpg
from aiohttp import web

from libs.common.consumer import Handler, Subscription
from libs.common.events import Event
from libs.common.web import STORE
from services.webhooks import service
from services.webhooks.adapters.metrics import WEBHOOK_METRICS
from services.webhooks.domain.endpoints import PUBLIC_EVENTS

# The public event types only: nothing here uses the others (endpoints and the Events API
# offer only these), and each internal event routed here cost a consume and a transaction
# (about half of what this queue received per sale). `#` was the binding before.
SUBSCRIPTION = Subscription(
    queue="webhooks.events", bindings=tuple(sorted(PUBLIC_EVENTS)), retired=("#",)
)


def event_log_handler(app: web.Application) -> Handler:
    async def on_event(conn: asyncpg.Connection, event: Event) -> None:
        if not await service.record(conn, event):
            return
        if event.event == "inventory.updated" and await service.watch_stock(
            conn, app[STORE], event
        ):
            app[WEBHOOK_METRICS].low_stock.inc()
        await service.fan_out(conn, event)

    return on_event
