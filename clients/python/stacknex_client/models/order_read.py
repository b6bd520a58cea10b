from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_read_paymentmethod import OrderReadPaymentmethod, check_order_read_paymentmethod
from ..models.order_read_status import OrderReadStatus, check_order_read_status

if TYPE_CHECKING:
    from ..models.order_line import OrderLine
    from ..models.order_read_metadata import OrderReadMetadata


T = TypeVar("T", bound="OrderRead")


@_attrs_define
class OrderRead:
    """
    Attributes:
        cancelled_at (datetime.datetime | None):
        completed_at (datetime.datetime | None):
        created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        currency (str):
        customer_id (None | str):
        id (str):
        items (list[OrderLine]):
        location_id (str):
        metadata (OrderReadMetadata):
        note (None | str):
        order_number (str):
        payment_method (OrderReadPaymentmethod):
        restock (bool | None):
        status (OrderReadStatus):
        subtotal (float):  Example: 4.99.
        total (float):  Example: 4.99.
        updated_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        version (int):
    """

    cancelled_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    currency: str
    customer_id: None | str
    id: str
    items: list[OrderLine]
    location_id: str
    metadata: OrderReadMetadata
    note: None | str
    order_number: str
    payment_method: OrderReadPaymentmethod
    restock: bool | None
    status: OrderReadStatus
    subtotal: float
    total: float
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        created_at = self.created_at.isoformat()

        currency = self.currency

        customer_id: None | str
        customer_id = self.customer_id

        id = self.id

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        location_id = self.location_id

        metadata = self.metadata.to_dict()

        note: None | str
        note = self.note

        order_number = self.order_number

        payment_method: str = self.payment_method

        restock: bool | None
        restock = self.restock

        status: str = self.status

        subtotal = self.subtotal

        total = self.total

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cancelledAt": cancelled_at,
                "completedAt": completed_at,
                "createdAt": created_at,
                "currency": currency,
                "customerId": customer_id,
                "id": id,
                "items": items,
                "locationId": location_id,
                "metadata": metadata,
                "note": note,
                "orderNumber": order_number,
                "paymentMethod": payment_method,
                "restock": restock,
                "status": status,
                "subtotal": subtotal,
                "total": total,
                "updatedAt": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_line import OrderLine
        from ..models.order_read_metadata import OrderReadMetadata

        d = dict(src_dict)

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)

                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelledAt"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completedAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        currency = d.pop("currency")

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customerId"))

        id = d.pop("id")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = OrderLine.from_dict(items_item_data)

            items.append(items_item)

        location_id = d.pop("locationId")

        metadata = OrderReadMetadata.from_dict(d.pop("metadata"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        order_number = d.pop("orderNumber")

        payment_method = check_order_read_paymentmethod(d.pop("paymentMethod"))

        def _parse_restock(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        restock = _parse_restock(d.pop("restock"))

        status = check_order_read_status(d.pop("status"))

        subtotal = d.pop("subtotal")

        total = d.pop("total")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        version = d.pop("version")

        order_read = cls(
            cancelled_at=cancelled_at,
            completed_at=completed_at,
            created_at=created_at,
            currency=currency,
            customer_id=customer_id,
            id=id,
            items=items,
            location_id=location_id,
            metadata=metadata,
            note=note,
            order_number=order_number,
            payment_method=payment_method,
            restock=restock,
            status=status,
            subtotal=subtotal,
            total=total,
            updated_at=updated_at,
            version=version,
        )

        order_read.additional_properties = d
        return order_read

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
