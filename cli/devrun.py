"""The local supervisor behind `make run`/`make up`: every service as its own process, logs
interleaved under the service's name, a crashed service restarted, Ctrl-C/SIGTERM stops all.

Written here rather than taken from honcho/foreman-style runners because those stop the
whole set when one process exits, and the chaos suite relies on a killed service coming
back by itself.

    python -m cli.devrun            # foreground supervisor
    python -m cli.devrun --wait-ready 90   # exit 0 once every /readyz answers 200
                                                # (each service's ops listener, plain HTTP)
"""

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import time
import urllib.request

from cli.registry import SERVICES, load_spec

_COLOURS = ("\033[36m", "\033[32m", "\033[35m", "\033[33m", "\033[34m")
_RESET = "\033[0m"
# Above the services' own 20 s shutdown timeout, so they always get to drain first.
_STOP_GRACE = 25.0


class Supervisor:
    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.width = max(len(n) for n in names)
        self.stopping = asyncio.Event()
        self.procs: dict[str, asyncio.subprocess.Process] = {}
        self.colour = sys.stdout.isatty()

    def say(self, name: str, line: str) -> None:
        label = name.ljust(self.width)
        if self.colour:
            label = f"{_COLOURS[self.names.index(name) % len(_COLOURS)]}{label}{_RESET}"
        sys.stdout.write(f"{label} | {line}\n")
        sys.stdout.flush()

    async def keep_running(self, name: str) -> None:
        backoff = 0.5
        while not self.stopping.is_set():
            started = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                f"services.{name}",
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops the rest.
            )
            self.procs[name] = proc
            self.say(name, f"started (pid {proc.pid})")
            assert proc.stdout is not None
            async for raw in proc.stdout:
                self.say(name, raw.decode(errors="replace").rstrip())
            code = await proc.wait()
            if self.stopping.is_set():
                self.say(name, f"stopped (exit {code})")
                return
            # A service that ran for a while gets restarted at once; a crash loop backs off.
            backoff = 0.5 if time.monotonic() - started > 30 else min(backoff * 2, 10.0)
            self.say(name, f"exited with {code}; restarting in {backoff:.1f}s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), backoff)

    async def stop(self) -> None:
        self.stopping.set()
        live = [p for p in self.procs.values() if p.returncode is None]
        for proc in live:
            proc.send_signal(signal.SIGTERM)
        if live:
            await asyncio.wait([asyncio.create_task(p.wait()) for p in live], timeout=_STOP_GRACE)
        for proc in live:
            if proc.returncode is None:
                proc.kill()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        stop_requested = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop_requested.set)
        runners = [asyncio.create_task(self.keep_running(n)) for n in self.names]
        await stop_requested.wait()
        sys.stdout.write("stopping every service…\n")
        await self.stop()
        await asyncio.gather(*runners, return_exceptions=True)


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_ready(names: list[str], timeout: float) -> int:
    urls = {name: load_spec(name).settings_cls().readiness_url for name in names}
    deadline = time.monotonic() + timeout
    waiting = dict(urls)
    while waiting and time.monotonic() < deadline:
        waiting = {n: u for n, u in waiting.items() if not _ready(u)}
        if waiting:
            time.sleep(0.5)
    if waiting:
        print(f"not ready after {timeout:.0f}s: {', '.join(sorted(waiting))}", file=sys.stderr)
        return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("services", nargs="*", default=list(SERVICES))
    parser.add_argument("--wait-ready", type=float, metavar="SECONDS")
    args = parser.parse_args()
    for name in args.services:
        load_spec(name)
    if args.wait_ready is not None:
        raise SystemExit(wait_ready(args.services, args.wait_ready))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    # Local development: webhooks may go to a receiver on this machine (plain http too).
    # Link-local and cloud metadata addresses stay refused whatever this says.
    os.environ.setdefault(
        "STACKNEX_WEBHOOKS_ALLOWED_PRIVATE_NETWORKS", '["127.0.0.0/8", "::1/128"]'
    )
    asyncio.run(Supervisor(args.services).run())


if __name__ == "__main__":
    main()
