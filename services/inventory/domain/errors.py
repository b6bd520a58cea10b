"""What the inventory refuses, in its own words; the HTTP layer maps these to CONVENTIONS
codes. (Not found and a stale version are the resource kit's, the same in every service.)"""

from typing import Any


class InventoryError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(InventoryError):
    """A reference to nothing, or a value the state does not allow (400)."""


class Shortage(InventoryError):
    """Selling this would take `deny` products below zero available (409)."""

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        super().__init__("Not enough stock for every line; nothing was held.")
        self.lines = lines
