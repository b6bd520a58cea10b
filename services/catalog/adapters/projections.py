"""The catalog's read models: what GETs and lists serve, updated in the append's transaction."""

from collections.abc import Sequence

import asyncpg

from libs.common.events import StoredEvent
from services.catalog.domain import categories, products


class CatalogProjector:
    tables: Sequence[str] = ("products", "categories")

    async def apply(self, conn: asyncpg.Connection, event: StoredEvent) -> None:
        assert event.organization_id is not None and event.mode is not None
        if event.type.startswith("product."):
            await upsert_product(
                conn,
                products.from_data(
                    event.data, organization_id=event.organization_id, mode=event.mode
                ),
            )
        elif event.type.startswith("category."):
            await upsert_category(
                conn,
                categories.from_data(
                    event.data, organization_id=event.organization_id, mode=event.mode
                ),
            )


async def upsert_product(conn: asyncpg.Connection, product: products.Product) -> None:
    f = product.fields
    await conn.execute(
        "INSERT INTO products (id, organization_id, mode, name, sku, description, price,"
        " currency, category_id, active, track_inventory, inventory_policy,"
        " low_stock_threshold, metadata, version, created_at, updated_at, deleted_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
        " $18) ON CONFLICT (id) DO UPDATE SET name = $4, sku = $5, description = $6,"
        " price = $7, currency = $8, category_id = $9, active = $10, track_inventory = $11,"
        " inventory_policy = $12, low_stock_threshold = $13, metadata = $14, version = $15,"
        " updated_at = $17, deleted_at = $18",
        product.id,
        product.organization_id,
        product.mode,
        f.name,
        f.sku,
        f.description,
        f.price,
        f.currency,
        f.category_id,
        f.active,
        f.track_inventory,
        f.inventory_policy,
        f.low_stock_threshold,
        f.metadata,
        product.version,
        product.created_at,
        product.updated_at,
        product.deleted_at,
    )


async def upsert_category(conn: asyncpg.Connection, category: categories.Category) -> None:
    f = category.fields
    await conn.execute(
        "INSERT INTO categories (id, organization_id, mode, name, description, parent_id,"
        " metadata, version, created_at, updated_at, deleted_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO UPDATE"
        " SET name = $4, description = $5, parent_id = $6, metadata = $7, version = $8,"
        " updated_at = $10, deleted_at = $11",
        category.id,
        category.organization_id,
        category.mode,
        f.name,
        f.description,
        f.parent_id,
        f.metadata,
        category.version,
        category.created_at,
        category.updated_at,
        category.deleted_at,
    )


def product_from_row(row: asyncpg.Record) -> products.Product:
    return products.Product(
        id=row["id"],
        organization_id=row["organization_id"],
        mode=row["mode"],
        fields=products.ProductFields(
            name=row["name"],
            price=row["price"],
            currency=row["currency"],
            sku=row["sku"],
            description=row["description"],
            category_id=row["category_id"],
            active=row["active"],
            track_inventory=row["track_inventory"],
            inventory_policy=row["inventory_policy"],
            low_stock_threshold=row["low_stock_threshold"],
            metadata=row["metadata"],
        ),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
    )


def category_from_row(row: asyncpg.Record) -> categories.Category:
    return categories.Category(
        id=row["id"],
        organization_id=row["organization_id"],
        mode=row["mode"],
        fields=categories.CategoryFields(
            name=row["name"],
            description=row["description"],
            parent_id=row["parent_id"],
            metadata=row["metadata"],
        ),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
    )
