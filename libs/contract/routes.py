"""The one route table: every public operation, in the order the document lists them."""

from libs.contract import catalog, inventory, orders, webhooks
from libs.contract.base import Operation

OPERATIONS: list[Operation] = [
    *catalog.OPERATIONS,
    *orders.OPERATIONS,
    *inventory.OPERATIONS,
    *webhooks.OPERATIONS,
]
# Every event type a webhook or the stream may carry, and the model of its payload.
EVENTS = {**catalog.EVENTS, **orders.EVENTS, **inventory.EVENTS, **webhooks.EVENTS}
