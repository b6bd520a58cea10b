"""When each API key was last used, at no database cost per request: each replica notes the
time in memory as a key authenticates, and writes what it noted every 30 s in one statement.

Telemetry, not a fact of the key's history: no event records it (a key used a million
times would have a million-event stream), and a replica that dies loses at most its last
30 s of notes, which the next request with the key notes again. It lives in its own table,
so `stacknex projections rebuild gateway` neither needs nor loses it (migration 0004)."""

import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import asyncpg
from aiohttp import web

from libs.common.background import every, running
from libs.common.logging import get_logger
from libs.common.web import POOL
from services.gateway.settings import GATEWAY_SETTINGS

log = get_logger(__name__)

# GREATEST: replicas flush in any order, and a later flush may carry an older note.
_FLUSH = (
    "INSERT INTO api_key_usage (key_id, last_used_at)"
    " SELECT * FROM unnest($1::text[], $2::timestamptz[])"
    " ON CONFLICT (key_id) DO UPDATE"
    " SET last_used_at = GREATEST(api_key_usage.last_used_at, EXCLUDED.last_used_at)"
)


class KeyUsage:
    def __init__(self, *, timer: Callable[[], float] = time.time) -> None:
        self.timer = timer
        self._seen: dict[str, float] = {}

    def note(self, key_id: str) -> None:
        """On every authenticated request: one dict assignment, no I/O. The map holds one
        entry per key used since the last flush, so it is bounded by the keys in use."""
        self._seen[key_id] = self.timer()

    async def flush(self, pool: asyncpg.Pool) -> int:
        """Writes the notes taken since the last flush; on failure they are kept for the
        next one (a newer note of a key replaces an older, never the other way)."""
        if not self._seen:
            return 0
        taken, self._seen = self._seen, {}
        ids = list(taken)
        times = [datetime.fromtimestamp(taken[k], UTC) for k in ids]
        try:
            await pool.execute(_FLUSH, ids, times)
        except BaseException:
            for key_id, at in taken.items():
                if self._seen.get(key_id, 0.0) < at:
                    self._seen[key_id] = at
            raise
        return len(ids)


KEY_USAGE = web.AppKey("key_usage", KeyUsage)


async def key_usage_ctx(app: web.Application) -> AsyncIterator[None]:
    """After `postgres_ctx`: the last flush, at shutdown, runs before the pool closes."""
    usage = KeyUsage()
    app[KEY_USAGE] = usage
    pool = app[POOL]
    interval = app[GATEWAY_SETTINGS].key_usage_flush_interval

    async def step() -> None:
        await usage.flush(pool)

    async with running(
        every(interval, step, name="key_usage.flush", immediately=False), name="key_usage.flush"
    ):
        yield
    try:
        await usage.flush(pool)
    except Exception as exc:  # shutting down: nothing to retry with
        log.warning("key_usage.final_flush_failed", error=repr(exc))
