"""The inventory's contract: locations, items and adjustments."""

from dataclasses import replace
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field

from libs.common.errors import Conflict, InsufficientStock
from libs.common.listing import ListQuery
from libs.common.resources import At, Resource
from libs.common.validation import (
    AdjustmentId,
    ApiModel,
    Integer,
    InventoryId,
    LocationId,
    Metadata,
    PatchModel,
    ProductId,
    Version,
    trimmed,
)
from libs.contract.base import Crud, Operation
from libs.contract.catalog import EventList
from libs.contract.events import typed_event

# The most units a count may hold, either way: 10^15 is exact as a JSON number (a double
# holds every integer up to 2^53, about 9.0e15) and 9,000 times inside the bigint columns
# (9.2e18), so no sum of bounded values overflows. Requests are refused beyond it; moves an
# order's events bring (a void's restock) are always applied, and could only pass it by
# what was sold and voided, far from the columns' limit (docs/architecture.md).
MAX_UNITS = 10**15
# A low-stock threshold, as the catalog bounds it: an integer column on both sides.
MAX_THRESHOLD = 1_000_000_000

Name = Annotated[str, *trimmed(max_length=200)]
Address = Annotated[str, StringConstraints(max_length=500)]
# Units on hand: the domain's bound, which the bigint columns hold with room to spare.
Count = Annotated[int, Field(ge=0, le=MAX_UNITS), Integer]
Threshold = Annotated[int, Field(ge=0, le=MAX_THRESHOLD), Integer]

ManualReason = Literal["received", "damaged", "correction", "returned", "other"]
# Why on-hand stock moved: a client's adjustment, a stock take, a sale, a void's restock.
LedgerReason = ManualReason | Literal["count", "sale", "restock"]
# Why an item changed: also what moves only `committed` (a hold, its release) or the threshold.
ChangeReason = LedgerReason | Literal["hold", "release", "threshold"]


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
    delta: Annotated[int, Field(ge=-MAX_UNITS, le=MAX_UNITS), Integer]
    reason: ManualReason


class ItemList(ListQuery):
    starting_after: InventoryId | None = None
    product_id: ProductId | None = None
    location_id: LocationId | None = None
    low_stock: bool | None = None


class AdjustmentList(ListQuery):
    starting_after: AdjustmentId | None = None


# The answers.


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(**Resource.model_config, json_schema_extra={"examples": list(examples)})


_AT = "2024-01-15T10:30:00Z"
_ITEM = {
    "id": "inv_2bQx7ZkLmN4pR8sU",
    "version": 7,
    "createdAt": _AT,
    "updatedAt": _AT,
    "productId": "prod_2bQx7ZkLmN4pR8sV",
    "locationId": "loc_2bQx7ZkLmN4pR8sT",
    "onHand": 40,
    "committed": 3,
    "available": 37,
    "lowStockThreshold": 10,
}


class LocationRead(Resource):
    model_config = _examples(
        {
            "id": "loc_2bQx7ZkLmN4pR8sT",
            "version": 2,
            "createdAt": _AT,
            "updatedAt": _AT,
            "name": "Back stockroom",
            "address": "12 Market Street, Leeds",
            "isDefault": False,
            "metadata": {"floor": "1"},
        }
    )
    kind: ClassVar[str] = "location"

    name: str
    address: str | None = None
    is_default: bool = False
    metadata: dict[str, str] = Field(default_factory=dict)


class InventoryItemRead(Resource):
    """The stock of one product at one location: `onHand` is what is physically there,
    `committed` what pending orders hold, `available` their difference."""

    model_config = _examples(_ITEM)
    kind: ClassVar[str] = "inventory item"

    product_id: str
    location_id: str
    on_hand: int
    committed: int
    # What `lowStockThreshold` is made of: the item's own (PUT), else its product's. Not shown
    # (excluded from every dump); events carry them in their metadata, so the item still folds
    # from its stream, and the read model keeps a column for each.
    threshold_override: int | None = Field(default=None, exclude=True)
    product_threshold: int | None = Field(default=None, exclude=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def available(self) -> int:
        return self.on_hand - self.committed

    @computed_field  # type: ignore[prop-decorator]
    @property
    def low_stock_threshold(self) -> int | None:
        if self.threshold_override is not None:
            return self.threshold_override
        return self.product_threshold

    def thresholds(self) -> dict[str, int | None]:
        """The hidden fields, as an event's metadata carries them."""
        return {
            "thresholdOverride": self.threshold_override,
            "productThreshold": self.product_threshold,
        }


class InventoryUpdate(InventoryItemRead):
    """`inventory.updated`'s data: the item after the change, and what it was before."""

    model_config = _examples(
        {
            **_ITEM,
            "previousOnHand": 42,
            "previousAvailable": 39,
            "reason": "sale",
            "orderId": "ord_2bQx7ZkLmN4pR8sW",
            "adjustmentId": "adj_2bQx7ZkLmN4pR8sX",
        }
    )

    previous_on_hand: int
    previous_available: int
    reason: ChangeReason
    order_id: str | None
    # The ledger line this change wrote, when it moved what is on hand.
    adjustment_id: str | None


class AdjustmentRead(BaseModel):
    """A line of an item's ledger: per item, the lines sum to `onHand`. Written once, never
    changed, so it has no version."""

    model_config = ConfigDict(
        **Resource.model_config,
        json_schema_extra={
            "examples": [
                {
                    "id": "adj_2bQx7ZkLmN4pR8sX",
                    "inventoryItemId": "inv_2bQx7ZkLmN4pR8sU",
                    "delta": -2,
                    "reason": "sale",
                    "orderId": "ord_2bQx7ZkLmN4pR8sW",
                    "onHandAfter": 40,
                    "createdAt": _AT,
                }
            ]
        },
    )
    kind: ClassVar[str] = "adjustment"

    id: str
    inventory_item_id: str
    delta: int
    reason: LedgerReason
    order_id: str | None
    on_hand_after: int
    created_at: At

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


LocationEvent = typed_event("LocationEvent", LocationRead)
# An item's history: `inventory_item.created` carries the item, every later event an update.
InventoryItemEvent = typed_event("InventoryItemEvent", InventoryItemRead)
InventoryUpdatedEvent = typed_event("InventoryUpdatedEvent", InventoryUpdate)
EVENTS = {
    "location.created": LocationEvent,
    "location.updated": LocationEvent,
    "inventory_item.created": InventoryItemEvent,
    "inventory.updated": InventoryUpdatedEvent,
}

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
    _locations.list(LocationList, LocationRead),
    _locations.create(
        LocationCreate,
        LocationRead,
        example={"name": "Back stockroom", "address": "12 Market Street, Leeds"},
    ),
    _locations.get(LocationRead),
    _locations.update(LocationUpdate, LocationRead, example={"name": "Front of shop"}),
    _locations.events(EventList, LocationEvent),
    replace(
        _items.list(ItemList, InventoryItemRead),
        id="listInventoryItems",
        summary="List inventory items",
    ),
    _items.get(InventoryItemRead),
    replace(
        _items.replace(ItemCount, InventoryItemRead, example={"onHand": 40}),
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
        response=AdjustmentRead,
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
        response=InventoryItemRead,
        status=201,
        # Below zero on hand, or past the most an item counts.
        errors=(InsufficientStock, Conflict),
        example={"delta": 12, "reason": "received"},
    ),
    _items.events(EventList, InventoryItemEvent),
]
