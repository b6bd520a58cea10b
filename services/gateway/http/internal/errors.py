"""The gateway's domain errors as the API's: one table, used by the one error middleware."""

from libs.common.errors import (
    ApiError,
    AuthenticationRequired,
    Conflict,
    NotFound,
    RateLimited,
    ValidationFailed,
)
from services.gateway.domain import members as dm
from services.gateway.domain.model import AccessError, KeyNotUsable, UnknownResource


class SignInRefused(ApiError):
    status, code = 401, "SIGN_IN_FAILED"
    public = False


class Forbidden(ApiError):
    status, code = 403, "FORBIDDEN"
    public = False


def to_api_error(exc: Exception) -> ApiError | None:
    if not isinstance(exc, AccessError):
        return None
    field = {"field": exc.field} if exc.field else None
    message = str(exc)
    if isinstance(exc, dm.SignInThrottled):
        return RateLimited(
            message,
            details={"reason": "sign_in_attempts"},
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, dm.SignInFailed):
        return SignInRefused(message)
    if isinstance(exc, dm.NotAuthenticated):
        return AuthenticationRequired(message)
    if isinstance(exc, dm.Forbidden):
        return Forbidden(message, details=field)
    if isinstance(exc, (UnknownResource, dm.InvalidInvite)):
        return NotFound(message, details=field)
    if isinstance(exc, (dm.Conflict, KeyNotUsable)):
        return Conflict(message, details=field)
    return ValidationFailed(message, field=exc.field)
