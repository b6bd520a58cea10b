"""Auto-pipelining of Lua script calls: the calls made while a batch is on the wire go to
Redis together, in one pipeline (one write, one read of all the replies), instead of a
round trip each.

Why: the rate limit costs one script call per request, and under load redis-py's own
per-call work (a pooled connection taken and given back, the command packed, a write
system call, a read woken on its own) was the largest share of what an authenticated
request cost beyond an unauthenticated one (bench/README.md, benchmark 1).

Nothing about a call's meaning changes: each script still runs atomically in Redis, on
Redis's clock (a batch's calls in the order they were made; two batches on the wire at once
may interleave, as lone calls in flight together always could), so limits shared by every
replica stay exact. No call waits long for another: a call with nothing on the wire leaves
in the loop's next turn; otherwise its batch leaves when the one out is back or `MAX_WAIT`
(2 ms) after its first call, whichever comes first, on a connection of its own; so a Redis
that hangs costs a call at most 2 ms more than a lone call (whose 1 s socket timeout still
bounds it). Gathering while a batch is out is what makes the batches large under load
(about 16 calls at 50 connections, 9 without it), and a larger batch is cheaper per call.
A failure of the batch (Redis down, a timeout, after the client's own retries) is every
call's failure, raised to each caller as a lone call would have raised it; an error of one
script is that call's alone."""

import asyncio
import hashlib
from typing import Any

import redis.asyncio as redis
from redis.exceptions import NoScriptError, ResponseError

# A bound on one pipeline: a turn that gathered more sends them in several.
MAX_BATCH = 512
# The longest a call waits for the batch before it to come back: about ten round trips to
# a Redis on the same network, far below the 1 s socket timeout.
MAX_WAIT = 0.002


class Script:
    """A Lua script called through `AutoPipeline`: by its SHA-1, loaded on first NOSCRIPT."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()
        self.sha_bytes = self.sha.encode()


_Call = tuple[Script, tuple[Any, ...], "asyncio.Future[Any]"]


class AutoPipeline:
    def __init__(
        self, client: redis.Redis, *, max_batch: int = MAX_BATCH, max_wait: float = MAX_WAIT
    ) -> None:
        self.client = client
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._pending: list[_Call] = []
        self._timer: asyncio.TimerHandle | None = None
        # The batches on the wire, kept referenced until done (the loop holds tasks weakly).
        self._sending: set[asyncio.Task[None]] = set()

    def call(self, script: Script, *, keys: list[str], args: list[Any]) -> "asyncio.Future[Any]":
        """The script's reply, once the batch this call joins has come back."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        if not self._pending:
            if self._sending:
                # The batch now gathering leaves when the one out is back (`_sent`), or
                # after MAX_WAIT at the latest.
                self._timer = loop.call_later(self.max_wait, self._flush)
            else:
                loop.call_soon(self._flush)
        self._pending.append((script, (len(keys), *keys, *args), future))
        return future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), self.max_batch):
            task = asyncio.ensure_future(self._send(pending[start : start + self.max_batch]))
            self._sending.add(task)
            task.add_done_callback(self._sent)

    def _sent(self, task: "asyncio.Task[None]") -> None:
        self._sending.discard(task)
        if self._pending and not self._sending:
            self._flush()

    async def _send(self, batch: list[_Call]) -> None:
        try:
            replies = await self._execute(batch)
        except BaseException as exc:
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise  # cancelled (shutdown): the callers have been told
            return
        for (_, _, future), reply in zip(batch, replies, strict=True):
            if future.done():
                continue  # its request went away meanwhile
            if isinstance(reply, Exception):
                future.set_exception(reply)
            else:
                future.set_result(reply)

    async def _execute(self, batch: list[_Call]) -> list[Any]:
        replies = await self._pipeline(batch)
        missing = [i for i, reply in enumerate(replies) if isinstance(reply, NoScriptError)]
        if missing:
            # A Redis that restarted or flushed its scripts: load them and send those again.
            for script in {batch[i][0].sha: batch[i][0] for i in missing}.values():
                await self.client.script_load(script.source)
            again = await self._pipeline([batch[i] for i in missing])
            for i, reply in zip(missing, again, strict=True):
                replies[i] = reply
        return replies

    async def _pipeline(self, batch: list[_Call]) -> list[Any]:
        """One write of every call and one read of every reply, on a pooled connection, with
        the client's own retry policy around the whole (as redis-py's pipelines do). The
        connection, its handshake, the reply parser (hiredis) and the retries are redis-py's;
        only the request is packed here (`_pack`): redis-py's `pack_command`, argument by
        argument, was a third of this path's CPU."""
        pool = self.client.connection_pool
        connection = await pool.get_connection()
        packed = _pack(batch)

        async def round_trip() -> list[Any]:
            await connection.send_packed_command(packed)
            replies: list[Any] = []
            for _ in batch:
                try:
                    replies.append(await connection.read_response())
                except ResponseError as exc:  # this script's error: its call's alone
                    replies.append(exc)
            return replies

        async def failed(error: Exception) -> None:
            await connection.disconnect()  # half-read replies: never reuse the connection

        try:
            return await connection.retry.call_with_retry(round_trip, failed)
        finally:
            await pool.release(connection)


def _pack(batch: list[_Call]) -> bytes:
    """`EVALSHA sha numkeys key… arg…` for each call, in RESP (arrays of bulk strings)."""
    out: list[bytes] = []
    for script, arguments, _ in batch:
        out.append(
            b"*%d\r\n$7\r\nEVALSHA\r\n$40\r\n%s\r\n" % (len(arguments) + 2, script.sha_bytes)
        )
        for argument in arguments:
            if isinstance(argument, bytes):
                value = argument
            elif isinstance(argument, str | int) and not isinstance(argument, bool):
                value = str(argument).encode()
            else:
                raise TypeError(f"a script argument must be str, bytes or int: {argument!r}")
            out.append(b"$%d\r\n%s\r\n" % (len(value), value))
    return b"".join(out)
