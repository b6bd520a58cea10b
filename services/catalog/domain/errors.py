"""What the catalog refuses, in its own words; the HTTP layer maps these to CONVENTIONS codes.
(Not found and a stale version are the resource kit's, the same in every service.)"""


class CatalogError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MissingReference(CatalogError):
    """A field names something this organization and mode does not have (404 NOT_FOUND
    naming the field, as an unknown id in a path is: CONVENTIONS, Identifiers)."""


class WouldCycle(CatalogError):
    """A category placed under itself or its own subcategory (409 CONFLICT)."""


class InUse(CatalogError):
    """Deleting something others still point at (409 CONFLICT)."""
