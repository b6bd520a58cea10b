from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.post_api_v1_inventory_id_adjustments_adjustment_create_reason import (
    PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason,
    check_post_api_v1_inventory_id_adjustments_adjustment_create_reason,
)

T = TypeVar("T", bound="PostApiV1InventoryIdAdjustmentsAdjustmentCreate")


@_attrs_define
class PostApiV1InventoryIdAdjustmentsAdjustmentCreate:
    """
    Attributes:
        delta (int):
        reason (PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason):
    """

    delta: int
    reason: PostApiV1InventoryIdAdjustmentsAdjustmentCreateReason

    def to_dict(self) -> dict[str, Any]:
        delta = self.delta

        reason: str = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "delta": delta,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        delta = d.pop("delta")

        reason = check_post_api_v1_inventory_id_adjustments_adjustment_create_reason(
            d.pop("reason")
        )

        post_api_v1_inventory_id_adjustments_adjustment_create = cls(
            delta=delta,
            reason=reason,
        )

        return post_api_v1_inventory_id_adjustments_adjustment_create
