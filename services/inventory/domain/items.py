"""Inventory items: the stock of one product at one location.

`onHand` is what is physically there, `committed` what pending orders hold, `available`
their difference. Every change is an `inventory.updated` event carrying the item after it
and what it was before; every change of `onHand` is also a line of the ledger, so the
ledger always sums to `onHand`."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from libs.common.clock import rfc3339
from libs.common.events import Mode
from libs.contract.inventory import MAX_UNITS

ITEM_CREATED = "inventory_item.created"  # internal: an item appears with nothing on hand
INVENTORY_UPDATED = "inventory.updated"
MANUAL_REASONS = ("received", "damaged", "correction", "returned", "other")


@dataclass(frozen=True)
class Item:
    id: str
    organization_id: str
    mode: Mode
    product_id: str
    location_id: str
    on_hand: int
    committed: int
    threshold_override: int | None  # set on the item itself (PUT)
    product_threshold: int | None  # the product's, used unless the item sets its own
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def available(self) -> int:
        return self.on_hand - self.committed

    @property
    def low_stock_threshold(self) -> int | None:
        return (
            self.threshold_override
            if self.threshold_override is not None
            else (self.product_threshold)
        )

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "productId": self.product_id,
            "locationId": self.location_id,
            "onHand": self.on_hand,
            "committed": self.committed,
            "available": self.available,
            "lowStockThreshold": self.low_stock_threshold,
            "version": self.version,
            "createdAt": rfc3339(self.created_at),
            "updatedAt": rfc3339(self.updated_at),
        }


@dataclass(frozen=True)
class Change:
    """One change of an item: the new state, and the event data that records it."""

    item: Item
    data: dict[str, Any]
    metadata: dict[str, Any]


def new_item(
    *,
    item_id: str,
    organization_id: str,
    mode: Mode,
    product_id: str,
    location_id: str,
    product_threshold: int | None,
    now: datetime,
) -> Change:
    item = Item(
        id=item_id,
        organization_id=organization_id,
        mode=mode,
        product_id=product_id,
        location_id=location_id,
        on_hand=0,
        committed=0,
        threshold_override=None,
        product_threshold=product_threshold,
        version=1,
        created_at=now,
        updated_at=now,
    )
    return Change(item, item.public(), _meta(item))


_KEEP: Any = object()


def change(
    item: Item,
    *,
    now: datetime,
    reason: str,
    on_hand: int = 0,
    committed: int = 0,
    order_id: str | None = None,
    adjustment_id: str | None = None,
    threshold_override: int | None = _KEEP,
    product_threshold: int | None = _KEEP,
) -> Change:
    """`on_hand`/`committed` are deltas; the thresholds, when given, replace."""
    updated = replace(
        item,
        on_hand=item.on_hand + on_hand,
        committed=item.committed + committed,
        version=item.version + 1,
        updated_at=now,
        threshold_override=(
            item.threshold_override if threshold_override is _KEEP else threshold_override
        ),
        product_threshold=(
            item.product_threshold if product_threshold is _KEEP else product_threshold
        ),
    )
    data = {
        **updated.public(),
        "previousOnHand": item.on_hand,
        "previousAvailable": item.available,
        "reason": reason,
        "orderId": order_id,
        # The ledger line this change wrote, when it moved what is on hand.
        "adjustmentId": adjustment_id if on_hand else None,
    }
    return Change(updated, data, _meta(updated))


def out_of_bounds(item: Item) -> str | None:
    """Which count of the item a request would take beyond ±MAX_UNITS (None: neither)."""
    if not -MAX_UNITS <= item.on_hand <= MAX_UNITS:
        return "onHand"
    if not -MAX_UNITS <= item.committed <= MAX_UNITS:
        return "committed"
    return None


def _meta(item: Item) -> dict[str, Any]:
    # Not part of the public resource, but needed to fold the item from its events.
    return {
        "organizationId": item.organization_id,
        "thresholdOverride": item.threshold_override,
        "productThreshold": item.product_threshold,
    }


def from_event(data: dict[str, Any], metadata: dict[str, Any], *, mode: Mode) -> Item:
    return Item(
        id=data["id"],
        organization_id=metadata["organizationId"],
        mode=mode,
        product_id=data["productId"],
        location_id=data["locationId"],
        on_hand=data["onHand"],
        committed=data["committed"],
        threshold_override=metadata["thresholdOverride"],
        product_threshold=metadata["productThreshold"],
        version=data["version"],
        created_at=datetime.fromisoformat(data["createdAt"]),
        updated_at=datetime.fromisoformat(data["updatedAt"]),
    )
