"""The delivery workers: claim due deliveries, sign and send them, record what happened, and
schedule the next attempt. Any number of worker processes share one queue."""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

import asyncpg
from aiohttp import web
from cachetools import TTLCache

from libs.common.background import running
from libs.common.clock import utcnow
from libs.common.db import connect
from libs.common.eventstore import EventStore
from libs.common.logging import get_logger
from libs.common.publisher import TRANSIENT
from libs.common.web import POOL, STORE
from services.webhooks.adapters import deliveries, settling
from services.webhooks.adapters.metrics import WEBHOOK_METRICS
from services.webhooks.adapters.secrets import SecretBox
from services.webhooks.adapters.sender import Result, Sender
from services.webhooks.domain import schedule, signing
from services.webhooks.settings import WEBHOOKS_SETTINGS

log = get_logger(__name__)
# The stdlib logger behind `log` (configure_logging): whether INFO is on, asked before the
# line per attempt is built, which unasked was 2.5 % of a worker.
_levels = logging.getLogger(__name__)
USER_AGENT = "StackNex-Webhooks/0.1"


class DisableEndpoint(Protocol):
    """The use case that disables an endpoint (`service.disable_endpoint`), handed in by
    `app.py`: the worker drives the service layer, it does not import it."""

    async def __call__(
        self, conn: asyncpg.Connection, *, store: EventStore, endpoint_id: str, reason: str
    ) -> None: ...


