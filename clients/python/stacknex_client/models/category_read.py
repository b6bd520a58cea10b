from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.category_read_metadata import CategoryReadMetadata


T = TypeVar("T", bound="CategoryRead")


@_attrs_define
class CategoryRead:
    """
    Attributes:
        created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        deleted_at (datetime.datetime | None):
        description (None | str):
        id (str):
        metadata (CategoryReadMetadata):
        name (str):
        parent_id (None | str):
        updated_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        version (int):
    """

    created_at: datetime.datetime
    deleted_at: datetime.datetime | None
    description: None | str
    id: str
    metadata: CategoryReadMetadata
    name: str
    parent_id: None | str
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        description: None | str
        description = self.description

        id = self.id

        metadata = self.metadata.to_dict()

        name = self.name

        parent_id: None | str
        parent_id = self.parent_id

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "deletedAt": deleted_at,
                "description": description,
                "id": id,
                "metadata": metadata,
                "name": name,
                "parentId": parent_id,
                "updatedAt": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.category_read_metadata import CategoryReadMetadata

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_deleted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deleted_at = _parse_deleted_at(d.pop("deletedAt"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        id = d.pop("id")

        metadata = CategoryReadMetadata.from_dict(d.pop("metadata"))

        name = d.pop("name")

        def _parse_parent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_id = _parse_parent_id(d.pop("parentId"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        version = d.pop("version")

        category_read = cls(
            created_at=created_at,
            deleted_at=deleted_at,
            description=description,
            id=id,
            metadata=metadata,
            name=name,
            parent_id=parent_id,
            updated_at=updated_at,
            version=version,
        )

        category_read.additional_properties = d
        return category_read

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
