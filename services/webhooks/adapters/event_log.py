"""The webhooks service's queue: every public event of every service. What each event sets
off is the use case `service.on_event`, run by the consumer in the transaction that marks
the event processed (wired in `app.py`, so adapters never import the service layer)."""

from libs.common.consumer import Subscription
from libs.contract.events import PUBLIC_EVENTS

# The public event types only: nothing here uses the others (endpoints and the Events API
# offer only these), and each internal event routed here cost a consume and a transaction
# (about half of what this queue received per sale). `#` was the binding before.
SUBSCRIPTION = Subscription(
    queue="webhooks.events", bindings=tuple(sorted(PUBLIC_EVENTS)), retired=("#",)
)
