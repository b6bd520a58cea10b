"""Background work: a task that dies on its own says so at once, not at shutdown."""

import asyncio

from structlog.testing import capture_logs

from libs.common.background import running
from tests.conftest import until


async def test_work_that_fails_on_its_own_is_logged_when_it_ends() -> None:
    async def doomed() -> None:
        raise RuntimeError("boom")

    with capture_logs() as logs:
        async with running(doomed(), name="doomed") as task:
            await until(task.done, timeout=5, what="the task to end")
            # Logged by the task's done callback, which runs on a later turn of the loop.
            await until(
                lambda: any(e["event"] == "background.ended" for e in logs),
                timeout=5,
                what="the task's end to be logged",
            )
            ended = [e for e in logs if e["event"] == "background.ended"]
            assert [e["task"] for e in ended] == ["doomed"]
            assert isinstance(ended[0]["exc_info"], RuntimeError)


async def test_work_stopped_at_shutdown_is_not_reported() -> None:
    with capture_logs() as logs:
        async with running(asyncio.Event().wait(), name="idle"):
            pass
    assert not [e for e in logs if e["event"] == "background.ended"]
