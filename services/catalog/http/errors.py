"""The catalog's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import ApiError, Conflict, ValidationFailed
from services.catalog.domain.errors import InUse, InvalidReference


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, InvalidReference):
        return ValidationFailed(exc.message, field=exc.field)
    if isinstance(exc, InUse):
        return Conflict(exc.message, details={"field": exc.field})
    return None
