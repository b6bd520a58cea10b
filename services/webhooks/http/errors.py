"""The webhooks service's errors in the words of CONVENTIONS.md."""

from libs.common.errors import (
    ApiError,
    EventExpiredError,
    NotFound,
    ValidationFailed,
    VersionConflict,
)
from services.webhooks.domain.errors import EndpointNotFound, EventExpired, StaleVersion
from services.webhooks.domain.targets import TargetRefused


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, EndpointNotFound):
        return NotFound("No such webhook endpoint.")
    if isinstance(exc, TargetRefused):
        return ValidationFailed(exc.message, field="url", expected="a public https URL")
    if isinstance(exc, StaleVersion):
        return VersionConflict(str(exc), details={"currentVersion": exc.current})
    if isinstance(exc, EventExpired):
        return EventExpiredError(str(exc), details={"eventId": exc.event_id})
    return None
