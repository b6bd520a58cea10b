"""Holding stock for orders: placed synchronously when an order is placed, then moved by
the order's events. Keyed by order id throughout, so nothing ever moves twice."""

from collections import defaultdict
from dataclasses import dataclass

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from services.inventory.domain import holds, items
from services.inventory.domain.errors import InvalidInput, Shortage
from services.inventory.service.stock import (
    ProductInfo,
    ensure_item,
    load_item,
    record,
    upsert_product,
)


@dataclass(frozen=True)
class Request:
    product: ProductInfo
    quantity: int


async def _append_hold(
    conn: asyncpg.Connection, store: EventStore, who: Identity, hold: holds.Hold, kind: str
) -> holds.Hold:
    await store.append(
        conn,
        stream_id=holds.stream_id(hold.order_id),
        expected_version=hold.version - 1,
        events=[
            NewEvent(
                type=kind, data=hold.data(), organization_id=who.organization_id, mode=who.mode
            )
        ],
    )
    return hold


async def load_hold(
    conn: asyncpg.Connection, store: EventStore, who: Identity, order_id: str
) -> holds.Hold | None:
    await store.lock_stream(conn, stream_id=holds.stream_id(order_id))
    event = await store.read_last(conn, stream_id=holds.stream_id(order_id))
    if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
        return None
    return holds.from_data(event.data)


async def place(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    *,
    order_id: str,
    location_id: str,
    lines: list[Request],
    sold: bool,
) -> holds.Hold:
    """Holds (or, for a completed sale, takes) the stock of every tracked line, or nothing."""
    existing = await load_hold(conn, store, who, order_id)
    if existing is not None:
        return existing  # a retry of the same order: it was held already
    location = await conn.fetchval(
        "SELECT 1 FROM locations WHERE id = $1 AND organization_id = $2 AND mode = $3",
        location_id,
        who.organization_id,
        who.mode,
    )
    if not location:
        raise InvalidInput(f"No location {location_id}.", field="locationId")
    tracked: dict[str, str] = {}  # product id -> its item here
    # Sorted, so two orders creating the same items always lock them in the same order.
    for request in sorted(lines, key=lambda r: r.product.id):
        await upsert_product(conn, who, request.product)
        if request.product.track_inventory and request.product.id not in tracked:
            tracked[request.product.id] = await ensure_item(
                conn, store, who, product_id=request.product.id, location_id=location_id
            )
    wanted: dict[str, int] = defaultdict(int)  # item id -> units, over all its lines
    for request in lines:
        if request.product.id in tracked:
            wanted[tracked[request.product.id]] += request.quantity
    loaded = {item_id: await load_item(conn, store, who, item_id) for item_id in sorted(wanted)}
    short = []
    for index, request in enumerate(lines):
        item_id = tracked.get(request.product.id)
        if (
            item_id is not None
            and request.product.inventory_policy == "deny"
            and loaded[item_id].available < wanted[item_id]
        ):
            short.append(
                {
                    "field": f"items[{index}].quantity",
                    "productId": request.product.id,
                    "requested": wanted[item_id],
                    "available": loaded[item_id].available,
                }
            )
    if short:
        raise Shortage(short)
    now = utcnow()
    for item_id, quantity in wanted.items():
        item = loaded[item_id]
        change = (
            items.change(
                item,
                now=now,
                reason="sale",
                on_hand=-quantity,
                order_id=order_id,
                adjustment_id=new_id("adj"),
            )
            if sold
            else items.change(item, now=now, reason="hold", committed=quantity, order_id=order_id)
        )
        await record(conn, store, who, change, expected=item.version)
    hold = holds.Hold(
        order_id=order_id,
        location_id=location_id,
        state="sold" if sold else "committed",
        confirmed=False,
        version=1,
        created_at=now,
        lines=tuple(
            holds.Line(
                product_id=r.product.id, quantity=r.quantity, item_id=tracked.get(r.product.id)
            )
            for r in lines
        ),
    )
    return await _append_hold(conn, store, who, hold, holds.HOLD_PLACED)


async def _walk(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    hold: holds.Hold,
    wanted: holds.State,
) -> holds.Hold:
    """Moves the hold forward to `wanted`, one stock movement per step and tracked item."""
    for step in holds.path(hold.state, wanted):
        if step.on_hand or step.committed:
            await _move(conn, store, who, hold, step)
        kind = holds.HOLD_SOLD if step.state == "sold" else holds.HOLD_RELEASED
        hold = await _append_hold(conn, store, who, holds.moved(hold, step.state), kind)
    return hold


async def _move(
    conn: asyncpg.Connection, store: EventStore, who: Identity, hold: holds.Hold, step: holds.Step
) -> None:
    now = utcnow()
    per_item: dict[str, int] = defaultdict(int)
    for line in hold.lines:
        if line.item_id is not None:
            per_item[line.item_id] += line.quantity
    for item_id in sorted(per_item):
        item = await load_item(conn, store, who, item_id)
        quantity = per_item[item_id]
        await record(
            conn,
            store,
            who,
            items.change(
                item,
                now=now,
                reason=step.reason,
                on_hand=step.on_hand * quantity,
                committed=step.committed * quantity,
                order_id=hold.order_id,
                adjustment_id=new_id("adj") if step.on_hand else None,
            ),
            expected=item.version,
        )


async def follow(
    conn: asyncpg.Connection, store: EventStore, who: Identity, order: holds.OrderState
) -> holds.Hold | None:
    """Brings the order's hold to where the order's state says its stock belongs. Called
    with the order as it is after a change (synchronously by the orders service), with
    every order event (by the consumer) and by the sweeper: whichever comes second, or
    late, moves nothing."""
    hold = await load_hold(conn, store, who, order.order_id)
    if hold is None:
        return None  # never held (or another organization's order)
    if not hold.confirmed:
        hold = await _append_hold(conn, store, who, holds.confirmed(hold), holds.HOLD_CONFIRMED)
    return await _walk(conn, store, who, hold, order.target)


async def release(
    conn: asyncpg.Connection, store: EventStore, who: Identity, order_id: str
) -> holds.Hold | None:
    """The order could not be recorded after all: its stock goes back (idempotent)."""
    hold = await load_hold(conn, store, who, order_id)
    if hold is None:
        return None
    return await _walk(conn, store, who, hold, "restocked" if hold.state == "sold" else "released")
