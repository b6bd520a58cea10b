"""The inventory's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import (
    ApiError,
    InsufficientStock,
    NotFound,
    ValidationFailed,
    VersionConflict,
)
from services.inventory.domain.errors import InvalidInput, NotFoundError, Shortage, StaleVersion


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, NotFoundError):
        return NotFound(exc.message)
    if isinstance(exc, InvalidInput):
        return ValidationFailed(exc.message, field=exc.field)
    if isinstance(exc, StaleVersion):
        return VersionConflict(exc.message, details={"currentVersion": exc.current})
    if isinstance(exc, Shortage):
        return InsufficientStock(exc.message, details={"items": exc.lines})
    return None
