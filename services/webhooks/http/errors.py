"""The webhooks service's errors in the words of CONVENTIONS.md."""

from libs.common.errors import ApiError, EventExpiredError, ValidationFailed
from services.webhooks.domain.errors import EventExpired
from services.webhooks.domain.targets import TargetRefused


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, TargetRefused):
        return ValidationFailed(exc.message, field="url", expected="a public https URL")
    if isinstance(exc, EventExpired):
        return EventExpiredError(str(exc), details={"eventId": exc.event_id})
    return None
