from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.product_replace_currency_type_0 import (
    ProductReplaceCurrencyType0,
    check_product_replace_currency_type_0,
)
from ..models.product_replace_inventorypolicy import (
    ProductReplaceInventorypolicy,
    check_product_replace_inventorypolicy,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.product_replace_metadata import ProductReplaceMetadata


T = TypeVar("T", bound="ProductReplace")


@_attrs_define
class ProductReplace:
    """PUT: every mutable field; those left out return to their defaults.

    Attributes:
        name (str):
        price (float):  Example: 4.99.
        active (bool | Unset):  Default: True.
        category_id (None | str | Unset):
        currency (None | ProductReplaceCurrencyType0 | Unset):
        description (None | str | Unset):
        inventory_policy (ProductReplaceInventorypolicy | Unset):  Default: 'deny'.
        low_stock_threshold (int | None | Unset):
        metadata (ProductReplaceMetadata | Unset):
        sku (None | str | Unset):
        track_inventory (bool | Unset):  Default: True.
        version (int | None | Unset):
    """

    name: str
    price: float
    active: bool | Unset = True
    category_id: None | str | Unset = UNSET
    currency: None | ProductReplaceCurrencyType0 | Unset = UNSET
    description: None | str | Unset = UNSET
    inventory_policy: ProductReplaceInventorypolicy | Unset = "deny"
    low_stock_threshold: int | None | Unset = UNSET
    metadata: ProductReplaceMetadata | Unset = UNSET
    sku: None | str | Unset = UNSET
    track_inventory: bool | Unset = True
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        price = self.price

        active = self.active

        category_id: None | str | Unset
        if isinstance(self.category_id, Unset):
            category_id = UNSET
        else:
            category_id = self.category_id

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        elif isinstance(self.currency, str):
            currency = self.currency
        else:
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

        field_dict.update(
            {
                "name": name,
                "price": price,
            }
        )
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
        if sku is not UNSET:
            field_dict["sku"] = sku
        if track_inventory is not UNSET:
            field_dict["trackInventory"] = track_inventory
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.product_replace_metadata import ProductReplaceMetadata

        d = dict(src_dict)
        name = d.pop("name")

        price = d.pop("price")

        active = d.pop("active", UNSET)

        def _parse_category_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category_id = _parse_category_id(d.pop("categoryId", UNSET))

        def _parse_currency(data: object) -> None | ProductReplaceCurrencyType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                currency_type_0 = check_product_replace_currency_type_0(data)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProductReplaceCurrencyType0 | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _inventory_policy = d.pop("inventoryPolicy", UNSET)
        inventory_policy: ProductReplaceInventorypolicy | Unset
        if isinstance(_inventory_policy, Unset):
            inventory_policy = UNSET
        else:
            inventory_policy = check_product_replace_inventorypolicy(_inventory_policy)

        def _parse_low_stock_threshold(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        low_stock_threshold = _parse_low_stock_threshold(d.pop("lowStockThreshold", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: ProductReplaceMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = ProductReplaceMetadata.from_dict(_metadata)

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

        product_replace = cls(
            name=name,
            price=price,
            active=active,
            category_id=category_id,
            currency=currency,
            description=description,
            inventory_policy=inventory_policy,
            low_stock_threshold=low_stock_threshold,
            metadata=metadata,
            sku=sku,
            track_inventory=track_inventory,
            version=version,
        )

        return product_replace
