from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemCount")


@_attrs_define
class ItemCount:
    """PUT /inventory/:id: a physical count, and/or the item's own low-stock threshold.

    Attributes:
        low_stock_threshold (int | None | Unset):
        on_hand (int | Unset):
        version (int | None | Unset):
    """

    low_stock_threshold: int | None | Unset = UNSET
    on_hand: int | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        low_stock_threshold: int | None | Unset
        if isinstance(self.low_stock_threshold, Unset):
            low_stock_threshold = UNSET
        else:
            low_stock_threshold = self.low_stock_threshold

        on_hand = self.on_hand

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if low_stock_threshold is not UNSET:
            field_dict["lowStockThreshold"] = low_stock_threshold
        if on_hand is not UNSET:
            field_dict["onHand"] = on_hand
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_low_stock_threshold(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        low_stock_threshold = _parse_low_stock_threshold(d.pop("lowStockThreshold", UNSET))

        on_hand = d.pop("onHand", UNSET)

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        item_count = cls(
            low_stock_threshold=low_stock_threshold,
            on_hand=on_hand,
            version=version,
        )

        return item_count
