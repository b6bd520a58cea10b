"""Finding the key behind a presented token, through a per-replica cache that every replica
empties the moment a key is revoked or a plan changes (events on the bus)."""

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
from aio_pika.abc import AbstractIncomingMessage
from aiohttp import web
from cachetools import TTLCache

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
    seconds (bench/scale.py); the least recently used entries go first."""

    # 60 s: a safety net only; revocations and plan changes evict entries at once.
    def __init__(self, *, broker: Broker, ttl: float = 60.0, size: int = 20_000) -> None:
        self.broker = broker
        self._entries: TTLCache[str, Principal] = TTLCache(
            maxsize=size, ttl=ttl, timer=time.monotonic
        )

    def get(self, public_id: str) -> Principal | None:
        if not self.broker.is_connected:
            self._entries.clear()
            return None
        return self._entries.get(public_id)

    def put(self, public_id: str, principal: Principal) -> None:
        if self.broker.is_connected:
            self._entries[public_id] = principal

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


KEY_CACHE = web.AppKey("key_cache", KeyCache)


async def find_principal(pool: asyncpg.Pool, cache: KeyCache, public_id: str) -> Principal | None:
    principal = cache.get(public_id)
    if principal is not None:
        return principal
    row = await pool.fetchrow(
        "SELECT k.*, o.plan FROM api_keys k JOIN organizations o ON o.id = k.organization_id"
        " WHERE k.public_id = $1",
        public_id,
    )
    if row is None:
        return None
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
        if body.get("event") == ev.API_KEY_REVOKED:
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
