from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.product_update_currency import ProductUpdateCurrency, check_product_update_currency
from ..models.product_update_inventorypolicy import (
    ProductUpdateInventorypolicy,
    check_product_update_inventorypolicy,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.product_update_metadata import ProductUpdateMetadata


T = TypeVar("T", bound="ProductUpdate")


@_attrs_define
class ProductUpdate:
    """PATCH: only the fields given change; null clears a nullable one.

    Attributes:
        active (bool | Unset):
        category_id (None | str | Unset):
        currency (ProductUpdateCurrency | Unset):
        description (None | str | Unset):
        inventory_policy (ProductUpdateInventorypolicy | Unset):
        low_stock_threshold (int | None | Unset):
        metadata (ProductUpdateMetadata | Unset):
        name (str | Unset):
        price (float | Unset):  Example: 4.99.
        sku (None | str | Unset):
        track_inventory (bool | Unset):
        version (int | None | Unset):
    """

    active: bool | Unset = UNSET
    category_id: None | str | Unset = UNSET
    currency: ProductUpdateCurrency | Unset = UNSET
    description: None | str | Unset = UNSET
    inventory_policy: ProductUpdateInventorypolicy | Unset = UNSET
    low_stock_threshold: int | None | Unset = UNSET
    metadata: ProductUpdateMetadata | Unset = UNSET
    name: str | Unset = UNSET
    price: float | Unset = UNSET
    sku: None | str | Unset = UNSET
    track_inventory: bool | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        category_id: None | str | Unset
        if isinstance(self.category_id, Unset):
            category_id = UNSET
        else:
            category_id = self.category_id

        currency: str | Unset = UNSET
        if not isinstance(self.currency, Unset):
            currency = self.currency

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        inventory_policy: str | Unset = UNSET
        if not isinstance(self.inventory_policy, Unset):
            inventory_policy = self.inventory_policy

        low_stock_threshold: int | None | Unset
        if isinstance(self.low_stock_threshold, Unset):
            low_stock_threshold = UNSET
        else:
            low_stock_threshold = self.low_stock_threshold

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        name = self.name

        price = self.price

        sku: None | str | Unset
        if isinstance(self.sku, Unset):
            sku = UNSET
        else:
            sku = self.sku

        track_inventory = self.track_inventory

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if active is not UNSET:
            field_dict["active"] = active
        if category_id is not UNSET:
            field_dict["categoryId"] = category_id
        if currency is not UNSET:
            field_dict["currency"] = currency
        if description is not UNSET:
            field_dict["description"] = description
        if inventory_policy is not UNSET:
            field_dict["inventoryPolicy"] = inventory_policy
        if low_stock_threshold is not UNSET:
            field_dict["lowStockThreshold"] = low_stock_threshold
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if name is not UNSET:
            field_dict["name"] = name
        if price is not UNSET:
            field_dict["price"] = price
        if sku is not UNSET:
            field_dict["sku"] = sku
        if track_inventory is not UNSET:
            field_dict["trackInventory"] = track_inventory
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.product_update_metadata import ProductUpdateMetadata

        d = dict(src_dict)
        active = d.pop("active", UNSET)

        def _parse_category_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category_id = _parse_category_id(d.pop("categoryId", UNSET))

        _currency = d.pop("currency", UNSET)
        currency: ProductUpdateCurrency | Unset
        if isinstance(_currency, Unset):
            currency = UNSET
        else:
            currency = check_product_update_currency(_currency)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _inventory_policy = d.pop("inventoryPolicy", UNSET)
        inventory_policy: ProductUpdateInventorypolicy | Unset
        if isinstance(_inventory_policy, Unset):
            inventory_policy = UNSET
        else:
            inventory_policy = check_product_update_inventorypolicy(_inventory_policy)

        def _parse_low_stock_threshold(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        low_stock_threshold = _parse_low_stock_threshold(d.pop("lowStockThreshold", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: ProductUpdateMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = ProductUpdateMetadata.from_dict(_metadata)

        name = d.pop("name", UNSET)

        price = d.pop("price", UNSET)

        def _parse_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku = _parse_sku(d.pop("sku", UNSET))

        track_inventory = d.pop("trackInventory", UNSET)

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        product_update = cls(
            active=active,
            category_id=category_id,
            currency=currency,
            description=description,
            inventory_policy=inventory_policy,
            low_stock_threshold=low_stock_threshold,
            metadata=metadata,
            name=name,
            price=price,
            sku=sku,
            track_inventory=track_inventory,
            version=version,
        )

        return product_update
