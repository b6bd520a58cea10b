"""The inventory's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import ApiError, InsufficientStock, ValidationFailed
from services.inventory.domain.errors import InvalidInput, Shortage


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, InvalidInput):
        return ValidationFailed(exc.message, field=exc.field)
    if isinstance(exc, Shortage):
        return InsufficientStock(exc.message, details={"items": exc.lines})
    return None
