"""What the orders service refuses; its HTTP layer maps these to CONVENTIONS codes.
(Not found, a stale version and a taken email are the resource kit's, the same in every
service.)"""

from typing import Any


class OrdersError(Exception):
    def __init__(
        self, message: str, *, field: str | None = None, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors


class InvalidInput(OrdersError):
    """A value no state allows (400)."""


class MissingReference(OrdersError):
    """A field names something this organization and mode does not have (404 NOT_FOUND
    naming the field, as an unknown id in a path is: CONVENTIONS, Identifiers)."""


class Unsellable(OrdersError):
    """What the products are now does not allow this sale: one inactive, or mixed
    currencies (409 CONFLICT naming the field)."""


class IllegalTransition(OrdersError):
    """A status change the lifecycle does not allow (409 CONFLICT)."""


class Shortage(OrdersError):
    """The inventory would not hold the stock (409 INSUFFICIENT_STOCK)."""

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        super().__init__("Not enough stock for every line; nothing was sold.")
        self.lines = lines
