"""Holding stock for orders: placed synchronously when an order is placed, then moved to
where the order's state says (synchronously after a status change, and again, a no-op by
then, with the order's events). Keyed by order id throughout, so nothing moves twice."""

from collections import defaultdict
from dataclasses import dataclass

import asyncpg

from libs.common.clock import utcnow
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.kit import append_to
from libs.contract.inventory import InventoryItemRead
from services.inventory.domain import holds, items
from services.inventory.domain.errors import MissingReference, PastTheMost, Shortage
from services.inventory.service.lookups import before_hold, load_items
from services.inventory.service.stock import ProductInfo, ensure_item, record


@dataclass(frozen=True)
class Request:
    product: ProductInfo
    quantity: int


async def _append_hold(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, hold: holds.Hold, kind: str
) -> holds.Hold:
    await append_to(
        conn,
        store=store,
        who=who,
        stream_id=holds.stream_id(hold.order_id),
        kind=kind,
        data=hold,
        expected=hold.version - 1,
        # The inventory's own bookkeeping: no service listens for a hold, and each sale's
        # two (placed, confirmed) were published to no queue, then returned by the broker.
        publish=False,
    )
    return hold


async def load_hold(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, order_id: str
) -> holds.Hold | None:
    await store.lock_stream(conn, stream_id=holds.stream_id(order_id))
    event = await store.read_last(conn, stream_id=holds.stream_id(order_id))
    if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
        return None
    return holds.Hold.model_validate(event.data)


async def place(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    order_id: str,
    location_id: str,
    lines: list[Request],
    sold: bool,
) -> holds.Hold:
    """Holds (or, for a completed sale, takes) the stock of every tracked line, or nothing."""
    await store.lock_stream(conn, stream_id=holds.stream_id(order_id))
    products = {request.product.id: request.product for request in lines}
    want_tracked = sorted(p.id for p in products.values() if p.track_inventory)
    found = await before_hold(
        conn,
        who=who,
        hold_stream=holds.stream_id(order_id),
        location_id=location_id,
        products=list(products.values()),
        tracked=want_tracked,
    )
    if found.hold is not None:
        return holds.Hold.model_validate(found.hold)  # a retry of the same order: held
    if not found.location:
        raise MissingReference(f"No location {location_id}.", field="locationId")
    tracked = dict(found.items)  # product id -> its item here
    # Sorted, so two orders creating the same items always lock them in the same order.
    for product_id in want_tracked:
        if product_id not in tracked:
            tracked[product_id] = await ensure_item(
                conn, store=store, who=who, product_id=product_id, location_id=location_id
            )
    wanted: dict[str, int] = defaultdict(int)  # item id -> units, over all its lines
    for request in lines:
        if request.product.id in tracked:
            wanted[tracked[request.product.id]] += request.quantity
    loaded = await load_items(conn, store=store, who=who, item_ids=list(wanted))
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
    _check_bounds(lines=lines, tracked=tracked, loaded=loaded, wanted=wanted, sold=sold)
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
        await record(conn, store=store, who=who, change=change, expected=item.version)
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
    return await _append_hold(conn, store=store, who=who, hold=hold, kind=holds.HOLD_PLACED)


def _check_bounds(
    *,
    lines: list[Request],
    tracked: dict[str, str],
    loaded: dict[str, InventoryItemRead],
    wanted: dict[str, int],
    sold: bool,
) -> None:
    """A sale may not take a count past ±MAX_UNITS (only `continue` products go below zero,
    and pending orders add up in `committed`): refused whole, naming the first line."""
    for index, request in enumerate(lines):
        item_id = tracked.get(request.product.id)
        if item_id is None:
            continue
        item, quantity = loaded[item_id], wanted[item_id]
        after = item.model_copy(
            update={"on_hand": item.on_hand - quantity}
            if sold
            else {"committed": item.committed + quantity}
        )
        if items.out_of_bounds(after):
            raise PastTheMost(
                f"Selling {quantity} of {request.product.id} would take its stock past the"
                f" most an item counts ({items.MAX_UNITS}).",
                field=f"items[{index}].quantity",
            )


async def _walk(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    hold: holds.Hold,
    wanted: holds.State,
) -> holds.Hold:
    """Moves the hold forward to `wanted`, one stock movement per step and tracked item."""
    for step in holds.path(hold.state, wanted):
        if step.on_hand or step.committed:
            await _move(conn, store=store, who=who, hold=hold, step=step)
        kind = holds.HOLD_SOLD if step.state == "sold" else holds.HOLD_RELEASED
        hold = await _append_hold(
            conn, store=store, who=who, hold=holds.moved(hold, step.state), kind=kind
        )
    return hold


async def _move(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    hold: holds.Hold,
    step: holds.Step,
) -> None:
    assert step.reason is not None  # _walk moves stock only on steps that have a reason
    now = utcnow()
    per_item: dict[str, int] = defaultdict(int)
    for line in hold.lines:
        if line.item_id is not None:
            per_item[line.item_id] += line.quantity
    loaded = await load_items(conn, store=store, who=who, item_ids=list(per_item))
    for item_id, item in loaded.items():
        quantity = per_item[item_id]
        change = items.change(
            item,
            now=now,
            reason=step.reason,
            on_hand=step.on_hand * quantity,
            committed=step.committed * quantity,
            order_id=hold.order_id,
            adjustment_id=new_id("adj") if step.on_hand else None,
        )
        await record(conn, store=store, who=who, change=change, expected=item.version)


async def follow(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, order: holds.OrderState
) -> holds.Hold | None:
    """Brings the order's hold to where the order's state says its stock belongs. Called
    with the order as it is after a change (synchronously by the orders service), with
    every order event (by the consumer) and by the sweeper: whichever comes second, or
    late, moves nothing."""
    hold = await load_hold(conn, store=store, who=who, order_id=order.order_id)
    if hold is None:
        return None  # never held (or another organization's order)
    if not hold.confirmed:
        hold = await _append_hold(
            conn, store=store, who=who, hold=holds.confirmed(hold), kind=holds.HOLD_CONFIRMED
        )
    return await _walk(conn, store=store, who=who, hold=hold, wanted=order.target)


async def release(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, order_id: str
) -> holds.Hold | None:
    """The order could not be recorded after all: its stock goes back (idempotent)."""
    hold = await load_hold(conn, store=store, who=who, order_id=order_id)
    if hold is None:
        return None
    wanted: holds.State = "restocked" if hold.state == "sold" else "released"
    return await _walk(conn, store=store, who=who, hold=hold, wanted=wanted)
