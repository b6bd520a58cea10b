"""Prints a benchmark's table and writes it to bench/results/ (JSON and Markdown)."""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def save(
    name: str,
    *,
    runs: dict[str, dict[str, Any]],
    ratios: dict[str, float],
    settings: dict[str, Any],
) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    columns = sorted({key for run in runs.values() for key in run})
    lines = [
        f"## {name} ({stamp}, {os.cpu_count()} cores, {platform.python_version()})",
        "",
        "| run | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    lines += [
        f"| {label} | " + " | ".join(str(run.get(c, "")) for c in columns) + " |"
        for label, run in runs.items()
    ]
    lines += ["", "| ratio | value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in ratios.items()]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    base = RESULTS / f"{name}-{stamp}"
    base.with_suffix(".md").write_text(text)
    base.with_suffix(".json").write_text(
        json.dumps(
            {"benchmark": name, "at": stamp, "settings": settings, "runs": runs, "ratios": ratios},
            indent=2,
        )
    )
    return base


def py_spy(
    pid: int, *, seconds: float, output: str, options: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    """Samples process `pid` for `seconds` into `bench/results/<output>` in py-spy's raw
    format (one line per stack), for `python -m bench.profile_summary`."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--pid",
            str(pid),
            *options,
            "--duration",
            str(int(seconds)),
            "--format",
            "raw",
            "--output",
            str(RESULTS / output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
