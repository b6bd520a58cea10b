from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.location_read_metadata import LocationReadMetadata


T = TypeVar("T", bound="LocationRead")


@_attrs_define
class LocationRead:
    """
    Attributes:
        address (None | str):
        created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        id (str):
        is_default (bool):  Default: False.
        metadata (LocationReadMetadata):
        name (str):
        updated_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        version (int):
    """

    address: None | str
    created_at: datetime.datetime
    id: str
    metadata: LocationReadMetadata
    name: str
    updated_at: datetime.datetime
    version: int
    is_default: bool = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address: None | str
        address = self.address

        created_at = self.created_at.isoformat()

        id = self.id

        is_default = self.is_default

        metadata = self.metadata.to_dict()

        name = self.name

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address": address,
                "createdAt": created_at,
                "id": id,
                "isDefault": is_default,
                "metadata": metadata,
                "name": name,
                "updatedAt": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.location_read_metadata import LocationReadMetadata

        d = dict(src_dict)

        def _parse_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        address = _parse_address(d.pop("address"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        id = d.pop("id")

        is_default = d.pop("isDefault")

        metadata = LocationReadMetadata.from_dict(d.pop("metadata"))

        name = d.pop("name")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        version = d.pop("version")

        location_read = cls(
            address=address,
            created_at=created_at,
            id=id,
            is_default=is_default,
            metadata=metadata,
            name=name,
            updated_at=updated_at,
            version=version,
        )

        location_read.additional_properties = d
        return location_read

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
