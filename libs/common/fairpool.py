"""asyncpg's pool, waiting its turn: connections handed to waiters first come, first served.

asyncpg keeps idle connections in an `asyncio.LifoQueue`. A release wakes the oldest
waiter, but the connection stays in the queue until that waiter runs. A request arriving
in between takes it at once, and the woken waiter queues again at the back. Under load
(more requests in flight than connections) some waiters kept losing that race. The
catalog's list at 50 connections had a p50 of 13 ms and a p99 of 0.6 to 1.3 s
(`python -m bench.scale --only catalog --connections 50`). The same pool with one
connection per client lost the tail, which put it in the wait for a connection.

`HandOff` gives a released connection straight to the oldest waiter. Idle connections
are still reused last in, first out (the warm ones). asyncpg calls nothing else on its
queue than `get` and `put_nowait` (asyncpg < 0.32, pinned in pyproject.toml;
tests/integration/common/test_fairpool.py checks both the fairness and the pool)."""

import asyncio
from collections import deque
from typing import Any, Generic, TypeVar

import asyncpg

T = TypeVar("T")


class HandOff(Generic[T]):
    """`get` and `put_nowait` of a LIFO queue whose waiters are served in arrival order."""

    def __init__(self) -> None:
        self._idle: list[T] = []
        self._waiters: deque[asyncio.Future[T]] = deque()

    def put_nowait(self, item: T) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # a waiter that gave up (cancelled, timed out) is skipped
                waiter.set_result(item)
                return
        self._idle.append(item)

    async def get(self) -> T:
        while self._waiters and self._waiters[0].done():
            self._waiters.popleft()  # gave up; nobody left in front of this caller
        if self._idle and not self._waiters:
            return self._idle.pop()
        waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                # Handed a connection, then cancelled before taking it: pass it on.
                self.put_nowait(waiter.result())
            raise


class FairPool(asyncpg.Pool):
    """`asyncpg.Pool` with a `HandOff` for its queue of idle connections."""

    async def _initialize(self) -> None:
        await super()._initialize()
        lifo: Any = self._queue  # type: ignore[has-type]
        fair: HandOff[Any] = HandOff()
        idle = []
        while not lifo.empty():
            idle.append(lifo.get_nowait())
        for holder in reversed(idle):  # the same order: the last put is the next taken
            fair.put_nowait(holder)
        self._queue = fair
