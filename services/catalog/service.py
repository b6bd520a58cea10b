"""The catalog's use cases. Each runs on the caller's connection, inside the transaction the
shared write path opened, so checks, events and read models commit together."""

from typing import Any

import asyncpg

from libs.common.clock import utcnow
from libs.common.eventstore import EventStore
from libs.common.identity import Identity
from libs.common.ids import new_id
from libs.common.kit import append, load_owned
from libs.common.resources import mark_deleted, revise
from libs.contract.catalog import CategoryCreate, CategoryRead, ProductCreate, ProductRead
from services.catalog.domain import categories, products
from services.catalog.domain.errors import InUse, MissingReference

# The read models' unique constraints, by the field a taken value is reported on.
_UNIQUE = {"products_sku_unique": "sku", "categories_name_unique": "name"}


# Products


async def _check_category(
    conn: asyncpg.Connection, *, who: Identity, category_id: str | None
) -> None:
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
        raise MissingReference(f"No category {category_id}.", field="categoryId")


async def create_product(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, values: ProductCreate
) -> ProductRead:
    await _check_category(conn, who=who, category_id=values.category_id)
    product = products.create(product_id=new_id("prod"), values=values, now=utcnow())
    await append(
        conn,
        store=store,
        who=who,
        kind=products.PRODUCT_CREATED,
        resource=product,
        expected=0,
        unique=_UNIQUE,
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
) -> ProductRead:
    """PATCH's given fields, or (`replace_product`) PUT's every field."""
    product = await load_owned(conn, store=store, who=who, stream_id=product_id, model=ProductRead)
    if changes.get("category_id", product.category_id) != product.category_id:
        await _check_category(conn, who=who, category_id=changes["category_id"])
    updated, changed = revise(product, changes, expected=expected, now=utcnow())
    if changed:
        await append(
            conn,
            store=store,
            who=who,
            kind=products.PRODUCT_UPDATED,
            resource=updated,
            expected=product.version,
            changed=changed,
            unique=_UNIQUE,
        )
    return updated


async def replace_product(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    product_id: str,
    values: ProductCreate,
    expected: int | None,
) -> ProductRead:
    return await change_product(
        conn,
        store=store,
        who=who,
        product_id=product_id,
        changes=products.settable(values),
        expected=expected,
    )


async def delete_product(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    product_id: str,
    expected: int | None,
) -> ProductRead:
    product = await load_owned(conn, store=store, who=who, stream_id=product_id, model=ProductRead)
    deleted = mark_deleted(product, expected=expected, now=utcnow())
    await append(
        conn,
        store=store,
        who=who,
        kind=products.PRODUCT_DELETED,
        resource=deleted,
        expected=product.version,
    )
    return deleted


# Categories


async def _check_parent(
    conn: asyncpg.Connection, *, who: Identity, category_id: str, parent_id: str | None
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
        raise MissingReference(f"No category {parent_id}.", field="parentId")
    categories.check_parent(category_id, [row["id"] for row in rows])


async def create_category(
    conn: asyncpg.Connection, *, store: EventStore, who: Identity, values: CategoryCreate
) -> CategoryRead:
    category_id = new_id("cat")
    await _check_parent(conn, who=who, category_id=category_id, parent_id=values.parent_id)
    category = categories.create(category_id=category_id, values=values, now=utcnow())
    await append(
        conn,
        store=store,
        who=who,
        kind=categories.CATEGORY_CREATED,
        resource=category,
        expected=0,
        unique=_UNIQUE,
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
) -> CategoryRead:
    category = await load_owned(
        conn, store=store, who=who, stream_id=category_id, model=CategoryRead
    )
    if changes.get("parent_id", category.parent_id) != category.parent_id:
        await _check_parent(conn, who=who, category_id=category.id, parent_id=changes["parent_id"])
    updated, changed = revise(category, changes, expected=expected, now=utcnow())
    if changed:
        await append(
            conn,
            store=store,
            who=who,
            kind=categories.CATEGORY_UPDATED,
            resource=updated,
            expected=category.version,
            changed=changed,
            unique=_UNIQUE,
        )
    return updated


async def delete_category(
    conn: asyncpg.Connection,
    *,
    store: EventStore,
    who: Identity,
    category_id: str,
    expected: int | None,
) -> CategoryRead:
    category = await load_owned(
        conn, store=store, who=who, stream_id=category_id, model=CategoryRead
    )
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
    deleted = mark_deleted(category, expected=expected, now=utcnow())
    await append(
        conn,
        store=store,
        who=who,
        kind=categories.CATEGORY_DELETED,
        resource=deleted,
        expected=category.version,
    )
    return deleted
