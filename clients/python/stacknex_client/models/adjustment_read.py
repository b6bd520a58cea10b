from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.adjustment_read_reason_type_0 import (
    AdjustmentReadReasonType0,
    check_adjustment_read_reason_type_0,
)
from ..models.adjustment_read_reason_type_1 import (
    AdjustmentReadReasonType1,
    check_adjustment_read_reason_type_1,
)

T = TypeVar("T", bound="AdjustmentRead")


@_attrs_define
class AdjustmentRead:
    """A line of an item's ledger: per item, the lines sum to `onHand`. Written once, never
    changed, so it has no version.

        Attributes:
            created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
            delta (int):
            id (str):
            inventory_item_id (str):
            on_hand_after (int):
            order_id (None | str):
            reason (AdjustmentReadReasonType0 | AdjustmentReadReasonType1):
    """

    created_at: datetime.datetime
    delta: int
    id: str
    inventory_item_id: str
    on_hand_after: int
    order_id: None | str
    reason: AdjustmentReadReasonType0 | AdjustmentReadReasonType1
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        delta = self.delta

        id = self.id

        inventory_item_id = self.inventory_item_id

        on_hand_after = self.on_hand_after

        order_id: None | str
        order_id = self.order_id

        reason: str
        if isinstance(self.reason, str):
            reason = self.reason
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "delta": delta,
                "id": id,
                "inventoryItemId": inventory_item_id,
                "onHandAfter": on_hand_after,
                "orderId": order_id,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        delta = d.pop("delta")

        id = d.pop("id")

        inventory_item_id = d.pop("inventoryItemId")

        on_hand_after = d.pop("onHandAfter")

        def _parse_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        order_id = _parse_order_id(d.pop("orderId"))

        def _parse_reason(data: object) -> AdjustmentReadReasonType0 | AdjustmentReadReasonType1:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = check_adjustment_read_reason_type_0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            reason_type_1 = check_adjustment_read_reason_type_1(data)

            return reason_type_1

        reason = _parse_reason(d.pop("reason"))

        adjustment_read = cls(
            created_at=created_at,
            delta=delta,
            id=id,
            inventory_item_id=inventory_item_id,
            on_hand_after=on_hand_after,
            order_id=order_id,
            reason=reason,
        )

        adjustment_read.additional_properties = d
        return adjustment_read

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
