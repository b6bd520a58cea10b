"""What the inventory refuses, in its own words; the HTTP layer maps these to CONVENTIONS
codes. (Not found and a stale version are the resource kit's, the same in every service.)"""

from typing import Any


class InventoryError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MissingReference(InventoryError):
    """A field names something this organization and mode does not have (404 NOT_FOUND
    naming the field, as an unknown id in a path is: CONVENTIONS, Identifiers)."""


class NotEnoughOnHand(InventoryError):
    """An adjustment that would take the count below zero (409 INSUFFICIENT_STOCK)."""


class PastTheMost(InventoryError):
    """A change that would take a count past the most an item holds (409 CONFLICT)."""


class Shortage(InventoryError):
    """Selling this would take `deny` products below zero available (409)."""

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        super().__init__("Not enough stock for every line; nothing was held.")
        self.lines = lines
