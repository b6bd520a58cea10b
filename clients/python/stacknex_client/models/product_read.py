from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product_read_inventorypolicy import (
    ProductReadInventorypolicy,
    check_product_read_inventorypolicy,
)

if TYPE_CHECKING:
    from ..models.product_read_metadata import ProductReadMetadata


T = TypeVar("T", bound="ProductRead")


@_attrs_define
class ProductRead:
    """
    Attributes:
        active (bool):
        category_id (None | str):
        created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        currency (str):
        deleted_at (datetime.datetime | None):
        description (None | str):
        id (str):
        inventory_policy (ProductReadInventorypolicy):
        low_stock_threshold (int | None):
        metadata (ProductReadMetadata):
        name (str):
        price (float):  Example: 4.99.
        sku (None | str):
        track_inventory (bool):
        updated_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        version (int):
    """

    active: bool
    category_id: None | str
    created_at: datetime.datetime
    currency: str
    deleted_at: datetime.datetime | None
    description: None | str
    id: str
    inventory_policy: ProductReadInventorypolicy
    low_stock_threshold: int | None
    metadata: ProductReadMetadata
    name: str
    price: float
    sku: None | str
    track_inventory: bool
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        category_id: None | str
        category_id = self.category_id

        created_at = self.created_at.isoformat()

        currency = self.currency

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        description: None | str
        description = self.description

        id = self.id

        inventory_policy: str = self.inventory_policy

        low_stock_threshold: int | None
        low_stock_threshold = self.low_stock_threshold

        metadata = self.metadata.to_dict()

        name = self.name

        price = self.price

        sku: None | str
        sku = self.sku

        track_inventory = self.track_inventory

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "categoryId": category_id,
                "createdAt": created_at,
                "currency": currency,
                "deletedAt": deleted_at,
                "description": description,
                "id": id,
                "inventoryPolicy": inventory_policy,
                "lowStockThreshold": low_stock_threshold,
                "metadata": metadata,
                "name": name,
                "price": price,
                "sku": sku,
                "trackInventory": track_inventory,
                "updatedAt": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.product_read_metadata import ProductReadMetadata

        d = dict(src_dict)
        active = d.pop("active")

        def _parse_category_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category_id = _parse_category_id(d.pop("categoryId"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        currency = d.pop("currency")

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

        inventory_policy = check_product_read_inventorypolicy(d.pop("inventoryPolicy"))

        def _parse_low_stock_threshold(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        low_stock_threshold = _parse_low_stock_threshold(d.pop("lowStockThreshold"))

        metadata = ProductReadMetadata.from_dict(d.pop("metadata"))

        name = d.pop("name")

        price = d.pop("price")

        def _parse_sku(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sku = _parse_sku(d.pop("sku"))

        track_inventory = d.pop("trackInventory")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        version = d.pop("version")

        product_read = cls(
            active=active,
            category_id=category_id,
            created_at=created_at,
            currency=currency,
            deleted_at=deleted_at,
            description=description,
            id=id,
            inventory_policy=inventory_policy,
            low_stock_threshold=low_stock_threshold,
            metadata=metadata,
            name=name,
            price=price,
            sku=sku,
            track_inventory=track_inventory,
            updated_at=updated_at,
            version=version,
        )

        product_read.additional_properties = d
        return product_read

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
