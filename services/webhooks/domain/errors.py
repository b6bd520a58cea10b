"""What the webhooks service refuses (beyond the kit's 404 and version conflict)."""


class EventExpired(Exception):
    """The delivery's event is no longer in the event log, so it cannot be sent again."""

    def __init__(self, event_id: str) -> None:
        super().__init__(
            f"Event {event_id} is past the event log's retention; its delivery cannot be sent"
            " again."
        )
        self.event_id = event_id
