"""The event stream's log reading and wake-ups on the real PostgreSQL: a row that commits
behind a still-running transaction is held back (never skipped), the order is the log's,
and every process's hub wakes only the streams of the event's organization and mode."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
import pytest

from libs.common import jsoncodec
from libs.common.clock import utcnow
from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.events import Event
from libs.common.ids import new_id
from services.webhooks import service
from services.webhooks.adapters import stream
from services.webhooks.adapters.stream import StreamHub, TooManyStreams
from services.webhooks.app import SERVICE
from tests.conftest import unique, until

TYPES = ["order.created"]


@pytest.fixture
async def schema_pool(database_url: str) -> AsyncIterator[tuple[str, asyncpg.Pool]]:
    name = unique("wh_stream")
    conn = await asyncpg.connect(database_url)
    await migrate_up(conn, schema=name, migrations=SERVICE.migrations())
    pool = await create_pool(database_url, schema=name)
    yield name, pool
    await pool.close()
    await migrate_down(conn, schema=name, migrations=SERVICE.migrations())
    await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    await conn.close()


def _event(org: str, mode: str = "live") -> Event:
    return Event(
        id=new_id("evt"),
        event="order.created",
        timestamp=utcnow(),
        organization_id=org,
        mode=mode,
        data={"id": new_id("ord")},
    )


async def _read(pool: asyncpg.Pool, cursor: stream.Cursor) -> tuple[list[str], bool]:
    rows, held = await stream.read_after(
        pool, organization_id="org_a", mode="live", types=TYPES, cursor=cursor, limit=100
    )
    return [r.id for r in rows], held


async def test_a_row_committed_behind_a_running_transaction_waits_for_it(
    schema_pool: tuple[str, asyncpg.Pool],
) -> None:
    _, pool = schema_pool
    cursor = await stream.start(pool)
    first, second = _event("org_a"), _event("org_a")
    async with pool.acquire() as early:
        transaction = early.transaction()
        await transaction.start()
        assert await service.record(early, event=first)  # its transaction began first, still open
        async with pool.acquire() as late, late.transaction():
            assert await service.record(late, event=second)
        # A cursor past `second` now would skip `first` when it commits: it is held back.
        assert await _read(pool, cursor) == ([], True)
        await transaction.commit()

    async def both() -> bool:
        # Polled: the snapshot's xmin is the cluster's, and another session's transaction
        # that began before `first` committed holds both back until it ends too.
        return await _read(pool, cursor) == ([first.id, second.id], False)

    await until(both, what="both rows, in the order their transactions began")
    rows, _ = await stream.read_after(
        pool, organization_id="org_a", mode="live", types=TYPES, cursor=cursor, limit=100
    )
    assert jsoncodec.loads(rows[0].payload) == first.dump()  # the delivery's bytes
    assert (await _read(pool, rows[0].cursor))[0] == [second.id]
    assert (await _read(pool, rows[1].cursor))[0] == []


async def test_the_resume_point_is_of_the_callers_organization_and_mode_only(
    schema_pool: tuple[str, asyncpg.Pool],
) -> None:
    _, pool = schema_pool
    event = _event("org_a")
    async with pool.acquire() as conn:
        await service.record(conn, event=event)
    point = await stream.resume_point(
        pool, event_id=event.id, organization_id="org_a", mode="live", types=TYPES
    )
    assert point is not None
    for org, mode, types in (("org_b", "live", TYPES), ("org_a", "test", TYPES)):
        assert (
            await stream.resume_point(
                pool, event_id=event.id, organization_id=org, mode=mode, types=types
            )
            is None
        )


async def test_every_process_wakes_only_its_streams_of_the_events_organization_and_mode(
    database_url: str, schema_pool: tuple[str, asyncpg.Pool]
) -> None:
    schema, pool = schema_pool
    hubs = [StreamHub(dsn=database_url, schema=schema, per_organization=10) for _ in range(2)]
    async with contextlib.AsyncExitStack() as stack:
        wakes = {
            (i, org, mode): stack.enter_context(hub.open(organization_id=org, mode=mode))
            for i, hub in enumerate(hubs)
            for org, mode in (("org_a", "live"), ("org_a", "test"), ("org_b", "live"))
        }
        tasks = [asyncio.create_task(hub.listen()) for hub in hubs]
        try:
            # Each listener wakes everything once it listens (what it may have missed).
            await until(lambda: all(w.is_set() for w in wakes.values()), what="the listeners")
            for wake in wakes.values():
                wake.clear()
            async with pool.acquire() as conn:
                await service.record(conn, event=_event("org_a"))
            await until(
                lambda: (
                    wakes[(0, "org_a", "live")].is_set() and wakes[(1, "org_a", "live")].is_set()
                ),
                what="both processes' org_a live streams",
            )
            async with pool.acquire() as conn:
                await service.record(conn, event=_event("org_b"))
            await until(
                lambda: (
                    wakes[(0, "org_b", "live")].is_set() and wakes[(1, "org_b", "live")].is_set()
                ),
                what="the later org_b event",
            )
            # Notifications arrive in commit order: org_a's came before org_b's.
            assert not any(w.is_set() for (_, org, mode), w in wakes.items() if mode == "test")
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


def test_open_streams_are_capped_per_organization_across_modes() -> None:
    hub = StreamHub(dsn="postgresql://unused", schema="unused", per_organization=2)
    with (
        hub.open(organization_id="org_a", mode="live"),
        hub.open(organization_id="org_a", mode="test"),
    ):
        with pytest.raises(TooManyStreams), hub.open(organization_id="org_a", mode="live"):
            pass
        with hub.open(organization_id="org_b", mode="live"):
            assert hub.open_streams == 3
    with hub.open(organization_id="org_a", mode="live"):
        assert hub.open_streams == 1
