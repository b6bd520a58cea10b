"""The catalog's use cases. Each runs on the caller's connection, inside the transaction the
shared write path opened, so checks, events and read models commit together."""

from dataclasses import asdict
from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.events import NewEvent, StoredEvent
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from services.catalog.domain import categories, products
from services.catalog.domain.errors import Duplicate, InUse, InvalidReference, NotFoundError

_UNIQUE_FIELDS = {"products_sku_unique": "sku", "categories_name_unique": "name"}


async def _append(
    conn: asyncpg.Connection, store: EventStore, *, stream_id: str, expected: int, event: NewEvent
) -> None:
    try:
        await store.append(conn, stream_id=stream_id, expected_version=expected, events=[event])
    except asyncpg.UniqueViolationError as exc:
        field = _UNIQUE_FIELDS.get(exc.constraint_name or "")
        if field is None:
            raise
        raise Duplicate(
            f"Another record of this organization already has this {field}.", field=field
        ) from exc


def _owned(event: StoredEvent | None, who: Identity) -> StoredEvent:
    # Another organization's or mode's id is indistinguishable from a missing one.
    if event is None or event.organization_id != who.organization_id or event.mode != who.mode:
        raise NotFoundError("No such resource.")
    return event


def _event(kind: str, resource: Any, who: Identity, changed: list[str] | None = None) -> NewEvent:
    return NewEvent(
        type=kind,
        data=resource.public(),
        organization_id=who.organization_id,
        mode=who.mode,
        metadata={"changedFields": changed} if changed is not None else {},
    )


# Products


async def _load_state(
    conn: asyncpg.Connection, store: EventStore, who: Identity, stream_id: str
) -> dict[str, Any]:
    """The aggregate's current state (its newest event's data), locked for this write."""
    await store.lock_stream(conn, stream_id=stream_id)
    event = _owned(await store.read_last(conn, stream_id=stream_id), who)
    if event.data.get("deletedAt"):
        raise NotFoundError("No such resource.")
    return event.data


async def load_product(
    conn: asyncpg.Connection, store: EventStore, who: Identity, product_id: str
) -> products.Product:
    data = await _load_state(conn, store, who, product_id)
    return products.from_data(data, organization_id=who.organization_id, mode=who.mode)


async def _check_category(conn: asyncpg.Connection, who: Identity, category_id: str | None) -> None:
    if category_id is None:
        return
    # FOR SHARE: a concurrent delete of this category waits for us, then sees our product.
    found = await conn.fetchval(
        "SELECT 1 FROM categories WHERE id = $1 AND organization_id = $2 AND mode = $3"
        " AND deleted_at IS NULL FOR SHARE",
        category_id,
        who.organization_id,
        who.mode,
    )
    if not found:
        raise InvalidReference(f"No category {category_id}.", field="categoryId")


async def create_product(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, values: products.ProductFields
) -> products.Product:
    await _check_category(conn, who, values.category_id)
    product = products.create(
        product_id=new_id("prod"),
        organization_id=who.organization_id,
        mode=who.mode,
        values=values,
        now=utcnow(),
    )
    await _append(
        conn,
        store,
        stream_id=product.id,
        expected=0,
        event=_event(products.PRODUCT_CREATED, product, who),
    )
    return product


