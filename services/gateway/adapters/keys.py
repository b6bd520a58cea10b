"""Finding the key behind a presented token, through a per-replica cache that every replica
empties the moment a key is revoked or rolled, or a plan changes (events on the bus)."""

import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import asyncpg
from aio_pika.abc import AbstractIncomingMessage
from aiohttp import web
from cachetools import TTLCache
from prometheus_client import Counter

from libs.common import jsoncodec
from libs.common.broker import Broker
from libs.common.logging import get_logger
from libs.common.web import BROKER
from services.gateway.adapters.projections import key_from_row
from services.gateway.domain import events as ev
from services.gateway.domain.access import Plan
from services.gateway.domain.model import ApiKey

log = get_logger(__name__)


@dataclass(frozen=True)
class Principal:
    key: ApiKey
    plan: Plan


class KeyCache:
    """public id -> Principal. Used only while the bus connection is up: without it this
    replica could miss a revocation, so it reads PostgreSQL on every request instead.

    Bounded: with 100,000 keys in use an unbounded map grew the gateway by 67 MB in ten
    seconds (bench/scale.py); the least recently used entries go first.

    Public ids that PostgreSQL does not know are remembered too, briefly, so that a client
    repeating one unknown key costs a query per `unknown_ttl` rather than per request. The
    12-character public id is random and first shown when its key is created, so no one
    presents it before it exists; the short TTL only bounds a presentation that races the
    creating transaction's commit: such a key works `unknown_ttl` (2 s) later at worst.
    Revocation is unchanged: a revoked key is a known key, cached (and evicted) as before."""

    # 60 s: a safety net only; revocations and plan changes evict entries at once.
    def __init__(
        self,
        *,
        broker: Broker,
        ttl: float = 60.0,
        size: int = 20_000,
        unknown_ttl: float = 2.0,
        unknown_size: int = 10_000,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.broker = broker
        self._entries: TTLCache[str, Principal] = TTLCache(maxsize=size, ttl=ttl, timer=timer)
        # 10,000 ids of ~12 bytes: well under a megabyte, whatever a flood presents.
        self._unknown: TTLCache[str, bool] = TTLCache(
            maxsize=unknown_size, ttl=unknown_ttl, timer=timer
        )

    def get(self, public_id: str) -> Principal | None:
        if not self.broker.is_connected:
            self._entries.clear()
            return None
        return self._entries.get(public_id)

    def put(self, public_id: str, principal: Principal) -> None:
        if self.broker.is_connected:
            self._entries[public_id] = principal

    def is_unknown(self, public_id: str) -> bool:
        return public_id in self._unknown

    def put_unknown(self, public_id: str) -> None:
        # Kept while the bus is down too: only a key's creation changes it, never an event.
        self._unknown[public_id] = True

    def evict_key(self, key_id: str) -> None:
        for public_id, principal in list(self._entries.items()):
            if principal.key.id == key_id:
                self._entries.pop(public_id, None)

    def evict_organization(self, org_id: str) -> None:
        for public_id, principal in list(self._entries.items()):
            if principal.key.organization_id == org_id:
                self._entries.pop(public_id, None)

    def clear(self) -> None:
        self._entries.clear()
        self._unknown.clear()


KEY_CACHE = web.AppKey("key_cache", KeyCache)


async def load_principal(
    *, pool: asyncpg.Pool, cache: KeyCache, lookups: Counter, public_id: str
) -> Principal | None:
    """PostgreSQL's answer, cached either way; `lookups` counts the queries by result."""
    row = await pool.fetchrow(
        "SELECT k.*, o.plan FROM api_keys k JOIN organizations o ON o.id = k.organization_id"
        " WHERE k.public_id = $1",
        public_id,
    )
    if row is None:
        lookups.labels("unknown").inc()
        cache.put_unknown(public_id)
        return None
    lookups.labels("found").inc()
    principal = Principal(key=key_from_row(row), plan=Plan(row["plan"]))
    cache.put(public_id, principal)
    return principal


async def key_cache_ctx(app: web.Application) -> AsyncIterator[None]:
    """Every replica gets its own exclusive queue for the cache-invalidating events."""
    broker = app[BROKER]
    cache = KeyCache(broker=broker)
    app[KEY_CACHE] = cache

    async def on_message(message: AbstractIncomingMessage) -> None:
        body = jsoncodec.loads(message.body)
        if body.get("event") in (ev.API_KEY_REVOKED, ev.API_KEY_EXPIRY_CHANGED):
            cache.evict_key(body["data"]["id"])
        elif body.get("event") == ev.ORGANIZATION_PLAN_CHANGED:
            cache.evict_organization(body["data"]["id"])

    channel = await broker.connection.channel()
    exchange = await broker.declare_events_exchange(channel)
    # A name of our own: a robust channel re-declares it by name after a reconnect.
    queue = await channel.declare_queue(
        f"gateway.key-invalidation.{uuid.uuid4().hex}", exclusive=True, auto_delete=True
    )
    for event_type in ev.CACHE_INVALIDATING:
        await queue.bind(exchange, event_type)
    await queue.consume(on_message, no_ack=True)
    # Events sent while the connection was down are gone: forget everything cached.
    broker.connection.reconnect_callbacks.add(lambda *_: cache.clear())
    yield
    await channel.close()
