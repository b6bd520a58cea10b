"""The catalog's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import ApiError, Conflict, NotFound
from services.catalog.domain.errors import InUse, MissingReference, WouldCycle


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, MissingReference):
        return NotFound(exc.message, details={"field": exc.field})
    if isinstance(exc, InUse | WouldCycle):
        return Conflict(exc.message, details={"field": exc.field})
    return None
