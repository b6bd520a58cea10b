"""A claim that fails in a way no one planned for costs one poll, never the worker."""

from typing import Any

import asyncpg
from aiohttp import web
from structlog.testing import capture_logs

from libs.common.metrics import Metrics
from libs.common.web import POOL
from services.webhooks.adapters.metrics import WEBHOOK_METRICS, WebhookMetrics
from services.webhooks.adapters.worker import Worker
from services.webhooks.settings import WEBHOOKS_SETTINGS, Settings


class BrokenPool:
    """What CI met after a PostgreSQL restart: a pooled connection still busy."""

    async def fetchrow(self, *args: Any) -> Any:
        raise asyncpg.exceptions._base.InternalClientError(
            "cannot switch to state 12; another operation (2) is in progress"
        )

    fetch = fetchrow


async def test_an_unexpected_claim_failure_is_logged_and_the_next_poll_tries_again() -> None:
    app = web.Application()
    app[WEBHOOKS_SETTINGS] = Settings()
    app[WEBHOOK_METRICS] = WebhookMetrics(Metrics("webhooks-test"))
    app[POOL] = BrokenPool()  # type: ignore[assignment]
    worker = Worker(app, sender=None, disable=None)  # type: ignore[arg-type]
    with capture_logs() as logs:
        assert await worker._claim() == []
    assert [e["event"] for e in logs] == ["webhooks.claim_failed"]
