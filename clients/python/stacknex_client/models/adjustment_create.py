from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.adjustment_create_reason import AdjustmentCreateReason, check_adjustment_create_reason

T = TypeVar("T", bound="AdjustmentCreate")


@_attrs_define
class AdjustmentCreate:
    """
    Attributes:
        delta (int):
        reason (AdjustmentCreateReason):
    """

    delta: int
    reason: AdjustmentCreateReason

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

        reason = check_adjustment_create_reason(d.pop("reason"))

        adjustment_create = cls(
            delta=delta,
            reason=reason,
        )

        return adjustment_create
