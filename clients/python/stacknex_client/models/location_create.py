from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.location_create_metadata import LocationCreateMetadata


T = TypeVar("T", bound="LocationCreate")


@_attrs_define
class LocationCreate:
    """
    Attributes:
        name (str):
        address (None | str | Unset):
        metadata (LocationCreateMetadata | Unset):
    """

    name: str
    address: None | str | Unset = UNSET
    metadata: LocationCreateMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if address is not UNSET:
            field_dict["address"] = address
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.location_create_metadata import LocationCreateMetadata

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: LocationCreateMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = LocationCreateMetadata.from_dict(_metadata)

        location_create = cls(
            name=name,
            address=address,
            metadata=metadata,
        )

        return location_create
