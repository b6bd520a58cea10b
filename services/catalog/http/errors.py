"""The catalog's domain errors in the words of CONVENTIONS.md."""

from libs.common.errors import ApiError, Conflict, NotFound, ValidationFailed, VersionConflict
from services.catalog.domain.errors import (
    Duplicate,
    InUse,
    InvalidReference,
    NotFoundError,
    StaleVersion,
)


def to_api_error(exc: Exception) -> ApiError | None:
    if isinstance(exc, NotFoundError):
        return NotFound(exc.message)
    if isinstance(exc, InvalidReference):
        return ValidationFailed(exc.message, field=exc.field)
    if isinstance(exc, Duplicate | InUse):
        return Conflict(exc.message, details={"field": exc.field})
    if isinstance(exc, StaleVersion):
        return VersionConflict(exc.message, details={"currentVersion": exc.current})
    return None
