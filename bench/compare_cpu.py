"""CPU per sale during the write path's load, measured from outside the benchmark (so that
it works with any tree's `bench/write_path.py`): while a `bench.load_orders` process under
the benchmark runs, the CPU time of every process that serves the sale is summed from
/proc — the benchmark's platform (its processes' descendants), PostgreSQL's processes
except backends of other databases, RabbitMQ and Redis. Left out: the load generator (the
customer's side, and its start-up would weigh on short runs), the benchmark's own process
(the webhook receiver), and other work on the machine, except what it costs the shared
PostgreSQL, RabbitMQ and Redis processes."""

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bench.cpu_share import read_processes

_BACKEND = re.compile(r"^postgres: (\S+) (\S+) (\S+\(\d+\)|\[local\])")
_CONCURRENCY = re.compile(r"--concurrency (\d+)")
_DATABASE = re.compile(rb"STACKNEX_DATABASE_URL=[^\0]*/([^/?\0]+)")
PERIOD = 0.25  # s between samples: ±0.25 s at each end of an 8 s level is ±6 %


def _descendants(root: int, parents: dict[int, int]) -> set[int]:
    found = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found - {root}


def _database(pids: set[int]) -> str | None:
    for pid in pids:
        try:
            match = _DATABASE.search(Path(f"/proc/{pid}/environ").read_bytes())
        except OSError:
            continue
        if match:
            return match.group(1).decode()
    return None


def counted(command: str, *, database: str | None) -> bool:
    """Whether a process outside the benchmark's own tree serves its sales."""
    backend = _BACKEND.match(command)
    if backend:
        return backend.group(2) == database
    return (
        command.startswith("postgres")
        or "/postgres " in command
        or any(needle in command for needle in ("beam.smp", "redis-server"))
    )


@dataclass
class LoadCpu:
    """Samples in a thread while `pid` (the benchmark) runs; `per_level` is the CPU seconds
    spent during each load level, keyed by its concurrency."""

    pid: int
    per_level: dict[int, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> dict[int, float]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.per_level

    def _run(self) -> None:
        first: dict[int, float] = {}
        last: dict[int, float] = {}
        level: int | None = None
        database: str | None = None
        while not self._stop.wait(PERIOD):
            processes = read_processes()
            tree = _descendants(self.pid, {p: v[0] for p, v in processes.items()})
            loads = {
                p: int(m.group(1))
                for p in tree
                if "bench.load_orders" in processes[p][1]
                and (m := _CONCURRENCY.search(processes[p][1]))
            }
            current = next(iter(loads.values()), None)
            if level is not None and current != level:
                self.per_level[level] = sum(last[p] - first[p] for p in last)
                first, last = {}, {}
            level = current
            if level is None:
                continue
            database = database or _database(tree)
            for pid, (_, command, cpu) in processes.items():
                if pid in loads:
                    continue
                if pid in tree or counted(command, database=database):
                    first.setdefault(pid, cpu)
                    last[pid] = cpu
