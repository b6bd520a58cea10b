"""What the orders service refuses; its HTTP layer maps these to CONVENTIONS codes."""

from typing import Any


class OrdersError(Exception):
    def __init__(
        self, message: str, *, field: str | None = None, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors


class NotFoundError(OrdersError):
    pass


class InvalidInput(OrdersError):
    """Unknown or unsellable references, or values the state does not allow (400)."""


class Duplicate(OrdersError):
    """A unique value is taken (409 CONFLICT)."""


class IllegalTransition(OrdersError):
    """A status change the lifecycle does not allow (409 CONFLICT)."""


class StaleVersion(OrdersError):
    def __init__(self, current: int) -> None:
        super().__init__(f"The resource is at version {current}; fetch it and retry.")
        self.current = current


class Shortage(OrdersError):
    """The inventory would not hold the stock (409 INSUFFICIENT_STOCK)."""

    def __init__(self, lines: list[dict[str, Any]]) -> None:
        super().__init__("Not enough stock for every line; nothing was sold.")
        self.lines = lines
