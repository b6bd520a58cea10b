"""The orders service's use cases. Each runs on the caller's connection, inside the
transaction the shared write path opened, so checks, events and read models commit together."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.internal import ServiceClient
from libs.common.kit import append, append_each, load_owned, owns
from libs.common.resources import revise
from libs.contract.catalog import ProductRead
from libs.contract.orders import (
    CustomerCreate,
    CustomerRead,
    OrderCreate,
    OrderItem,
    OrderLine,
    OrderRead,
)
from services.orders.adapters import siblings
from services.orders.domain import customers, orders
from services.orders.domain.errors import MissingReference, Unsellable

# The read model's unique constraint, by the field a taken value is reported on.
_UNIQUE = {"customers_email_unique": "email"}


# Customers


async def _with_counters(conn: asyncpg.Connection, *, customer: CustomerRead) -> CustomerRead:
    # The counters are the read model's (kept from order events): what the customer's own
    # event and answer show is what they are now.
    row = await conn.fetchrow(
        "SELECT orders_count, total_spent FROM customers WHERE id = $1", customer.id
    )
    return customer if row is None else customer.model_copy(update=dict(row))


async def create_customer(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, values: CustomerCreate
) -> CustomerRead:
    customer = customers.create(customer_id=new_id("cus"), values=values, now=utcnow())
    await append(
        conn,
        store=store,
        who=who,
        kind=customers.CUSTOMER_CREATED,
        resource=customer,
        expected=0,
        unique=_UNIQUE,
    )
    return customer


async def change_customer(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    customer_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> CustomerRead:
    """PATCH's given fields, or PUT's every field (`customers.settable`)."""
    customer = await load_owned(
        conn, store=store, who=who, stream_id=customer_id, model=CustomerRead
    )
    updated, changed = revise(customer, changes, expected=expected, now=utcnow())
    updated = await _with_counters(conn, customer=updated)
    if changed:
        await append(
            conn,
            store=store,
            who=who,
            kind=customers.CUSTOMER_UPDATED,
            resource=updated,
            expected=customer.version,
            changed=changed,
            unique=_UNIQUE,
        )
    return updated


async def _check_customer(
    db: asyncpg.Pool | asyncpg.Connection, *, who: Identity, customer_id: str | None
) -> None:
    if customer_id is None:
        return
    if not await owns(db, table="customers", who=who, resource_id=customer_id):
        raise MissingReference(f"No customer {customer_id}.", field="customerId")


# Orders


def _lines_refused(
    items: list[OrderItem], products: dict[str, ProductRead]
) -> MissingReference | Unsellable | None:
    """Every line the catalog would not sell: a product it does not have (404), or one it
    has but does not sell now (409: inactive, or another currency than the others')."""
    missing, unsellable = [], []
    for index, item in enumerate(items):
        product = products.get(item.product_id)
        field = f"items[{index}].productId"
        if product is None:
            missing.append({"field": field, "message": f"No product {item.product_id}."})
        elif not product.active:
            unsellable.append(
                {"field": field, "message": f"Product {item.product_id} is inactive."}
            )
    if missing:
        return MissingReference(missing[0]["message"], field=missing[0]["field"], errors=missing)
    currencies = {products[i.product_id].currency for i in items}
    if not unsellable and len(currencies) > 1:
        unsellable.append({"field": "items", "message": "All items of an order share a currency."})
    if unsellable:
        first = unsellable[0]
        return Unsellable(first["message"], field=first["field"], errors=unsellable)
    return None


def _lines(items: list[OrderItem], products: dict[str, ProductRead]) -> tuple[list[OrderLine], str]:
    """The lines as sold (the catalog's name, SKU and, unless given, price) and their one
    currency; or every line the catalog would not sell."""
    refused = _lines_refused(items, products)
    if refused is not None:
        raise refused
    currencies = {products[i.product_id].currency for i in items}
    built = [
        orders.line(
            product_id=item.product_id,
            name=products[item.product_id].name,
            sku=products[item.product_id].sku,
            quantity=item.quantity,
            unit_price=(
                item.unit_price if item.unit_price is not None else products[item.product_id].price
            ),
        )
        for item in items
    ]
    return built, currencies.pop()


async def _next_number(db: asyncpg.Pool | asyncpg.Connection, *, who: Identity, year: int) -> str:
    sequence = await db.fetchval(
        "INSERT INTO order_numbers (organization_id, mode, year, last) VALUES ($1, $2, $3, 1)"
        " ON CONFLICT (organization_id, mode, year) DO UPDATE SET last = order_numbers.last + 1"
        " RETURNING last",
        who.organization_id,
        who.mode,
        year,
    )
    return orders.order_number(year, sequence)


@dataclass
class Sale:
    """Placing an order, in the two halves the write path runs (`writes.Reservation`):
    `reserve` reads the products from the catalog and holds their stock at the inventory,
    `record` appends the order in the orders transaction; `release` gives the stock back if
    the order was not recorded (and the inventory's sweeper catches a crash in between).

    The order number: reserved from the pool, it is taken in a statement of its own that
    commits at once, so sales of one organization no longer queue on its counter row until
    each one's commit (that wait was most of a sale's time at concurrency 16). A sale that
    then fails leaves a gap in the numbers; numbers stay unique and increasing. Reserved
    inside the transaction (an idempotent request), it is taken there, as before."""

    store: EventStore
    client: ServiceClient
    who: Identity
    values: OrderCreate
    order_id: str = field(default_factory=lambda: new_id("ord"))
    now: datetime = field(default_factory=utcnow)
    lines: list[OrderLine] = field(default_factory=list)
    currency: str = ""
    number: str | None = None

    async def reserve(self, db: asyncpg.Pool | asyncpg.Connection) -> None:
        products = await siblings.read_products(self.client, who=self.who, items=self.values.items)
        self.lines, self.currency = _lines(self.values.items, products)
        await _check_customer(db, who=self.who, customer_id=self.values.customer_id)
        orders.check_total(self.lines)
        await siblings.hold_stock(
            self.client,
            who=self.who,
            order_id=self.order_id,
            location_id=self.values.location_id,
            items=self.values.items,
            products=products,
            sold=self.values.status == "completed",
        )
        if isinstance(db, asyncpg.Pool):
            try:
                self.number = await _next_number(db, who=self.who, year=self.now.year)
            except BaseException:
                await self.release()
                raise

    async def release(self) -> None:
        await siblings.release_stock(self.client, who=self.who, order_id=self.order_id)

    async def record(self, conn: asyncpg.Connection) -> OrderRead:
        # Taken here, the number's row lock is held only until this transaction's commit,
        # and a retry of the transaction takes it again.
        number = self.number or await _next_number(conn, who=self.who, year=self.now.year)
        order = orders.place(
            order_id=self.order_id,
            number=number,
            values=self.values,
            lines=self.lines,
            currency=self.currency,
            now=self.now,
        )
        events: list[tuple[str, OrderRead]] = [(orders.ORDER_CREATED, order)]
        if self.values.status == "completed":
            # Each event carries the order as it is after that event: the second is version 2.
            order = order.model_copy(update={"version": 2})
            events.append((orders.ORDER_COMPLETED, order))
        await append_each(conn, store=self.store, who=self.who, events=events, expected=0)
        return order


async def change_order(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    order_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> tuple[OrderRead, bool]:
    """The order after the change, and whether its status changed (so its stock moves)."""
    order = await load_owned(conn, store=store, who=who, stream_id=order_id, model=OrderRead)
    if changes.get("customer_id", order.customer_id) != order.customer_id:
        await _check_customer(conn, who=who, customer_id=changes["customer_id"])
    updated, changed, kind = orders.change(order, changes, expected=expected, now=utcnow())
    if changed:
        await append(
            conn,
            store=store,
            who=who,
            kind=kind,
            resource=updated,
            expected=order.version,
            changed=changed,
        )
    return updated, "status" in changed
