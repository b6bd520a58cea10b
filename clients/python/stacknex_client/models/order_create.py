from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.order_create_paymentmethod import (
    OrderCreatePaymentmethod,
    check_order_create_paymentmethod,
)
from ..models.order_create_status import OrderCreateStatus, check_order_create_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.order_create_metadata import OrderCreateMetadata
    from ..models.order_item import OrderItem


T = TypeVar("T", bound="OrderCreate")


@_attrs_define
class OrderCreate:
    """
    Attributes:
        items (list[OrderItem]):
        location_id (str):  Example: loc_0354xIPEOJKu0fmmxXMXnj.
        payment_method (OrderCreatePaymentmethod):
        customer_id (None | str | Unset):
        metadata (OrderCreateMetadata | Unset):
        note (None | str | Unset):
        status (OrderCreateStatus | Unset):  Default: 'completed'.
    """

    items: list[OrderItem]
    location_id: str
    payment_method: OrderCreatePaymentmethod
    customer_id: None | str | Unset = UNSET
    metadata: OrderCreateMetadata | Unset = UNSET
    note: None | str | Unset = UNSET
    status: OrderCreateStatus | Unset = "completed"

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        location_id = self.location_id

        payment_method: str = self.payment_method

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
                "locationId": location_id,
                "paymentMethod": payment_method,
            }
        )
        if customer_id is not UNSET:
            field_dict["customerId"] = customer_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if note is not UNSET:
            field_dict["note"] = note
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_create_metadata import OrderCreateMetadata
        from ..models.order_item import OrderItem

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = OrderItem.from_dict(items_item_data)

            items.append(items_item)

        location_id = d.pop("locationId")

        payment_method = check_order_create_paymentmethod(d.pop("paymentMethod"))

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customerId", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: OrderCreateMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = OrderCreateMetadata.from_dict(_metadata)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        _status = d.pop("status", UNSET)
        status: OrderCreateStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = check_order_create_status(_status)

        order_create = cls(
            items=items,
            location_id=location_id,
            payment_method=payment_method,
            customer_id=customer_id,
            metadata=metadata,
            note=note,
            status=status,
        )

        return order_create
