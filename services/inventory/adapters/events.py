"""What the inventory hears on the bus: new organizations (their default location), the
catalog's products (what to track), and orders (what their held stock should do)."""

import asyncpg
from aiohttp import web

from libs.common.consumer import BatchHandler, Handler, Subscription, one_by_one
from libs.common.events import Event
from libs.common.web import STORE
from services.inventory.domain.holds import OrderState
from services.inventory.service import holds, locations
from services.inventory.service.stock import ProductInfo, learn_product, system

SUBSCRIPTION = Subscription(
    queue="inventory.events",
    bindings=(
        "organization.created",
        "product.created",
        "product.updated",
        "product.deleted",
        "order.created",
        "order.completed",
        "order.cancelled",
    ),
)


def handler(app: web.Application) -> Handler:
    async def on_event(conn: asyncpg.Connection, event: Event) -> None:
        store = app[STORE]
        data = event.data
        if event.event == "organization.created":
            for mode in ("live", "test"):
                await locations.create_default(
                    conn,
                    store=store,
                    who=system(organization_id=data["id"], mode=mode, cause=event.id),
                    location_id=data["defaultLocationId"],
                )
            return
        assert event.organization_id is not None and event.mode is not None
        who = system(organization_id=event.organization_id, mode=event.mode, cause=event.id)
        if event.event.startswith("product."):
            product = ProductInfo(
                id=data["id"],
                track_inventory=data["trackInventory"],
                inventory_policy=data["inventoryPolicy"],
                low_stock_threshold=data["lowStockThreshold"],
                version=data["version"],
                deleted=event.event == "product.deleted",
            )
            await learn_product(conn, store=store, who=who, product=product)
        elif event.event.startswith("order."):
            # The order's state, not the event's type: events of one order may arrive
            # in any order (two replicas, a redelivery) and the stock still ends right.
            await holds.follow(conn, store=store, who=who, order=OrderState.of(data))

    return on_event


def newest_per_order(events: list[Event]) -> list[Event]:
    """The batch with each order's older events left out, in its order otherwise."""
    newest: dict[str, Event] = {}
    for event in events:
        if event.event.startswith("order."):
            seen = newest.get(event.data["id"])
            if seen is None or event.data["version"] > seen.data["version"]:
                newest[event.data["id"]] = event
    return [e for e in events if not e.event.startswith("order.") or newest[e.data["id"]] is e]


def batch_handler(app: web.Application) -> BatchHandler:
    """`handler` for a batch, each order followed once, to its newest state in the batch: a
    sale's `order.created` and `order.completed` often arrive together, and the hold follows
    the order's state, not its events (`follow`), so the older of them would move nothing."""
    each = one_by_one(handler(app))

    async def on_events(conn: asyncpg.Connection, events: list[Event]) -> None:
        await each(conn, newest_per_order(events))

    return on_events
