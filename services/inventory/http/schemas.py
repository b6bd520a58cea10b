"""Request schemas of the inventory's internal API (what its sibling services send)."""

from typing import Annotated, Literal

from pydantic import Field

from libs.common.validation import (
    ApiModel,
    LocationId,
    OrderId,
    ProductId,
    Version,
)
from libs.contract.inventory import Count, Threshold


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
