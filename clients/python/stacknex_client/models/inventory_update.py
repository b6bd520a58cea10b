from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.inventory_update_reason_type_0 import (
    InventoryUpdateReasonType0,
    check_inventory_update_reason_type_0,
)
from ..models.inventory_update_reason_type_1 import (
    InventoryUpdateReasonType1,
    check_inventory_update_reason_type_1,
)
from ..models.inventory_update_reason_type_2 import (
    InventoryUpdateReasonType2,
    check_inventory_update_reason_type_2,
)

T = TypeVar("T", bound="InventoryUpdate")


@_attrs_define
class InventoryUpdate:
    """`inventory.updated`'s data: the item after the change, and what it was before.

    Attributes:
        adjustment_id (None | str):
        available (int):
        committed (int):
        created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        id (str):
        location_id (str):
        low_stock_threshold (int | None):
        on_hand (int):
        order_id (None | str):
        previous_available (int):
        previous_on_hand (int):
        product_id (str):
        reason (InventoryUpdateReasonType0 | InventoryUpdateReasonType1 | InventoryUpdateReasonType2):
        updated_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        version (int):
    """

    adjustment_id: None | str
    available: int
    committed: int
    created_at: datetime.datetime
    id: str
    location_id: str
    low_stock_threshold: int | None
    on_hand: int
    order_id: None | str
    previous_available: int
    previous_on_hand: int
    product_id: str
    reason: InventoryUpdateReasonType0 | InventoryUpdateReasonType1 | InventoryUpdateReasonType2
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adjustment_id: None | str
        adjustment_id = self.adjustment_id

        available = self.available

        committed = self.committed

        created_at = self.created_at.isoformat()

        id = self.id

        location_id = self.location_id

        low_stock_threshold: int | None
        low_stock_threshold = self.low_stock_threshold

        on_hand = self.on_hand

        order_id: None | str
        order_id = self.order_id

        previous_available = self.previous_available

        previous_on_hand = self.previous_on_hand

        product_id = self.product_id

        reason: str
        if isinstance(self.reason, str) or isinstance(self.reason, str):
            reason = self.reason
        else:
            reason = self.reason

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adjustmentId": adjustment_id,
                "available": available,
                "committed": committed,
                "createdAt": created_at,
                "id": id,
                "locationId": location_id,
                "lowStockThreshold": low_stock_threshold,
                "onHand": on_hand,
                "orderId": order_id,
                "previousAvailable": previous_available,
                "previousOnHand": previous_on_hand,
                "productId": product_id,
                "reason": reason,
                "updatedAt": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_adjustment_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        adjustment_id = _parse_adjustment_id(d.pop("adjustmentId"))

        available = d.pop("available")

        committed = d.pop("committed")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        id = d.pop("id")

        location_id = d.pop("locationId")

        def _parse_low_stock_threshold(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        low_stock_threshold = _parse_low_stock_threshold(d.pop("lowStockThreshold"))

        on_hand = d.pop("onHand")

        def _parse_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        order_id = _parse_order_id(d.pop("orderId"))

        previous_available = d.pop("previousAvailable")

        previous_on_hand = d.pop("previousOnHand")

        product_id = d.pop("productId")

        def _parse_reason(
            data: object,
        ) -> InventoryUpdateReasonType0 | InventoryUpdateReasonType1 | InventoryUpdateReasonType2:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = check_inventory_update_reason_type_0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_1 = check_inventory_update_reason_type_1(data)

                return reason_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            reason_type_2 = check_inventory_update_reason_type_2(data)

            return reason_type_2

        reason = _parse_reason(d.pop("reason"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        version = d.pop("version")

        inventory_update = cls(
            adjustment_id=adjustment_id,
            available=available,
            committed=committed,
            created_at=created_at,
            id=id,
            location_id=location_id,
            low_stock_threshold=low_stock_threshold,
            on_hand=on_hand,
            order_id=order_id,
            previous_available=previous_available,
            previous_on_hand=previous_on_hand,
            product_id=product_id,
            reason=reason,
            updated_at=updated_at,
            version=version,
        )

        inventory_update.additional_properties = d
        return inventory_update

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
