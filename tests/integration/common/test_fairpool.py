"""The services' pool against the real PostgreSQL: a released connection goes to the oldest
waiter (asyncpg's own queue let a newcomer take it first), and one given up on is not lost."""

import asyncio

import asyncpg
import pytest

from libs.common.db import create_pool
from libs.common.fairpool import HandOff
from tests.conftest import until


async def test_waiters_get_the_connection_in_the_order_they_asked(
    database_url: str, schema: str
) -> None:
    pool = await create_pool(database_url, schema=schema, min_size=1, max_size=1)
    served: list[str] = []

    async def use(name: str) -> None:
        async with pool.acquire() as conn:
            served.append(name)
            await conn.fetchval("SELECT 1")

    try:
        assert isinstance(pool._queue, HandOff)
        held = await pool.acquire()
        waiting = [asyncio.create_task(use(f"waiter {n}")) for n in range(5)]
        queue = pool._queue
        await until(lambda: len(queue._waiters) == 5, what="five waiters")
        await pool.release(held)
        # Asks as the connection comes back, before any waiter has run: with asyncpg's own
        # queue it took the connection first, and the oldest waiter queued again.
        await use("newcomer")
        await asyncio.gather(*waiting)
    finally:
        await pool.close()
    assert served[0] == "waiter 0"
    assert served == [*(f"waiter {n}" for n in range(5)), "newcomer"]


async def test_a_released_connection_goes_to_the_oldest_waiter_not_a_newcomer() -> None:
    queue: HandOff[str] = HandOff()
    oldest = asyncio.create_task(queue.get())
    await until(lambda: len(queue._waiters) == 1, what="the oldest waiter")
    # A request already on its way, run before the oldest waiter wakes (asyncio's own
    # queues let it take what was just put back, and the oldest waits again, at the back).
    newcomer = asyncio.create_task(queue.get())
    queue.put_nowait("connection")
    assert await oldest == "connection"
    assert not newcomer.done()
    queue.put_nowait("next")
    assert await newcomer == "next"


async def test_a_waiter_cancelled_once_handed_a_connection_passes_it_on() -> None:
    queue: HandOff[str] = HandOff()
    taker = asyncio.create_task(queue.get())
    await until(lambda: len(queue._waiters) == 1, what="the waiter")
    queue.put_nowait("connection")
    taker.cancel()  # before it ran to take what it was handed
    with pytest.raises(asyncio.CancelledError):
        await taker
    assert await queue.get() == "connection"


async def test_an_acquire_that_times_out_loses_no_connection(
    database_url: str, schema: str
) -> None:
    pool = await create_pool(database_url, schema=schema, min_size=1, max_size=1)
    try:
        held = await pool.acquire()
        with pytest.raises(asyncio.TimeoutError):
            await pool.acquire(timeout=0.05)
        await pool.release(held)
        async with pool.acquire(timeout=5) as conn:
            assert await conn.fetchval("SELECT 1") == 1
        assert isinstance(pool, asyncpg.Pool)
    finally:
        await pool.close()
