"""The write path every domain service shares: one transaction per write, optimistic
concurrency, and Idempotency-Key replay (CONVENTIONS: Writes).

An idempotent POST takes a transaction-scoped advisory lock on its key (a second request
with the key meanwhile gets 409 IDEMPOTENCY_KEY_IN_USE), replays a stored response, or
runs the write and stores its response in the same transaction: a crash leaves neither
the effect nor the record, so a retry is always safe.

Every stored body is sealed with the service's `idempotency_records_key`: a response may
carry a secret (POST /webhooks and rotate-secret answer with the signing secret), and
deciding route by route which ones do is how one gets missed. A replay opens the body and
sends exactly the bytes that were first sent.
"""

import functools
import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Protocol

import asyncpg
from aiohttp import web

from libs.common import jsoncodec
from libs.common.errors import (
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    ValidationFailed,
)
from libs.common.eventstore import ConcurrencyError
from libs.common.identity import IDENTITY
from libs.common.resources import DISAGREE
from libs.common.sealing import SecretBox
from libs.common.settings import ServiceSettings
from libs.common.web import POOL, SETTINGS

Work = Callable[[asyncpg.Connection], Awaitable[web.Response]]

# Replayed headers: what describes the resource, never transport details.
_KEPT_HEADERS = ("ETag", "Location")
# A write that lost a race with no version of the client's own is simply tried again.
_ATTEMPTS = 3
_IF_MATCH = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')
# Legacy plaintext rows sealed per transaction at start: short transactions, few round trips.
_SEAL_BATCH = 500
# Marks the fingerprint of a sealed row. A release from before sealing (during a rollout, or
# after a rollback) then finds that a sealed row's fingerprint never matches and answers
# 422 IDEMPOTENCY_KEY_REUSED, instead of replaying ciphertext as the response body.
_SEALED = "sealed:"


@functools.cache
def _box_for(keys: str) -> SecretBox:
    return SecretBox(keys)


def records_box(settings: ServiceSettings) -> SecretBox:
    """The box that seals this service's stored responses (one per key setting)."""
    return _box_for(settings.idempotency_records_key.get_secret_value())


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def expected_version(request: web.Request, body_version: int | None = None) -> int | None:
    """The version the client says it is changing, from If-Match or the body's `version`."""
    header = request.headers.get("If-Match")
    if header is None:
        return body_version
    match = _IF_MATCH.match(header.strip())
    if match is None:
        raise ValidationFailed(
            'If-Match takes a version in quotes, like "3".',
            field="If-Match",
            expected='"<version>"',
        )
    version = int(match.group(1))
    if body_version is not None and body_version != version:
        # Both are well formed, so neither is a bad value: at most one is the current
        # version, and a stale version is a 409 with the current one (CONVENTIONS: Writes).
        return DISAGREE
    return version


def _fingerprint(request: web.Request, body: bytes) -> str:
    try:
        # The same JSON with other whitespace or key order is the same request.
        canonical = jsoncodec.dumps_sorted(jsoncodec.loads(body)) if body else b""
    except jsoncodec.JSONDecodeError:
        canonical = body
    return hashlib.sha256(f"{request.method} {request.path_qs}\n".encode() + canonical).hexdigest()


class Reservation(Protocol):
    """What a write takes from other services before its own transaction (a sale's stock,
    its order number), and gives back if the write does not commit."""

    async def reserve(self, db: asyncpg.Pool | asyncpg.Connection) -> None: ...

    async def release(self) -> None: ...


