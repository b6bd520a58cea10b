"""What the inventory refuses; its HTTP layer maps these to CONVENTIONS codes."""

from typing import Any


class InventoryError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(InventoryError):
    pass


class InvalidInput(InventoryError):
    """A reference to nothing, or a value the state does not allow (400)."""


class StaleVersion(InventoryError):
    def __init__(self, current: int) -> None:
        super().__init__(f"The item is at version {current}; fetch it and retry.")
        self.current = current


class Shortage(InventoryError):
    """Selling this would take `deny` products below zero available (409)."""

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        super().__init__("Not enough stock for every line; nothing was held.")
        self.lines = lines
