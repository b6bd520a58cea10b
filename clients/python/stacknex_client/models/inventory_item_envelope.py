from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.inventory_item_read import InventoryItemRead


T = TypeVar("T", bound="InventoryItemEnvelope")


@_attrs_define
class InventoryItemEnvelope:
    """
    Attributes:
        data (InventoryItemRead): The stock of one product at one location: `onHand` is what is physically there,
            `committed` what pending orders hold, `available` their difference.
        success (Literal[True]):
    """

    data: InventoryItemRead
    success: Literal[True]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        success = self.success

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "success": success,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inventory_item_read import InventoryItemRead

        d = dict(src_dict)
        data = InventoryItemRead.from_dict(d.pop("data"))

        success = cast(Literal[True], d.pop("success"))
        if success != True:
            raise ValueError(f"success must match const True, got '{success}'")

        inventory_item_envelope = cls(
            data=data,
            success=success,
        )

        inventory_item_envelope.additional_properties = d
        return inventory_item_envelope

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
