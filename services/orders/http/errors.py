"""The orders service's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import ApiError, Conflict, InsufficientStock, ValidationFailed
from services.orders.domain.errors import IllegalTransition, InvalidInput, Shortage


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, InvalidInput):
        return ValidationFailed(exc.message, field=exc.field, errors=exc.errors)
    if isinstance(exc, IllegalTransition):
        return Conflict(exc.message, details={"field": exc.field})
    if isinstance(exc, Shortage):
        return InsufficientStock(exc.message, details={"items": exc.lines})
    return None