async def write(
    request: web.Request, work: Work, *, reservation: Reservation | None = None
) -> web.Response:
    """Runs `work` in one transaction, with Idempotency-Key replay.

    A `reservation` is made before the transaction opens, so no connection or row lock is
    held while other services answer (and `db` is the pool: what it takes there commits at
    once). With an Idempotency-Key it is made inside, after the key is claimed: the claim is
    a transaction-scoped lock, and a retry must find the key in use or its answer, never a
    second reservation that competes with the first for the same stock. Either way it is
    released when the write does not commit."""
    key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
    if key is not None and not 1 <= len(key) <= 255:
        raise ValidationFailed(
            "An Idempotency-Key has 1 to 255 characters.", field="Idempotency-Key"
        )
    fingerprint = _fingerprint(request, await request.read()) if key else ""
    who = request[IDENTITY]
    box = records_box(request.app[SETTINGS])
    pool = request.app[POOL]
    reserved = False
    if reservation is not None and key is None:
        await reservation.reserve(pool)
        reserved = True
    committed = False
    try:
        for attempt in range(_ATTEMPTS):
            try:
                async with pool.acquire() as conn, conn.transaction():
                    if key is not None:
                        replay = await _claim(
                            conn, box, who.organization_id, who.mode, key, fingerprint
                        )
                        if replay is not None:
                            return replay
                    if reservation is not None and not reserved:
                        await reservation.reserve(conn)
                        reserved = True
                    response = await work(conn)
                    if key is not None and response.status < 500:
                        await _remember(
                            conn, box, who.organization_id, who.mode, key, fingerprint, response
                        )
                committed = True
                return response
            except ConcurrencyError:
                if attempt == _ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")
    finally:
        if reserved and not committed:
            assert reservation is not None
            await reservation.release()


async def _claim(
    conn: asyncpg.Connection, box: SecretBox, org: str, mode: str, key: str, fingerprint: str
) -> web.Response | None:
    lock = f"stacknex.idempotency:{org}:{mode}:{key}"
    if not await conn.fetchval("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", lock):
        raise IdempotencyKeyInUse(
            "A request with this Idempotency-Key is still being processed; retry shortly."
        )
    row = await conn.fetchrow(
        "SELECT fingerprint, status, headers, body, sealed FROM idempotency_keys"
        " WHERE organization_id = $1 AND mode = $2 AND key = $3"
        " AND created_at > now() - interval '24 hours'",
        org,
        mode,
        key,
    )
    if row is None:
        return None
    if row["fingerprint"] != (_SEALED + fingerprint if row["sealed"] else fingerprint):
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used with a different request; use a new key.",
            details={"field": "Idempotency-Key"},
        )
    return web.Response(
        body=box.open_bytes(row["body"]) if row["sealed"] else row["body"],
        status=row["status"],
        content_type="application/json",
        headers={**row["headers"], "Idempotent-Replayed": "true"},
    )


async def _remember(
    conn: asyncpg.Connection,
    box: SecretBox,
    org: str,
    mode: str,
    key: str,
    fingerprint: str,
    response: web.Response,
) -> None:
    headers = {h: response.headers[h] for h in _KEPT_HEADERS if h in response.headers}
    assert isinstance(response.body, bytes)  # handlers answer with `ok()`: bytes, never a stream
    await conn.execute(
        "INSERT INTO idempotency_keys (organization_id, mode, key, fingerprint, status, headers,"
        " body, sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, true)"
        " ON CONFLICT (organization_id, mode, key) DO UPDATE SET fingerprint = $4, status = $5,"
        " headers = $6, body = $7, sealed = true, created_at = now()",
        org,
        mode,
        key,
        _SEALED + fingerprint,
        response.status,
        headers,
        box.seal_bytes(response.body),
    )


async def seal_legacy_records(pool: asyncpg.Pool, box: SecretBox) -> int:
    """Seals the plaintext rows written before bodies were sealed (or by a replica not yet
    upgraded); they stay readable meanwhile. Run at start, before the hourly purge."""
    sealed = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT organization_id, mode, key, body FROM idempotency_keys WHERE NOT sealed"
                " LIMIT $1 FOR UPDATE SKIP LOCKED",
                _SEAL_BATCH,
            )
            await conn.executemany(
                "UPDATE idempotency_keys SET body = $4, sealed = true,"
                f" fingerprint = '{_SEALED}' || fingerprint"
                " WHERE organization_id = $1 AND mode = $2 AND key = $3",
                [
                    (r["organization_id"], r["mode"], r["key"], box.seal_bytes(r["body"]))
                    for r in rows
                ],
            )
        sealed += len(rows)
        if len(rows) < _SEAL_BATCH:
            return sealed
