from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OrderLine")


@_attrs_define
class OrderLine:
    """A line as sold: the product's name, SKU and price as they were at the sale.

    Attributes:
        line_total (float):  Example: 4.99.
        name (str):
        product_id (str):
        quantity (int):
        sku (None | str):
        unit_price (float):  Example: 4.99.
    """

    line_total: float
    name: str
    product_id: str
    quantity: int
    sku: None | str
    unit_price: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        line_total = self.line_total

        name = self.name

        product_id = self.product_id

        quantity = self.quantity

        sku: None | str
        sku = self.sku

        unit_price = self.unit_price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lineTotal": line_total,
                "name": name,
                "productId": product_id,
                "quantity": quantity,
                "sku": sku,
                "unitPrice": unit_price,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        line_total = d.pop("lineTotal")

        name = d.pop("name")

        product_id = d.pop("productId")

        quantity = d.pop("quantity")

        def _parse_sku(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sku = _parse_sku(d.pop("sku"))

        unit_price = d.pop("unitPrice")

        order_line = cls(
            line_total=line_total,
            name=name,
            product_id=product_id,
            quantity=quantity,
            sku=sku,
            unit_price=unit_price,
        )

        order_line.additional_properties = d
        return order_line

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
