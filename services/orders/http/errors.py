"""The orders service's domain errors in the words of CONVENTIONS.md."""

from typing import Any

from libs.common.errors import ApiError, Conflict, InsufficientStock, NotFound, ValidationFailed
from services.orders.domain.errors import (
    IllegalTransition,
    InvalidInput,
    MissingReference,
    OrdersError,
    Shortage,
    Unsellable,
)


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, InvalidInput):
        return ValidationFailed(exc.message, field=exc.field, errors=exc.errors)
    if isinstance(exc, MissingReference):
        return NotFound(exc.message, details=_details(exc))
    if isinstance(exc, IllegalTransition | Unsellable):
        return Conflict(exc.message, details=_details(exc))
    if isinstance(exc, Shortage):
        return InsufficientStock(exc.message, details={"items": exc.lines})
    return None


def _details(exc: OrdersError) -> dict[str, Any]:
    details: dict[str, Any] = {"field": exc.field}
    if exc.errors:
        details["errors"] = exc.errors
    return details
