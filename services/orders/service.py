"""The orders service's use cases, on the caller's connection and transaction."""

from dataclasses import replace
from decimal import Decimal
from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.internal import ServiceClient
from services.orders.adapters import siblings
from services.orders.domain import customers, orders
from services.orders.domain.errors import Duplicate, InvalidInput, NotFoundError


def _event(
    kind: str, data: dict[str, Any], who: Identity, changed: list[str] | None = None
) -> NewEvent:
    return NewEvent(
        type=kind,
        data=data,
        organization_id=who.organization_id,
        mode=who.mode,
        metadata={"changedFields": changed} if changed is not None else {},
    )


async def _load(
    conn: asyncpg.Connection, store: EventStore, who: Identity, stream_id: str
) -> dict[str, Any]:
    await store.lock_stream(conn, stream_id=stream_id)
    event = await store.read_last(conn, stream_id=stream_id)
    if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
        raise NotFoundError(f"No such resource {stream_id}.")
    return event.data


# Customers


async def _customer_data(conn: asyncpg.Connection, customer: customers.Customer) -> dict[str, Any]:
    counts = await conn.fetchrow(
        "SELECT orders_count, total_spent FROM customers WHERE id = $1", customer.id
    )
    if counts is None:
        return customer.public()
    return customer.public(orders_count=counts["orders_count"], total_spent=counts["total_spent"])


async def _append_customer(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    customer: customers.Customer,
    kind: str,
    changed: list[str] | None = None,
) -> dict[str, Any]:
    data = await _customer_data(conn, customer)
    try:
        await store.append(
            conn,
            stream_id=customer.id,
            expected_version=customer.version - 1,
            events=[_event(kind, data, who, changed)],
        )
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name != "customers_email_unique":
            raise
        raise Duplicate(
            "Another customer of this organization has this email.", field="email"
        ) from exc
    return data


async def create_customer(
    conn: asyncpg.Connection, store: EventStore, who: Identity, values: customers.CustomerFields
) -> dict[str, Any]:
    customer = customers.create(
        customer_id=new_id("cus"),
        organization_id=who.organization_id,
        mode=who.mode,
        values=values,
        now=utcnow(),
    )
    return await _append_customer(conn, store, who, customer, customers.CUSTOMER_CREATED)


async def change_customer(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    *,
    customer_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> dict[str, Any]:
    data = await _load(conn, store, who, customer_id)
    customer = customers.from_data(data, organization_id=who.organization_id, mode=who.mode)
    updated, changed = customers.update(customer, changes, expected=expected, now=utcnow())
    if not changed:
        return await _customer_data(conn, customer)
    return await _append_customer(conn, store, who, updated, customers.CUSTOMER_UPDATED, changed)


async def _check_customer(conn: asyncpg.Connection, who: Identity, customer_id: str | None) -> None:
    if customer_id is None:
        return
    found = await conn.fetchval(
        "SELECT 1 FROM customers WHERE id = $1 AND organization_id = $2 AND mode = $3",
        customer_id,
        who.organization_id,
        who.mode,
    )
    if not found:
        raise InvalidInput(f"No customer {customer_id}.", field="customerId")


# Orders


def _money(value: Any) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _lines(
    lines: list[orders.LineRequest], products: dict[str, dict[str, Any]]
) -> tuple[tuple[orders.Line, ...], str]:
    problems = []
    for index, line in enumerate(lines):
        product = products.get(line.product_id)
        if product is None:
            problems.append(
                {"field": f"items[{index}].productId", "message": f"No product {line.product_id}."}
            )
        elif not product["active"]:
            problems.append(
                {
                    "field": f"items[{index}].productId",
                    "message": f"Product {line.product_id} is inactive.",
                }
            )
    currencies = {
        products[line.product_id]["currency"] for line in lines if line.product_id in products
    }
    if not problems and len(currencies) > 1:
        problems.append({"field": "items", "message": "All items of an order share a currency."})
    if problems:
        raise InvalidInput(problems[0]["message"], field=problems[0]["field"], errors=problems)
    built = tuple(
        orders.Line(
            product_id=line.product_id,
            name=products[line.product_id]["name"],
            sku=products[line.product_id]["sku"],
            quantity=line.quantity,
            unit_price=(
                line.unit_price
                if line.unit_price is not None
                else _money(products[line.product_id]["price"])
            ).quantize(orders.CENT),
        )
        for line in lines
    )
    return built, currencies.pop()


async def _next_number(conn: asyncpg.Connection, who: Identity, year: int) -> str:
    sequence = await conn.fetchval(
        "INSERT INTO order_numbers (organization_id, mode, year, last) VALUES ($1, $2, $3, 1)"
        " ON CONFLICT (organization_id, mode, year) DO UPDATE SET last = order_numbers.last + 1"
        " RETURNING last",
        who.organization_id,
        who.mode,
        year,
    )
    return orders.order_number(year, sequence)


async def place_order(
    conn: asyncpg.Connection,
    store: EventStore,
    client: ServiceClient,
    who: Identity,
    *,
    location_id: str,
    lines: list[orders.LineRequest],
    status: orders.Status,
    payment_method: orders.PaymentMethod,
    customer_id: str | None,
    note: str | None,
    metadata: dict[str, str],
) -> orders.Order:
    """Reads the products, holds their stock, then records the order; if recording fails,
    the hold is given back (and the inventory's sweeper catches a crash in between)."""
    products = await siblings.read_products(client, who, lines)
    built, currency = _lines(lines, products)
    await _check_customer(conn, who, customer_id)
    order_id = new_id("ord")
    now = utcnow()
    orders.check_total(built)
    await siblings.hold_stock(
        client,
        who,
        order_id=order_id,
        location_id=location_id,
        lines=lines,
        products=products,
        sold=status == "completed",
    )
    try:
        # The order number is taken last: its row lock is held only until commit.
        order = orders.place(
            order_id=order_id,
            organization_id=who.organization_id,
            mode=who.mode,
            number=await _next_number(conn, who, now.year),
            status=status,
            lines=built,
            currency=currency,
            location_id=location_id,
            customer_id=customer_id,
            payment_method=payment_method,
            note=note,
            metadata=metadata,
            now=now,
        )
        events = [_event(orders.ORDER_CREATED, order.public(), who)]
        if status == "completed":
            # Each event carries the order as it is after that event: the second is version 2.
            order = replace(order, version=2)
            events.append(_event(orders.ORDER_COMPLETED, order.public(), who))
        await store.append(conn, stream_id=order.id, expected_version=0, events=events)
    except BaseException:
        await siblings.release_stock(client, who, order_id)
        raise
    return order


async def change_order(
    conn: asyncpg.Connection,
    store: EventStore,
    who: Identity,
    *,
    order_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> tuple[orders.Order, bool]:
    """The order after the change, and whether its status changed (so its stock moves)."""
    data = await _load(conn, store, who, order_id)
    order = orders.from_data(data, organization_id=who.organization_id, mode=who.mode)
    if "customer_id" in changes and changes["customer_id"] != order.customer_id:
        await _check_customer(conn, who, changes["customer_id"])
    updated, changed, kind = orders.change(order, dict(changes), expected=expected, now=utcnow())
    if changed:
        await store.append(
            conn,
            stream_id=order.id,
            expected_version=order.version,
            events=[_event(kind, updated.public(), who, changed)],
        )
    return updated, "status" in changed
