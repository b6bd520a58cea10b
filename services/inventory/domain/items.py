"""Inventory items: the stock of one product at one location (an `InventoryItemRead`).

Every change is an `inventory.updated` event carrying the item after it and what it was
before (an `InventoryUpdate`); every change of `onHand` is also a line of the ledger, so the
ledger always sums to `onHand`. The two thresholds behind `lowStockThreshold` are not shown:
they travel in each event's metadata, and `fold` puts them back."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from libs.contract.inventory import (
    MAX_UNITS,
    AdjustmentRead,
    ChangeReason,
    InventoryItemRead,
    InventoryUpdate,
)

ITEM_CREATED = "inventory_item.created"  # internal: an item appears with nothing on hand
INVENTORY_UPDATED = "inventory.updated"


def new_item(
    *,
    item_id: str,
    product_id: str,
    location_id: str,
    product_threshold: int | None,
    now: datetime,
) -> InventoryItemRead:
    return InventoryItemRead(
        id=item_id,
        version=1,
        created_at=now,
        updated_at=now,
        product_id=product_id,
        location_id=location_id,
        on_hand=0,
        committed=0,
        product_threshold=product_threshold,
    )


def fold(data: Mapping[str, Any], metadata: Mapping[str, Any]) -> InventoryItemRead:
    """The item as its newest event left it: the event's data and the thresholds its
    metadata keeps (an update's own fields are not the item's, and are ignored)."""
    return InventoryItemRead.model_validate({**data, **item_thresholds(metadata)})


def item_thresholds(metadata: Mapping[str, Any]) -> dict[str, Any]:
    return {k: metadata[k] for k in ("thresholdOverride", "productThreshold") if k in metadata}


def item_of(update: InventoryUpdate) -> InventoryItemRead:
    """The item an update left, without what the update says about itself."""
    return InventoryItemRead.model_validate(dict(update))


def change(
    item: InventoryItemRead,
    *,
    now: datetime,
    reason: ChangeReason,
    on_hand: int = 0,
    committed: int = 0,
    order_id: str | None = None,
    adjustment_id: str | None = None,
    thresholds: Mapping[str, int | None] | None = None,
) -> InventoryUpdate:
    """`on_hand`/`committed` are deltas; `thresholds` (`threshold_override`,
    `product_threshold`), when given, replace."""
    after = item.model_copy(
        update={
            "on_hand": item.on_hand + on_hand,
            "committed": item.committed + committed,
            "version": item.version + 1,
            "updated_at": now,
            **(thresholds or {}),
        }
    )
    return InventoryUpdate(
        **dict(after),
        previous_on_hand=item.on_hand,
        previous_available=item.available,
        reason=reason,
        order_id=order_id,
        # The ledger line this change wrote, when it moved what is on hand.
        adjustment_id=adjustment_id if on_hand else None,
    )


def out_of_bounds(item: InventoryItemRead) -> str | None:
    """Which count of the item a request would take beyond ±MAX_UNITS (None: neither)."""
    if not -MAX_UNITS <= item.on_hand <= MAX_UNITS:
        return "onHand"
    if not -MAX_UNITS <= item.committed <= MAX_UNITS:
        return "committed"
    return None


def ledger_line(update: InventoryUpdate) -> AdjustmentRead | None:
    """The ledger line an update wrote, when it moved what is on hand."""
    if update.adjustment_id is None:
        return None
    return AdjustmentRead(
        id=update.adjustment_id,
        inventory_item_id=update.id,
        delta=update.on_hand - update.previous_on_hand,
        reason=update.reason,  # a change of on hand has a ledger reason (validated here)
        order_id=update.order_id,
        on_hand_after=update.on_hand,
        created_at=update.updated_at,
    )
