from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InventoryLowRead")


@_attrs_define
class InventoryLowRead:
    """`inventory.low`: an item fell below its threshold (once per fall, not per sale).

    Attributes:
        available (int):
        inventory_item_id (str):
        location_id (str):
        low_stock_threshold (int):
        on_hand (int):
        product_id (str):
    """

    available: int
    inventory_item_id: str
    location_id: str
    low_stock_threshold: int
    on_hand: int
    product_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        inventory_item_id = self.inventory_item_id

        location_id = self.location_id

        low_stock_threshold = self.low_stock_threshold

        on_hand = self.on_hand

        product_id = self.product_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "inventoryItemId": inventory_item_id,
                "locationId": location_id,
                "lowStockThreshold": low_stock_threshold,
                "onHand": on_hand,
                "productId": product_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        available = d.pop("available")

        inventory_item_id = d.pop("inventoryItemId")

        location_id = d.pop("locationId")

        low_stock_threshold = d.pop("lowStockThreshold")

        on_hand = d.pop("onHand")

        product_id = d.pop("productId")

        inventory_low_read = cls(
            available=available,
            inventory_item_id=inventory_item_id,
            location_id=location_id,
            low_stock_threshold=low_stock_threshold,
            on_hand=on_hand,
            product_id=product_id,
        )

        inventory_low_read.additional_properties = d
        return inventory_low_read

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