async def change_product(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    product_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> products.Product:
    product = await load_product(conn, store, who, product_id)
    if "category_id" in changes and changes["category_id"] != product.fields.category_id:
        await _check_category(conn, who, changes["category_id"])
    updated, changed = products.update(product, changes, expected=expected, now=utcnow())
    if changed:
        await _append(
            conn,
            store,
            stream_id=product.id,
            expected=product.version,
            event=_event(products.PRODUCT_UPDATED, updated, who, changed),
        )
    return updated


async def replace_product(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    product_id: str,
    values: products.ProductFields,
    expected: int | None,
) -> products.Product:
    return await change_product(
        conn, store=store, who=who, product_id=product_id, changes=asdict(values), expected=expected
    )


async def delete_product(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    product_id: str,
    expected: int | None,
) -> products.Product:
    product = await load_product(conn, store, who, product_id)
    deleted = products.delete(product, expected=expected, now=utcnow())
    await _append(
        conn,
        store,
        stream_id=product.id,
        expected=product.version,
        event=_event(products.PRODUCT_DELETED, deleted, who),
    )
    return deleted


async def product_history(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, product_id: str
) -> list[StoredEvent]:
    history = await store.read_stream(conn, stream_id=product_id)
    _owned(history[0] if history else None, who)
    return history


# Categories


async def load_category(
    conn: asyncpg.Connection, store: EventStore, who: Identity, category_id: str
) -> categories.Category:
    data = await _load_state(conn, store, who, category_id)
    return categories.from_data(data, organization_id=who.organization_id, mode=who.mode)


async def _check_parent(
    conn: asyncpg.Connection, who: Identity, category_id: str, parent_id: str | None
) -> None:
    if parent_id is None:
        return
    # One tree per organization and mode: re-parentings are serialised so that two of them
    # cannot together close a cycle that neither would alone.
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))",
        f"catalog.tree:{who.organization_id}:{who.mode}",
    )
    rows = await conn.fetch(
        "WITH RECURSIVE up (id, parent_id, depth) AS ("
        " SELECT id, parent_id, 0 FROM categories WHERE id = $1 AND organization_id = $2"
        " AND mode = $3 AND deleted_at IS NULL"
        " UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM categories c"
        " JOIN up ON c.id = up.parent_id WHERE up.depth < 1000) SELECT id FROM up",
        parent_id,
        who.organization_id,
        who.mode,
    )
    if not rows:
        raise InvalidReference(f"No category {parent_id}.", field="parentId")
    categories.check_parent(category_id, [row["id"] for row in rows])


async def create_category(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, values: categories.CategoryFields
) -> categories.Category:
    category_id = new_id("cat")
    await _check_parent(conn, who, category_id, values.parent_id)
    category = categories.create(
        category_id=category_id,
        organization_id=who.organization_id,
        mode=who.mode,
        values=values,
        now=utcnow(),
    )
    await _append(
        conn,
        store,
        stream_id=category.id,
        expected=0,
        event=_event(categories.CATEGORY_CREATED, category, who),
    )
    return category


async def change_category(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    category_id: str,
    changes: dict[str, Any],
    expected: int | None,
) -> categories.Category:
    category = await load_category(conn, store, who, category_id)
    if "parent_id" in changes and changes["parent_id"] != category.fields.parent_id:
        await _check_parent(conn, who, category.id, changes["parent_id"])
    updated, changed = categories.update(category, changes, expected=expected, now=utcnow())
    if changed:
        await _append(
            conn,
            store,
            stream_id=category.id,
            expected=category.version,
            event=_event(categories.CATEGORY_UPDATED, updated, who, changed),
        )
    return updated


async def delete_category(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    category_id: str,
    expected: int | None,
) -> categories.Category:
    category = await load_category(conn, store, who, category_id)
    # FOR UPDATE: products being created in it right now finish first, and are seen below.
    await conn.execute("SELECT 1 FROM categories WHERE id = $1 FOR UPDATE", category.id)
    in_use = await conn.fetchval(
        "SELECT (SELECT count(*) FROM products WHERE category_id = $1 AND deleted_at IS NULL)"
        " + (SELECT count(*) FROM categories WHERE parent_id = $1 AND deleted_at IS NULL)",
        category.id,
    )
    if in_use:
        raise InUse(
            "The category still has products or subcategories; move them first.", field="id"
        )
    deleted = categories.delete(category, expected=expected, now=utcnow())
    await _append(
        conn,
        store,
        stream_id=category.id,
        expected=category.version,
        event=_event(categories.CATEGORY_DELETED, deleted, who),
    )
    return deleted
