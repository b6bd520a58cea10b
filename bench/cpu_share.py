"""Where the machine's CPU goes while something runs: samples every process's CPU time
from /proc for N seconds and prints the seconds used per kind of process (each StackNex
service, PostgreSQL, RabbitMQ, Redis, the load generator). Linux only.

    python -m bench.write_path --seconds 20 --levels 16 &   # then, once the load runs:
    python -m bench.cpu_share 18
"""

import argparse
import os
import time
from collections import Counter
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _kind(command: str) -> str:
    if "services." in command:
        return command.split("-m ")[-1].split()[0]
    for needle, kind in (
        ("postgres", "postgres"),
        ("beam", "rabbitmq"),
        ("rabbit", "rabbitmq"),
        ("redis", "redis"),
        ("load_orders", "load generator"),
        ("bench.", "bench"),
    ):
        if needle in command:
            return kind
    return "other"


def read_processes() -> dict[int, tuple[int, str, float]]:
    """Every process now: pid -> (parent pid, command line, CPU seconds used so far)."""
    seen = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # it ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / _TICK
        seen[int(entry.name)] = (int(fields[1]), command, cpu)
    return seen


def _sample() -> dict[int, tuple[str, float]]:
    return {pid: (command, cpu) for pid, (_, command, cpu) in read_processes().items()}


def measure(seconds: float) -> Counter[str]:
    first: dict[int, float] = {}
    last: dict[int, tuple[str, float]] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for pid, (command, cpu) in _sample().items():
            first.setdefault(pid, cpu)
            last[pid] = (command, cpu)
        time.sleep(0.5)  # a sampling period, not a wait for anything
    used: Counter[str] = Counter()
    for pid, (command, cpu) in last.items():
        used[_kind(command)] += cpu - first[pid]
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seconds", type=float)
    used = measure(parser.parse_args().seconds)
    total = sum(used.values()) or 1.0
    for kind, seconds in used.most_common():
        print(f"{seconds:8.2f} s  {100 * seconds / total:5.1f} %  {kind}")
    print(f"{total:8.2f} s  total")


if __name__ == "__main__":
    main()
