from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.order_update_paymentmethod import (
    OrderUpdatePaymentmethod,
    check_order_update_paymentmethod,
)
from ..models.order_update_status import OrderUpdateStatus, check_order_update_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.order_update_metadata import OrderUpdateMetadata


T = TypeVar("T", bound="OrderUpdate")


@_attrs_define
class OrderUpdate:
    """
    Attributes:
        customer_id (None | str | Unset):
        metadata (OrderUpdateMetadata | Unset):
        note (None | str | Unset):
        payment_method (OrderUpdatePaymentmethod | Unset):
        restock (bool | None | Unset):
        status (OrderUpdateStatus | Unset):
        version (int | None | Unset):
    """

    customer_id: None | str | Unset = UNSET
    metadata: OrderUpdateMetadata | Unset = UNSET
    note: None | str | Unset = UNSET
    payment_method: OrderUpdatePaymentmethod | Unset = UNSET
    restock: bool | None | Unset = UNSET
    status: OrderUpdateStatus | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        payment_method: str | Unset = UNSET
        if not isinstance(self.payment_method, Unset):
            payment_method = self.payment_method

        restock: bool | None | Unset
        if isinstance(self.restock, Unset):
            restock = UNSET
        else:
            restock = self.restock

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if customer_id is not UNSET:
            field_dict["customerId"] = customer_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if note is not UNSET:
            field_dict["note"] = note
        if payment_method is not UNSET:
            field_dict["paymentMethod"] = payment_method
        if restock is not UNSET:
            field_dict["restock"] = restock
        if status is not UNSET:
            field_dict["status"] = status
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_update_metadata import OrderUpdateMetadata

        d = dict(src_dict)

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customerId", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: OrderUpdateMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = OrderUpdateMetadata.from_dict(_metadata)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        _payment_method = d.pop("paymentMethod", UNSET)
        payment_method: OrderUpdatePaymentmethod | Unset
        if isinstance(_payment_method, Unset):
            payment_method = UNSET
        else:
            payment_method = check_order_update_paymentmethod(_payment_method)

        def _parse_restock(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        restock = _parse_restock(d.pop("restock", UNSET))

        _status = d.pop("status", UNSET)
        status: OrderUpdateStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = check_order_update_status(_status)

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        order_update = cls(
            customer_id=customer_id,
            metadata=metadata,
            note=note,
            payment_method=payment_method,
            restock=restock,
            status=status,
            version=version,
        )

        return order_update
