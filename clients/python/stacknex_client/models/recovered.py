from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Recovered")


@_attrs_define
class Recovered:
    """POST …/recover: the failed deliveries sent again, and how many could not be (their
    event is past the event log's retention).

        Attributes:
            delivery_ids (list[str]):
            requeued (int):
            skipped (int):
    """

    delivery_ids: list[str]
    requeued: int
    skipped: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delivery_ids = self.delivery_ids

        requeued = self.requeued

        skipped = self.skipped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deliveryIds": delivery_ids,
                "requeued": requeued,
                "skipped": skipped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        delivery_ids = cast(list[str], d.pop("deliveryIds"))

        requeued = d.pop("requeued")

        skipped = d.pop("skipped")

        recovered = cls(
            delivery_ids=delivery_ids,
            requeued=requeued,
            skipped=skipped,
        )

        recovered.additional_properties = d
        return recovered

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
