"""The worker's bulk settling around its claim: a claim that fails with successes aboard
settles each of them alone, so one that PostgreSQL refuses costs only its own answer; and a
stopping worker settles what still waits instead of leaving it to the lease (sent twice)."""

import asyncio
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiohttp import web

from libs.common.metrics import Metrics
from libs.common.web import POOL
from services.webhooks.adapters import deliveries, settling
from services.webhooks.adapters.metrics import WEBHOOK_METRICS, WebhookMetrics
from services.webhooks.adapters.sender import Result
from services.webhooks.adapters.worker import Worker
from services.webhooks.settings import WEBHOOKS_SETTINGS, Settings


class RefusingPool:
    """A claim statement that fails as PostgreSQL does on a value it cannot store, and a
    settle-alone statement that fails the same way for one delivery only."""

    def __init__(self, refused: str) -> None:
        self.refused = refused
        self.settled_alone: list[str] = []

    async def fetchrow(self, *args: Any) -> Any:
        return {"n": 0, "oldest": None}

    async def fetch(self, *args: Any) -> Any:
        raise asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence")

    async def execute(self, query: str, ids: list[str], *args: Any) -> None:
        if ids == [self.refused]:
            raise asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence")
        self.settled_alone += ids


def _worker(pool: object) -> Worker:
    app = web.Application()
    app[WEBHOOKS_SETTINGS] = Settings()
    app[WEBHOOK_METRICS] = WebhookMetrics(Metrics("webhooks-test"))
    app[POOL] = pool  # type: ignore[assignment]
    return Worker(app, sender=None, disable=None)  # type: ignore[arg-type]


def _waiting(worker: Worker, delivery_id: str) -> asyncio.Future[None]:
    now = datetime.now(UTC)
    due = deliveries.Due(
        id=delivery_id,
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
    result = Result(status=200, duration_ms=3, body="ok", error=None)
    return worker.successes.add(settling.Success(due=due, result=result, started=now))


async def test_a_failed_claim_settles_its_successes_one_by_one() -> None:
    pool = RefusingPool(refused="del_bad")
    worker = _worker(pool)
    good, bad = _waiting(worker, "del_good"), _waiting(worker, "del_bad")
    assert await worker._claim() == []
    assert good.done() and good.exception() is None
    assert isinstance(bad.exception(), asyncpg.exceptions.CharacterNotInRepertoireError)
    assert pool.settled_alone == ["del_good"] and not worker.successes


async def test_a_stopping_worker_settles_what_waits() -> None:
    pool = RefusingPool(refused="none")
    worker = _worker(pool)
    waiting = _waiting(worker, "del_1")
    await worker.drain()
    assert waiting.done() and waiting.exception() is None
    assert pool.settled_alone == ["del_1"] and worker.stopping
