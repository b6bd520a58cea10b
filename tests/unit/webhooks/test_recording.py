"""The worker's recording: an outcome PostgreSQL refuses to store is stored again without
what the receiver said, so the attempt is still logged and on the retry schedule."""

from datetime import UTC, datetime

import asyncpg
import pytest

from services.webhooks.adapters import deliveries
from services.webhooks.adapters.sender import Result
from services.webhooks.adapters.worker import Worker


class UnstorableOnce(Worker):
    """The real `_record`, over a `_settle` whose first call fails as PostgreSQL does on a
    value it cannot store."""

    def __init__(self) -> None:  # no app: only `_record` is exercised
        self.settled: list[Result] = []

    async def _settle(self, due: deliveries.Due, result: Result, started: datetime) -> None:
        self.settled.append(result)
        if len(self.settled) == 1:
            raise asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence")


@pytest.mark.parametrize("status", [500, 200, None])
async def test_an_outcome_that_cannot_be_stored_is_stored_without_the_answer(
    status: int | None,
) -> None:
    worker = UnstorableOnce()
    result = Result(status=status, duration_ms=5, body="what they said", error=None)
    now = datetime.now(UTC)
    due = deliveries.Due(
        id="del_1",
        endpoint_id="we_1",
        event_id="evt_1",
        event_type="order.created",
        attempts=1,
        event_at=now,
        payload=b"{}",
        url="https://example.com/hook",
        secret="sealed",
        previous_secret=None,
        previous_expires_at=None,
        enabled=True,
        deleted=False,
    )
    await worker._record(due, result, now)
    first, second = worker.settled
    assert first == result
    assert second.status == status and second.body is None
    if status == 200:
        assert second.ok  # a success stays a success: it is not sent again
    else:
        assert second.error == (
            "the attempt's outcome could not be recorded (CharacterNotInRepertoireError)"
        )
