"""The orders service's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import (
    ApiError,
    Conflict,
    InsufficientStock,
    NotFound,
    ValidationFailed,
    VersionConflict,
)
from services.orders.domain.errors import (
    Duplicate,
    IllegalTransition,
    InvalidInput,
    NotFoundError,
    Shortage,
    StaleVersion,
)


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, NotFoundError):
        return NotFound(exc.message)
    if isinstance(exc, InvalidInput):
        return ValidationFailed(exc.message, field=exc.field, errors=exc.errors)
    if isinstance(exc, Duplicate | IllegalTransition):
        return Conflict(exc.message, details={"field": exc.field})
    if isinstance(exc, StaleVersion):
        return VersionConflict(exc.message, details={"currentVersion": exc.current})
    if isinstance(exc, Shortage):
        return InsufficientStock(exc.message, details={"items": exc.lines})
    return None
