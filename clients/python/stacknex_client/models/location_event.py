from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.location_event_mode_type_0 import (
    LocationEventModeType0,
    check_location_event_mode_type_0,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.location_read import LocationRead


T = TypeVar("T", bound="LocationEvent")


@_attrs_define
class LocationEvent:
    """
    Attributes:
        data (LocationRead):
        event (str):
        id (str):
        mode (LocationEventModeType0 | None):
        organization_id (None | str):
        timestamp (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        changed_fields (list[str] | None | Unset):
    """

    data: LocationRead
    event: str
    id: str
    mode: LocationEventModeType0 | None
    organization_id: None | str
    timestamp: datetime.datetime
    changed_fields: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        event = self.event

        id = self.id

        mode: None | str
        if isinstance(self.mode, str):
            mode = self.mode
        else:
            mode = self.mode

        organization_id: None | str
        organization_id = self.organization_id

        timestamp = self.timestamp.isoformat()

        changed_fields: list[str] | None | Unset
        if isinstance(self.changed_fields, Unset):
            changed_fields = UNSET
        elif isinstance(self.changed_fields, list):
            changed_fields = self.changed_fields

        else:
            changed_fields = self.changed_fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "event": event,
                "id": id,
                "mode": mode,
                "organizationId": organization_id,
                "timestamp": timestamp,
            }
        )
        if changed_fields is not UNSET:
            field_dict["changedFields"] = changed_fields

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.location_read import LocationRead

        d = dict(src_dict)
        data = LocationRead.from_dict(d.pop("data"))

        event = d.pop("event")

        id = d.pop("id")

        def _parse_mode(data: object) -> LocationEventModeType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mode_type_0 = check_location_event_mode_type_0(data)

                return mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LocationEventModeType0 | None, data)

        mode = _parse_mode(d.pop("mode"))

        def _parse_organization_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        organization_id = _parse_organization_id(d.pop("organizationId"))

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

        location_event = cls(
            data=data,
            event=event,
            id=id,
            mode=mode,
            organization_id=organization_id,
            timestamp=timestamp,
            changed_fields=changed_fields,
        )

        location_event.additional_properties = d
        return location_event

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
