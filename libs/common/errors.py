"""The error vocabulary of CONVENTIONS.md, as exceptions the one error middleware renders.

Domain code raises its own exceptions; each service's HTTP layer maps those to these.
"""

from typing import Any


class ApiError(Exception):
    status = 500
    code = "INTERNAL_ERROR"
    # False: answered only between the platform's own services, never to an API client, so
    # the public document does not list it.
    public = True

    def __init__(
        self,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"success": False, "error": error}


class ValidationFailed(ApiError):
    status, code = 400, "VALIDATION_ERROR"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        expected: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        details: dict[str, Any] = {}
        if field is not None:
            details["field"] = field
        if expected is not None:
            details["expected"] = expected
        if errors:
            details["errors"] = errors
        super().__init__(message, details=details)


class AuthenticationRequired(ApiError):
    status, code = 401, "AUTHENTICATION_REQUIRED"


class InvalidApiKey(ApiError):
    status, code = 401, "INVALID_API_KEY"


class HttpsRequired(ApiError):
    status, code = 403, "HTTPS_REQUIRED"


class PlanRequired(ApiError):
    status, code = 403, "PLAN_REQUIRED"


class InsufficientScope(ApiError):
    status, code = 403, "INSUFFICIENT_SCOPE"


class CallerNotAllowed(ApiError):
    """A sibling service's valid identity on a route that does not name that service."""

    status, code = 403, "CALLER_NOT_ALLOWED"
    public = False


class NotFound(ApiError):
    status, code = 404, "NOT_FOUND"


class MethodNotAllowed(ApiError):
    status, code = 405, "METHOD_NOT_ALLOWED"


class EventExpiredError(ApiError):
    # 410, not 409: no change of state on the client's side makes the request succeed later.
    status, code = 410, "EVENT_EXPIRED"


class VersionConflict(ApiError):
    status, code = 409, "VERSION_CONFLICT"


class Conflict(ApiError):
    status, code = 409, "CONFLICT"


class InsufficientStock(ApiError):
    status, code = 409, "INSUFFICIENT_STOCK"


class IdempotencyKeyInUse(ApiError):
    status, code = 409, "IDEMPOTENCY_KEY_IN_USE"


class PayloadTooLarge(ApiError):
    status, code = 413, "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(ApiError):
    status, code = 415, "UNSUPPORTED_MEDIA_TYPE"


class IdempotencyKeyReused(ApiError):
    status, code = 422, "IDEMPOTENCY_KEY_REUSED"


class RateLimited(ApiError):
    status, code = 429, "RATE_LIMITED"


class InternalError(ApiError):
    status, code = 500, "INTERNAL_ERROR"


class ServiceUnavailable(ApiError):
    status, code = 503, "SERVICE_UNAVAILABLE"
