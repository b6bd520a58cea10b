"""Request and query schemas of the inventory API."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from libs.common.listing import ListQuery
from libs.common.validation import (
    AdjustmentId,
    ApiModel,
    InventoryId,
    LocationId,
    Metadata,
    OrderId,
    PatchModel,
    ProductId,
    Version,
)
from services.inventory.domain.items import MAX_THRESHOLD, MAX_UNITS

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Address = Annotated[str, StringConstraints(max_length=500)]
# Units on hand: the domain's bound, which the bigint columns hold with room to spare.
Count = Annotated[int, Field(ge=0, le=MAX_UNITS)]
Threshold = Annotated[int, Field(ge=0, le=MAX_THRESHOLD)]


class LocationCreate(ApiModel):
    name: Name
    address: Address | None = None
    metadata: Metadata = Field(default_factory=dict)


LOCATION_REQUIRED = frozenset({"name", "metadata"})


class LocationUpdate(PatchModel):
    non_null = LOCATION_REQUIRED

    name: Name | None = None
    address: Address | None = None
    metadata: Metadata | None = None
    version: Version | None = None


class LocationList(ListQuery):
    starting_after: LocationId | None = None


class ItemCount(PatchModel):
    """PUT /inventory/:id: a physical count, and/or the item's own low-stock threshold."""

    non_null = frozenset({"on_hand"})

    on_hand: Count | None = None
    low_stock_threshold: Threshold | None = None
    version: Version | None = None


class AdjustmentCreate(ApiModel):
    delta: Annotated[int, Field(ge=-MAX_UNITS, le=MAX_UNITS)]
    reason: Literal["received", "damaged", "correction", "returned", "other"]


class ItemList(ListQuery):
    starting_after: InventoryId | None = None
    product_id: ProductId | None = None
    location_id: LocationId | None = None
    low_stock: bool | None = None


class AdjustmentList(ListQuery):
    starting_after: AdjustmentId | None = None


class HoldLine(ApiModel):
    product_id: ProductId
    quantity: Annotated[int, Field(ge=1, le=10_000)]
    track_inventory: bool
    inventory_policy: Literal["deny", "continue"]
    low_stock_threshold: Threshold | None
    product_version: Version


class HoldCreate(ApiModel):
    """From the orders service only (an /internal/ route), as it places an order."""

    order_id: OrderId
    location_id: LocationId
    sold: bool
    lines: Annotated[list[HoldLine], Field(min_length=1, max_length=500)]


class HoldOrderState(ApiModel):
    """From the orders service only, right after an order's status changed: where the
    order is now, so that its stock has moved before the client hears back."""

    status: Literal["pending", "completed", "cancelled"]
    was_completed: bool
    restock: bool | None = None


class ProductFacts(ApiModel):
    """From the catalog only, right after a product write: what the stock must know of it."""

    track_inventory: bool
    inventory_policy: Literal["deny", "continue"]
    low_stock_threshold: Count | None
    version: Version
    deleted: bool