class Worker:
    def __init__(self, app: web.Application, sender: Sender, disable: DisableEndpoint) -> None:
        settings = app[WEBHOOKS_SETTINGS]
        self.app = app
        self.disable = disable
        self.settings = settings
        self.sender = sender
        self.box = SecretBox(settings.secrets_key.get_secret_value())
        # Sealed secret -> secret. Decrypting for every delivery was 7 % of the worker; a
        # sealed value never changes (rotation seals a new one), so it is safe to reuse.
        self._opened: TTLCache[str, str] = TTLCache(maxsize=10_000, ttl=300)
        self.metrics = app[WEBHOOK_METRICS]
        # Successes waiting for the next claim, which records them (`settling.py`).
        self.successes = settling.Queue()
        self.stopping = False
        self.slots = asyncio.Semaphore(settings.worker_concurrency)
        self.wake = asyncio.Event()
        self.in_flight: set[asyncio.Task[None]] = set()
        self.next_stats = 0.0
        self.next_fair = 0.0

    async def run(self) -> None:
        listener = asyncio.create_task(self._listen())
        try:
            while True:
                self.wake.clear()
                claimed = await self._claim()
                for due in claimed:
                    await self.slots.acquire()
                    task = asyncio.create_task(self._attempt(due))
                    self.in_flight.add(task)
                    task.add_done_callback(self._done)
                if not claimed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), self.settings.poll_interval)
        finally:
            listener.cancel()

    def _done(self, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(task)
        self.slots.release()
        # A finished attempt frees a place under its endpoint's cap: claim again now rather
        # than at the next poll (that wait capped a worker at ~50 deliveries a second).
        self.wake.set()

    async def _claim(self) -> list[deliveries.Due]:
        try:
            if time.monotonic() >= self.next_stats:
                # Gauges every 5 s, not on every claim: counting is a scan of the queue.
                self.next_stats = time.monotonic() + 5
                count, oldest = await deliveries.pending_stats(self.app[POOL])
                self.metrics.pending.set(count)
                self.metrics.oldest_pending.set(oldest)
        except Exception as exc:
            return await self._claim_failed(exc, [])
        taken = self.successes.take()
        # No more than the free slots: a claimed delivery waiting for a slot would spend
        # its lease queued behind slow attempts (and lose it to another worker). The slots
        # of the successes settled here are free as soon as it commits.
        free = self.settings.worker_concurrency - len(self.in_flight) + len(taken)
        limit = max(0, min(100, free))
        if limit == 0 and not taken:
            return []
        pool, settings = self.app[POOL], self.settings
        caps: dict[str, Any] = {
            "lease_seconds": settings.lease_seconds,
            "endpoint_cap": settings.endpoint_concurrency,
            "organization_cap": settings.organization_concurrency,
        }
        try:
            claimed = await deliveries.claim(
                pool, limit=limit, settle=[s for s, _ in taken], **caps
            )
        except asyncio.CancelledError:
            # Stopping: whether it committed is unknown; settling again changes nothing.
            self.successes.put_back(taken)
            raise
        except Exception as exc:
            return await self._claim_failed(exc, taken)
        settling.resolve(taken, None)
        if len(claimed) < limit and time.monotonic() >= self.next_fair:
            # Short: maybe one endpoint's backlog fills the oldest-first window. Look at
            # every endpoint, five times a second at most (its cost grows with them).
            self.next_fair = time.monotonic() + 0.2
            try:
                claimed += await deliveries.claim_fair(pool, limit=limit - len(claimed), **caps)
            except Exception as exc:
                return claimed + await self._claim_failed(exc, [])
        return claimed

    async def _claim_failed(
        self, exc: Exception, taken: list[settling.Waiting]
    ) -> list[deliveries.Due]:
        if isinstance(exc, TRANSIENT):
            # The database is away: the successes are left to their leases (each logs it).
            settling.resolve(taken, exc)
            log.warning("webhooks.claim_failed", error=repr(exc))
        elif taken:
            # Maybe one success PostgreSQL refuses to store: each alone, so that only that
            # one is stored again without the answer (`_record`); the claim, next round.
            log.warning("webhooks.claim_failed", error=repr(exc), settling=len(taken))
            await self.successes.settle_alone(self.app[POOL], taken)
            return []
        else:
            # Anything else too (CI met asyncpg's "another operation is in progress" on a
            # pooled connection right after a PostgreSQL restart): a worker that let it end
            # its loop would stop delivering for good while the service still looked ready.
            log.exception("webhooks.claim_failed")
        await asyncio.sleep(1)
        return []

    async def drain(self) -> None:
        """Once the claim loop has stopped: successes still waiting are settled alone, and
        so are those of the attempts still under way (the worker context then waits for
        them), so that a graceful stop sends nothing twice."""
        self.stopping = True
        while self.successes:
            await self.successes.settle_alone(self.app[POOL], self.successes.take())

    async def _listen(self) -> None:
        """New deliveries wake the worker at once; the poll covers the rest (retries)."""
        while True:
            try:
                conn = await connect(
                    str(self.settings.database_url),
                    schema=self.settings.db_schema,
                    app_name="stacknex-webhook-worker",
                )
                closed = asyncio.Event()
                conn.add_termination_listener(lambda *_, done=closed: done.set())
                try:
                    await conn.add_listener(deliveries.WAKE_CHANNEL, lambda *_: self.wake.set())
                    while not closed.is_set():
                        try:
                            await asyncio.wait_for(closed.wait(), 30)
                        except TimeoutError:
                            # A heartbeat: a silently dead connection raises, and is replaced.
                            await conn.execute("SELECT 1")
                finally:
                    with contextlib.suppress(*TRANSIENT):
                        await conn.close(timeout=2)
            except TRANSIENT:
                await asyncio.sleep(2)

    def _open(self, sealed: str) -> str:
        secret = self._opened.get(sealed)
        if secret is None:
            secret = self._opened[sealed] = self.box.open(sealed)
        return secret

    def _secrets(self, due: deliveries.Due) -> list[str]:
        in_force = [self._open(due.secret)]
        if due.previous_secret and due.previous_expires_at and due.previous_expires_at > utcnow():
            in_force.append(self._open(due.previous_secret))
        return in_force

    async def _attempt(self, due: deliveries.Due) -> None:
        started = utcnow()
        try:
            result = await self._send(due)
        except Exception as exc:  # e.g. a secret that does not decrypt: still an attempt
            # Our own code's message (never a secret: SecretBox says only that it failed).
            log.exception("webhooks.attempt_failed", delivery_id=due.id)
            result = Result(
                status=None,
                duration_ms=0,
                body=None,
                error=f"the attempt could not be made: {type(exc).__name__}: {exc}",
            )
        self.metrics.attempt_duration.observe(result.duration_ms / 1000)
        await self._record(due, result, started)

    async def _send(self, due: deliveries.Due) -> Result:
        if due.deleted or not due.enabled:
            return Result(
                status=None, duration_ms=0, body=None, error="the endpoint is disabled or deleted"
            )
        headers = signing.headers(
            body=due.payload,
            webhook_id=due.id,
            event_type=due.event_type,
            timestamp=int(time.time()),
            secrets_in_force=self._secrets(due),
            user_agent=USER_AGENT,
        )
        return await self.sender.send(due.url, due.payload, headers)

    async def _record(self, due: deliveries.Due, result: Result, started: datetime) -> None:
        """Every attempt ends in a logged attempt on the retry schedule. An outcome that
        cannot be stored is stored without what the receiver said; only when the database
        itself is away is nothing recorded, and then the lease runs out and another attempt
        follows (at least once, never lost, and on the lease's ~30 s, not in a tight loop)."""
        try:
            await self._settle(due, result, started)
            return
        except TRANSIENT as exc:
            log.warning("webhooks.record_failed", delivery_id=due.id, error=repr(exc))
            return
        except Exception as exc:
            log.exception("webhooks.record_failed", delivery_id=due.id)
            note = f"the attempt's outcome could not be recorded ({type(exc).__name__})"
            bare = replace(
                result,
                body=None,
                error=None if result.ok else f"{result.error} [{note}]" if result.error else note,
            )
        try:
            await self._settle(due, bare, started)
        except Exception as exc:
            log.error("webhooks.record_failed", delivery_id=due.id, error=repr(exc))

    async def _settle(self, due: deliveries.Due, result: Result, started: datetime) -> None:
        settings = self.settings
        usable = due.enabled and not due.deleted
        if result.ok:
            await self._succeeded(settling.Success(due=due, result=result, started=started))
            outcome = "succeeded"
            self.metrics.delivery_latency.observe((utcnow() - due.event_at).total_seconds())
        else:
            async with self.app[POOL].acquire() as conn, conn.transaction():
                delay = None
                if usable and result.status != 410:
                    delay = schedule.next_delay(
                        due.attempts,
                        schedule=settings.retry_schedule,
                        retry_after=result.retry_after,
                        retry_after_cap=settings.retry_after_cap,
                    )
                await deliveries.record_failure(
                    conn,
                    due=due,
                    result=result,
                    started=started,
                    status="pending" if delay is not None else "failed",
                    next_attempt_at=deliveries.later(delay) if delay is not None else None,
                )
                outcome = "retrying" if delay is not None else "failed"
                if usable:
                    await self._judge_endpoint(conn, due, result)
        self.metrics.deliveries.labels(outcome, result.status_class).inc()
        if _levels.isEnabledFor(logging.INFO):
            log.info(
                "webhooks.attempt",
                delivery_id=due.id,
                endpoint_id=due.endpoint_id,
                attempt=due.attempts,
                status=result.status,
                outcome=outcome,
                duration_ms=result.duration_ms,
                error=result.error,
            )

    async def _succeeded(self, success: settling.Success) -> None:
        if self.stopping:
            await settling.succeeded(self.app[POOL], [success])
            return
        done = self.successes.add(success)
        self.wake.set()
        await done

    async def _judge_endpoint(
        self, conn: asyncpg.Connection, due: deliveries.Due, result: Result
    ) -> None:
        failing_since = await deliveries.failed(conn, endpoint_id=due.endpoint_id)
        reason = None
        if result.status == 410:
            reason = "The endpoint answered 410 Gone."
        elif failing_since and (utcnow() - failing_since).total_seconds() > (
            self.settings.disable_after
        ):
            days = self.settings.disable_after / 86400
            reason = f"Every delivery failed for {days:g} days without a single success."
        if reason is not None:
            await self.disable(
                conn, store=self.app[STORE], endpoint_id=due.endpoint_id, reason=reason
            )
            self.metrics.endpoints_disabled.labels(
                "gone" if result.status == 410 else "failing"
            ).inc()
            log.warning("webhooks.endpoint_disabled", endpoint_id=due.endpoint_id, reason=reason)


def worker_ctx(
    disable: DisableEndpoint,
) -> Callable[[web.Application], AsyncIterator[None]]:
    """The delivery worker for as long as the app runs; `disable` ends a failing endpoint."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[WEBHOOKS_SETTINGS]
        sender = Sender(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            total_timeout=settings.delivery_timeout,
            private_networks=settings.allowed_private_networks,
        )
        worker = Worker(app, sender, disable)
        async with running(worker.run(), name="webhook-worker"):
            yield
        await worker.drain()
        # In-flight attempts finish (bounded by the delivery timeout) before the pool closes.
        if worker.in_flight:
            await asyncio.wait(worker.in_flight, timeout=settings.delivery_timeout + 1)
        await sender.close()

    return ctx
