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
    """`work` as a task while the block runs; cancelled and awaited when it ends. Work that
    ends on its own with an exception is logged at once, with its traceback: nothing awaits
    the task before shutdown, so otherwise its end would go unseen until then."""
    task = asyncio.create_task(work, name=name)
    task.add_done_callback(_report_end)
    try:
        yield task
    finally:
        ended_on_its_own = task.done()
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception:
            if not ended_on_its_own:
                raise  # failed while stopping: the shutdown says so
            # Failed long before: `_report_end` logged it then; the rest of the shutdown
            # (other pools and sessions to close) must still run.


def _report_end(task: asyncio.Task[Any]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("background.ended", task=task.get_name(), exc_info=error)


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
