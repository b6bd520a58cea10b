"""What the catalog refuses, in its own words; the HTTP layer maps these to CONVENTIONS codes.
(Not found and a stale version are the resource kit's, the same in every service.)"""


class CatalogError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidReference(CatalogError):
    """A field points at something that does not exist, or would form a cycle (400)."""


class InUse(CatalogError):
    """Deleting something others still point at (409 CONFLICT)."""
