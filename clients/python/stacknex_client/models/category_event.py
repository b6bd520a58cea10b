from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.category_read import CategoryRead


T = TypeVar("T", bound="CategoryEvent")


@_attrs_define
class CategoryEvent:
    """
    Attributes:
        data (CategoryRead):
        event (str):
        id (str):
        timestamp (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        changed_fields (list[str] | None | Unset):
        mode (None | str | Unset):
        organization_id (None | str | Unset):
    """

    data: CategoryRead
    event: str
    id: str
    timestamp: datetime.datetime
    changed_fields: list[str] | None | Unset = UNSET
    mode: None | str | Unset = UNSET
    organization_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        event = self.event

        id = self.id

        timestamp = self.timestamp.isoformat()

        changed_fields: list[str] | None | Unset
        if isinstance(self.changed_fields, Unset):
            changed_fields = UNSET
        elif isinstance(self.changed_fields, list):
            changed_fields = self.changed_fields

        else:
            changed_fields = self.changed_fields

        mode: None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        else:
            mode = self.mode

        organization_id: None | str | Unset
        if isinstance(self.organization_id, Unset):
            organization_id = UNSET
        else:
            organization_id = self.organization_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "event": event,
                "id": id,
                "timestamp": timestamp,
            }
        )
        if changed_fields is not UNSET:
            field_dict["changedFields"] = changed_fields
        if mode is not UNSET:
            field_dict["mode"] = mode
        if organization_id is not UNSET:
            field_dict["organizationId"] = organization_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.category_read import CategoryRead

        d = dict(src_dict)
        data = CategoryRead.from_dict(d.pop("data"))

        event = d.pop("event")

        id = d.pop("id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        def _parse_changed_fields(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                changed_fields_type_0 = cast(list[str], data)

                return changed_fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        changed_fields = _parse_changed_fields(d.pop("changedFields", UNSET))

        def _parse_mode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mode = _parse_mode(d.pop("mode", UNSET))

        def _parse_organization_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        organization_id = _parse_organization_id(d.pop("organizationId", UNSET))

        category_event = cls(
            data=data,
            event=event,
            id=id,
            timestamp=timestamp,
            changed_fields=changed_fields,
            mode=mode,
            organization_id=organization_id,
        )

        category_event.additional_properties = d
        return category_event

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
