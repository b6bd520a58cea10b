from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InventoryItemRead")


@_attrs_define
class InventoryItemRead:
    """The stock of one product at one location: `onHand` is what is physically there,
    `committed` what pending orders hold, `available` their difference.

        Attributes:
            available (int):
            committed (int):
            created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
            id (str):
            location_id (str):
            low_stock_threshold (int | None):
            on_hand (int):
            product_id (str):
            updated_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
            version (int):
    """

    available: int
    committed: int
    created_at: datetime.datetime
    id: str
    location_id: str
    low_stock_threshold: int | None
    on_hand: int
    product_id: str
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        committed = self.committed

        created_at = self.created_at.isoformat()

        id = self.id

        location_id = self.location_id

        low_stock_threshold: int | None
        low_stock_threshold = self.low_stock_threshold

        on_hand = self.on_hand

        product_id = self.product_id

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "committed": committed,
                "createdAt": created_at,
                "id": id,
                "locationId": location_id,
                "lowStockThreshold": low_stock_threshold,
                "onHand": on_hand,
                "productId": product_id,
                "updatedAt": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
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

        product_id = d.pop("productId")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        version = d.pop("version")

        inventory_item_read = cls(
            available=available,
            committed=committed,
            created_at=created_at,
            id=id,
            location_id=location_id,
            low_stock_threshold=low_stock_threshold,
            on_hand=on_hand,
            product_id=product_id,
            updated_at=updated_at,
            version=version,
        )

        inventory_item_read.additional_properties = d
        return inventory_item_read

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
