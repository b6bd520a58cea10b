"""The webhooks API's answers about deliveries (with their attempts), and the answer base
that its answers which are not versioned resources share."""

from typing import Any, ClassVar, Literal

from pydantic import ConfigDict

from libs.common.resources import At, View


def example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


DeliveryStatus = Literal["pending", "succeeded", "failed"]
_DELIVERY = {
    "id": "del_2Yc9kTq1Hn5wZr3mBv7e",
    "endpointId": "we_2Yc9kQm4T7vXbN1pLs8d",
    "eventId": "evt_2Yc9kSx8Jd2fQp6tWa4c",
    "event": "order.created",
    "status": "succeeded",
    "attempts": 2,
    "lastStatus": 200,
    "lastError": None,
    "nextAttemptAt": None,
    "createdAt": "2024-01-15T10:30:00Z",
    "succeededAt": "2024-01-15T10:30:31Z",
}


class DeliveryRead(View):
    """One event's way to one endpoint; its id is the `X-Webhook-Id` of every attempt."""

    kind: ClassVar[str] = "delivery"
    model_config = {**View.model_config, **example(_DELIVERY)}

    id: str
    endpoint_id: str
    event_id: str
    event: str
    status: DeliveryStatus
    attempts: int
    last_status: int | None
    last_error: str | None
    # Only while pending: when the next attempt is due.
    next_attempt_at: At | None
    created_at: At
    succeeded_at: At | None


class AttemptRead(View):
    attempt: int
    at: At
    duration_ms: int
    http_status: int | None
    # An excerpt of what the receiver answered.
    response: str | None
    error: str | None


class DeliveryDetail(DeliveryRead):
    """A delivery with every attempt, oldest first."""

    model_config = {
        **View.model_config,
        **example(
            {
                **_DELIVERY,
                "attemptLog": [
                    {
                        "attempt": 1,
                        "at": "2024-01-15T10:30:01Z",
                        "durationMs": 10000,
                        "httpStatus": None,
                        "response": None,
                        "error": "timed out after 10 s",
                    },
                    {
                        "attempt": 2,
                        "at": "2024-01-15T10:30:31Z",
                        "durationMs": 84,
                        "httpStatus": 200,
                        "response": "ok",
                        "error": None,
                    },
                ],
            }
        ),
    }

    attempt_log: list[AttemptRead]


class DeliveryQueued(View):
    """POST …/retry: the delivery is pending again, for an attempt right away."""

    model_config = {**View.model_config, **example({"id": _DELIVERY["id"], "status": "pending"})}

    id: str
    status: Literal["pending"] = "pending"


class WebhookTestQueued(View):
    """POST …/test: the `webhook.test` event made for the endpoint and its delivery."""

    model_config = {
        **View.model_config,
        **example(
            {"eventId": _DELIVERY["eventId"], "deliveryId": _DELIVERY["id"], "status": "pending"}
        ),
    }

    event_id: str
    delivery_id: str
    status: Literal["pending"] = "pending"


class Recovered(View):
    """POST …/recover: the failed deliveries sent again, and how many could not be (their
    event is past the event log's retention)."""

    model_config = {
        **View.model_config,
        **example({"requeued": 1, "deliveryIds": [_DELIVERY["id"]], "skipped": 0}),
    }

    requeued: int
    delivery_ids: list[str]
    skipped: int
