from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_detail_status import DeliveryDetailStatus, check_delivery_detail_status

if TYPE_CHECKING:
    from ..models.attempt_read import AttemptRead


T = TypeVar("T", bound="DeliveryDetail")


@_attrs_define
class DeliveryDetail:
    """A delivery with every attempt, oldest first.

    Attributes:
        attempt_log (list[AttemptRead]):
        attempts (int):
        created_at (datetime.datetime):  Example: 2024-01-15T10:30:00Z.
        endpoint_id (str):
        event (str):
        event_id (str):
        id (str):
        last_error (None | str):
        last_status (int | None):
        next_attempt_at (datetime.datetime | None):
        status (DeliveryDetailStatus):
        succeeded_at (datetime.datetime | None):
    """

    attempt_log: list[AttemptRead]
    attempts: int
    created_at: datetime.datetime
    endpoint_id: str
    event: str
    event_id: str
    id: str
    last_error: None | str
    last_status: int | None
    next_attempt_at: datetime.datetime | None
    status: DeliveryDetailStatus
    succeeded_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt_log = []
        for attempt_log_item_data in self.attempt_log:
            attempt_log_item = attempt_log_item_data.to_dict()
            attempt_log.append(attempt_log_item)

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        endpoint_id = self.endpoint_id

        event = self.event

        event_id = self.event_id

        id = self.id

        last_error: None | str
        last_error = self.last_error

        last_status: int | None
        last_status = self.last_status

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        status: str = self.status

        succeeded_at: None | str
        if isinstance(self.succeeded_at, datetime.datetime):
            succeeded_at = self.succeeded_at.isoformat()
        else:
            succeeded_at = self.succeeded_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attemptLog": attempt_log,
                "attempts": attempts,
                "createdAt": created_at,
                "endpointId": endpoint_id,
                "event": event,
                "eventId": event_id,
                "id": id,
                "lastError": last_error,
                "lastStatus": last_status,
                "nextAttemptAt": next_attempt_at,
                "status": status,
                "succeededAt": succeeded_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attempt_read import AttemptRead

        d = dict(src_dict)
        attempt_log = []
        _attempt_log = d.pop("attemptLog")
        for attempt_log_item_data in _attempt_log:
            attempt_log_item = AttemptRead.from_dict(attempt_log_item_data)

            attempt_log.append(attempt_log_item)

        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        endpoint_id = d.pop("endpointId")

        event = d.pop("event")

        event_id = d.pop("eventId")

        id = d.pop("id")

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("lastError"))

        def _parse_last_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status = _parse_last_status(d.pop("lastStatus"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("nextAttemptAt"))

        status = check_delivery_detail_status(d.pop("status"))

        def _parse_succeeded_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                succeeded_at_type_0 = datetime.datetime.fromisoformat(data)

                return succeeded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        succeeded_at = _parse_succeeded_at(d.pop("succeededAt"))

        delivery_detail = cls(
            attempt_log=attempt_log,
            attempts=attempts,
            created_at=created_at,
            endpoint_id=endpoint_id,
            event=event,
            event_id=event_id,
            id=id,
            last_error=last_error,
            last_status=last_status,
            next_attempt_at=next_attempt_at,
            status=status,
            succeeded_at=succeeded_at,
        )

        delivery_detail.additional_properties = d
        return delivery_detail

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
