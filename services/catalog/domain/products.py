"""The product aggregate. Each event carries the whole product after the change, so the
state is the last event's data; commands are the functions below, each returning the new
state and the event type that records it."""

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from libs.common.clock import rfc3339
from libs.common.events import Mode
from services.catalog.domain.errors import StaleVersion

PRODUCT_CREATED = "product.created"
PRODUCT_UPDATED = "product.updated"
PRODUCT_DELETED = "product.deleted"

InventoryPolicy = Literal["deny", "continue"]


@dataclass(frozen=True)
class ProductFields:
    """What a client may set; PUT replaces all of them, PATCH some."""

    name: str
    price: Decimal
    currency: str
    sku: str | None = None
    description: str | None = None
    category_id: str | None = None
    active: bool = True
    track_inventory: bool = True
    inventory_policy: InventoryPolicy = "deny"
    low_stock_threshold: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)


MUTABLE = tuple(f.name for f in fields(ProductFields))
_CAMEL = {
    "category_id": "categoryId",
    "track_inventory": "trackInventory",
    "inventory_policy": "inventoryPolicy",
    "low_stock_threshold": "lowStockThreshold",
}


@dataclass(frozen=True)
class Product:
    id: str
    organization_id: str
    mode: Mode
    fields: ProductFields
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    def public(self) -> dict[str, Any]:
        f = self.fields
        body: dict[str, Any] = {
            "id": self.id,
            "name": f.name,
            "sku": f.sku,
            "description": f.description,
            "price": f.price,
            "currency": f.currency,
            "categoryId": f.category_id,
            "active": f.active,
            "trackInventory": f.track_inventory,
            "inventoryPolicy": f.inventory_policy,
            "lowStockThreshold": f.low_stock_threshold,
            "metadata": f.metadata,
            "version": self.version,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
        }
        if self.deleted_at is not None:
            body["deletedAt"] = rfc3339(self.deleted_at)
        return body


def camel(name: str) -> str:
    return _CAMEL.get(name, name)


def create(
    *, product_id: str, organization_id: str, mode: Mode, values: ProductFields, now: datetime
) -> Product:
    return Product(
        id=product_id,
        organization_id=organization_id,
        mode=mode,
        fields=values,
        version=1,
        created_at=now,
        updated_at=now,
    )


def check_version(product: Product, expected: int | None) -> None:
    if expected is not None and expected != product.version:
        raise StaleVersion(product.version)


def update(
    product: Product, changes: dict[str, Any], *, expected: int | None, now: datetime
) -> tuple[Product, list[str]]:
    """The product with `changes` applied and the (camelCase) names that really changed."""
    check_version(product, expected)
    new_fields = replace(product.fields, **changes)
    changed = [
        camel(name)
        for name in MUTABLE
        if getattr(new_fields, name) != getattr(product.fields, name)
    ]
    if not changed:
        return product, []
    return replace(product, fields=new_fields, version=product.version + 1, updated_at=now), changed


def delete(product: Product, *, expected: int | None, now: datetime) -> Product:
    check_version(product, expected)
    return replace(product, version=product.version + 1, updated_at=now, deleted_at=now)


def from_data(data: dict[str, Any], *, organization_id: str, mode: Mode) -> Product:
    deleted = data.get("deletedAt")
    return Product(
        id=data["id"],
        organization_id=organization_id,
        mode=mode,
        fields=ProductFields(
            name=data["name"],
            price=Decimal(repr(data["price"]))
            if isinstance(data["price"], float)
            else Decimal(data["price"]),
            currency=data["currency"],
            sku=data["sku"],
            description=data["description"],
            category_id=data["categoryId"],
            active=data["active"],
            track_inventory=data["trackInventory"],
            inventory_policy=data["inventoryPolicy"],
            low_stock_threshold=data["lowStockThreshold"],
            metadata=data["metadata"],
        ),
        version=data["version"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
        deleted_at=datetime.fromisoformat(deleted) if deleted else None,
    )
