"""The inventory's contract: locations, items and adjustments."""

from dataclasses import replace
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from libs.common.errors import Conflict, InsufficientStock
from libs.common.listing import ListQuery
from libs.common.validation import (
    AdjustmentId,
    ApiModel,
    InventoryId,
    LocationId,
    Metadata,
    PatchModel,
    ProductId,
    Version,
)
from libs.contract.base import Crud, Operation

# The most units a count may hold, either way: 10^15 is exact as a JSON number (a double
# holds every integer up to 2^53, about 9.0e15) and 9,000 times inside the bigint columns
# (9.2e18), so no sum of bounded values overflows. Requests are refused beyond it; moves an
# order's events bring (a void's restock) are always applied, and could only pass it by
# what was sold and voided, far from the columns' limit (docs/architecture.md).
MAX_UNITS = 10**15
# A low-stock threshold, as the catalog bounds it: an integer column on both sides.
MAX_THRESHOLD = 1_000_000_000

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


# The operations. `response` is filled in as each resource gets its model (issue 13 §1).
_locations = Crud(
    singular="Location",
    plural="Locations",
    service="inventory",
    scope="inventory",
    id_type=LocationId,
)
_items = Crud(
    singular="InventoryItem",
    plural="Inventory",
    service="inventory",
    scope="inventory",
    id_type=InventoryId,
)
OPERATIONS = [
    _locations.list(LocationList, None),
    _locations.create(LocationCreate, None, errors=(Conflict,)),
    _locations.get(None),
    _locations.update(LocationUpdate, None, errors=(Conflict,)),
    replace(_items.list(ItemList, None), id="listInventoryItems", summary="List inventory items"),
    _items.get(None),
    replace(
        _items.replace(ItemCount, None),
        id="setInventoryCount",
        summary="Set an item's counted stock (a stock take)",
    ),
    Operation(
        "listInventoryAdjustments",
        "GET",
        "/api/v1/inventory/{id}/adjustments",
        "inventory",
        "inventory:read",
        "List an item's adjustments, newest first",
        params={"id": InventoryId},
        query=AdjustmentList,
        page=True,
    ),
    Operation(
        "createInventoryAdjustment",
        "POST",
        "/api/v1/inventory/{id}/adjustments",
        "inventory",
        "inventory:write",
        "Adjust an item's stock by a number of units",
        params={"id": InventoryId},
        body=AdjustmentCreate,
        status=201,
        errors=(InsufficientStock,),
    ),
]
