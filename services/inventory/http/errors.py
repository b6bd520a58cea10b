"""The inventory's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import ApiError, Conflict, InsufficientStock, NotFound
from services.inventory.domain.errors import (
    MissingReference,
    NotEnoughOnHand,
    PastTheMost,
    Shortage,
)


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, MissingReference):
        return NotFound(exc.message, details={"field": exc.field})
    if isinstance(exc, NotEnoughOnHand):
        return InsufficientStock(exc.message, details={"field": exc.field})
    if isinstance(exc, PastTheMost):
        return Conflict(exc.message, details={"field": exc.field})
    if isinstance(exc, Shortage):
        return InsufficientStock(exc.message, details={"items": exc.lines})
    return None
