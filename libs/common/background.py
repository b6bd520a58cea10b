"""Background work for as long as an app runs: the one way a `cleanup_ctx` starts a task,
stops it at shutdown, and keeps a periodic job alive through its failures."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

from libs.common.logging import get_logger
from libs.common.publisher import TRANSIENT

log = get_logger(__name__)


@contextlib.asynccontextmanager
async def running(work: Coroutine[Any, Any, Any], *, name: str) -> AsyncIterator[asyncio.Task[Any]]:
    """`work` as a task while the block runs; cancelled and awaited when it ends."""
    task = asyncio.create_task(work, name=name)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def every(
    interval: Callable[[], float] | float,
    step: Callable[[], Awaitable[None]],
    *,
    name: str,
    immediately: bool = True,
) -> None:
    """`step` now (or after one interval) and then every `interval` seconds, forever. A
    dependency that is down is a warning and a later try; any other failure is logged with
    its traceback and tried later too: nothing awaits this task, so an exception that ended
    it would go unseen."""
    if not immediately:
        await asyncio.sleep(interval() if callable(interval) else interval)
    while True:
        try:
            await step()
        except TRANSIENT as exc:
            log.warning(f"{name}.failed", error=repr(exc))
        except Exception:
            log.exception(f"{name}.failed")
        await asyncio.sleep(interval() if callable(interval) else interval)
