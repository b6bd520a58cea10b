from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.customer_read_metadata import CustomerReadMetadata


T = TypeVar("T", bound="CustomerRead")


@_attrs_define
class CustomerRead:
    """
    Attributes:
        created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        email (str):
        first_name (None | str):
        id (str):
        last_name (None | str):
        metadata (CustomerReadMetadata):
        note (None | str):
        orders_count (int):
        phone (None | str):
        total_spent (float):  Example: 4.99.
        updated_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        version (int):
    """

    created_at: datetime.datetime
    email: str
    first_name: None | str
    id: str
    last_name: None | str
    metadata: CustomerReadMetadata
    note: None | str
    orders_count: int
    phone: None | str
    total_spent: float
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        first_name: None | str
        first_name = self.first_name

        id = self.id

        last_name: None | str
        last_name = self.last_name

        metadata = self.metadata.to_dict()

        note: None | str
        note = self.note

        orders_count = self.orders_count

        phone: None | str
        phone = self.phone

        total_spent = self.total_spent

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "email": email,
                "firstName": first_name,
                "id": id,
                "lastName": last_name,
                "metadata": metadata,
                "note": note,
                "ordersCount": orders_count,
                "phone": phone,
                "totalSpent": total_spent,
                "updatedAt": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.customer_read_metadata import CustomerReadMetadata

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        email = d.pop("email")

        def _parse_first_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        first_name = _parse_first_name(d.pop("firstName"))

        id = d.pop("id")

        def _parse_last_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_name = _parse_last_name(d.pop("lastName"))

        metadata = CustomerReadMetadata.from_dict(d.pop("metadata"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        orders_count = d.pop("ordersCount")

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))

        total_spent = d.pop("totalSpent")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        version = d.pop("version")

        customer_read = cls(
            created_at=created_at,
            email=email,
            first_name=first_name,
            id=id,
            last_name=last_name,
            metadata=metadata,
            note=note,
            orders_count=orders_count,
            phone=phone,
            total_spent=total_spent,
            updated_at=updated_at,
            version=version,
        )

        customer_read.additional_properties = d
        return customer_read

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
