from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.order_replace_paymentmethod import (
    OrderReplacePaymentmethod,
    check_order_replace_paymentmethod,
)
from ..models.order_replace_status import OrderReplaceStatus, check_order_replace_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.order_replace_metadata import OrderReplaceMetadata


T = TypeVar("T", bound="OrderReplace")


@_attrs_define
class OrderReplace:
    """PUT: the mutable fields (status and bookkeeping); the lines are fixed at sale.

    Attributes:
        payment_method (OrderReplacePaymentmethod):
        status (OrderReplaceStatus):
        customer_id (None | str | Unset):
        metadata (OrderReplaceMetadata | Unset):
        note (None | str | Unset):
        restock (bool | None | Unset):
        version (int | None | Unset):
    """

    payment_method: OrderReplacePaymentmethod
    status: OrderReplaceStatus
    customer_id: None | str | Unset = UNSET
    metadata: OrderReplaceMetadata | Unset = UNSET
    note: None | str | Unset = UNSET
    restock: bool | None | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        payment_method: str = self.payment_method

        status: str = self.status

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

        restock: bool | None | Unset
        if isinstance(self.restock, Unset):
            restock = UNSET
        else:
            restock = self.restock

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "paymentMethod": payment_method,
                "status": status,
            }
        )
        if customer_id is not UNSET:
            field_dict["customerId"] = customer_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if note is not UNSET:
            field_dict["note"] = note
        if restock is not UNSET:
            field_dict["restock"] = restock
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_replace_metadata import OrderReplaceMetadata

        d = dict(src_dict)
        payment_method = check_order_replace_paymentmethod(d.pop("paymentMethod"))

        status = check_order_replace_status(d.pop("status"))

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customerId", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: OrderReplaceMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = OrderReplaceMetadata.from_dict(_metadata)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_restock(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        restock = _parse_restock(d.pop("restock", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        order_replace = cls(
            payment_method=payment_method,
            status=status,
            customer_id=customer_id,
            metadata=metadata,
            note=note,
            restock=restock,
            version=version,
        )

        return order_replace
