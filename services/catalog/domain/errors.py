"""What the catalog refuses, in its own words; the HTTP layer maps these to CONVENTIONS codes."""


class CatalogError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(CatalogError):
    """No such resource for this organization and mode (or deleted)."""


class InvalidReference(CatalogError):
    """A field points at something that does not exist, or would form a cycle (400)."""


class Duplicate(CatalogError):
    """A value that must be unique is taken (409 CONFLICT)."""


class InUse(CatalogError):
    """Deleting something others still point at (409 CONFLICT)."""


class StaleVersion(CatalogError):
    """The client's expected version is not the current one (409 VERSION_CONFLICT)."""

    def __init__(self, current: int) -> None:
        super().__init__(f"The resource is at version {current}; fetch it and retry.")
        self.current = current
