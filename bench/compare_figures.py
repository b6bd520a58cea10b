"""The figures `bench.compare` reads from each benchmark's JSON, and the arithmetic of the
comparison: the median of each side's runs, the ratio work tree / REF, and the table.
No I/O here, so that it is tested without running a benchmark."""

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Better = Literal["higher", "lower"]
Result = dict[str, Any]  # one benchmark's JSON, as bench/report.py saves it
Reader = Callable[[Result], float | None]


def _get(*path: str) -> Reader:
    """A reader of the number at `path` in a benchmark's JSON (None when it is absent)."""

    def read(result: Result) -> float | None:
        value: Any = result
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return float(value) if isinstance(value, int | float) else None

    return read


def _quotient(top: Reader, bottom: Reader) -> Reader:
    def read(result: Result) -> float | None:
        a, b = top(result), bottom(result)
        return round(a / b, 3) if a is not None and b else None

    return read


def _worst_tail(result: Result) -> float | None:
    """The largest p99 / p50 among the catalog's cases (both small stores)."""
    tails = [
        run["p99_ms"] / run["p50_ms"]
        for label, run in result.get("runs", {}).items()
        if label.startswith("catalog ") and run.get("p50_ms")
    ]
    return round(max(tails), 2) if tails else None


@dataclass(frozen=True)
class Figure:
    name: str
    benchmark: str  # a key of bench.compare.BENCHMARKS
    better: Better
    read: Reader = field(repr=False)


def _write_path(level: int) -> list[Figure]:
    run = f"concurrency {level}"
    return [
        Figure(f"write path, orders/s at c{level}", "write_path", "higher",
               _get("runs", run, "orders_per_second")),
        Figure(f"write path, p50 ms at c{level}", "write_path", "lower",
               _get("runs", run, "p50_ms")),
        Figure(f"write path, p99 ms at c{level}", "write_path", "lower",
               _get("runs", run, "p99_ms")),
        Figure(f"write path, p99 / p50 at c{level}", "write_path", "lower",
               _quotient(_get("runs", run, "p99_ms"), _get("runs", run, "p50_ms"))),
        Figure(f"write path, CPU ms per sale at c{level} (all processes)", "write_path",
               "lower", _get("cpu_ms_per_sale", run)),
        Figure(f"response → webhook p50 ms at c{level}", "write_path", "lower",
               _get("runs", run, "webhook_p50_ms")),
        Figure(f"response → webhook p99 ms at c{level}", "write_path", "lower",
               _get("runs", run, "webhook_p99_ms")),
        Figure(f"write path, errors + missing webhooks at c{level}", "write_path", "lower",
               lambda r: _sum(_get("runs", run, "errors")(r),
                              _get("runs", run, "webhooks_missing")(r))),
    ]  # fmt: skip


def _sum(*values: float | None) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


_GATEWAY = "gateway, authenticated and rate-limited"
_CATALOG = "catalog first page, 1,000 products"

FIGURES: list[Figure] = [
    *_write_path(16),
    *_write_path(1),
    Figure("delivery: one worker / bare aiohttp client", "fanout", "higher",
           _get("ratios", "engine / bare client")),
    Figure("delivery: one worker, deliveries/s", "fanout", "higher",
           _get("runs", "webhooks engine (1 worker process)", "deliveries_per_second")),
    Figure("gateway: with auth and limits / without", "gateway", "higher",
           _get("ratios", "gateway / gateway without auth and limits")),
    Figure("gateway: without auth / nginx", "gateway", "higher",
           _quotient(_get("runs", "gateway, auth and limits off", "requests_per_second"),
                     _get("runs", "nginx reverse proxy", "requests_per_second"))),
    Figure("gateway: with auth / nginx", "gateway", "higher", _get("ratios", "gateway / nginx")),
    Figure("gateway, authenticated req/s", "gateway", "higher",
           _get("runs", _GATEWAY, "requests_per_second")),
    Figure("gateway, authenticated p50 ms", "gateway", "lower", _get("runs", _GATEWAY, "p50_ms")),
    Figure("gateway, authenticated p99 ms", "gateway", "lower", _get("runs", _GATEWAY, "p99_ms")),
    Figure("nginx req/s (the yardstick)", "gateway", "higher",
           _get("runs", "nginx reverse proxy", "requests_per_second")),
    Figure("catalog first page p50 ms, 20 connections", "catalog", "lower",
           _get("runs", _CATALOG, "p50_ms")),
    Figure("catalog first page p99 ms, 20 connections", "catalog", "lower",
           _get("runs", _CATALOG, "p99_ms")),
    Figure("catalog first page req/s, 20 connections", "catalog", "higher",
           _get("runs", _CATALOG, "requests_per_second")),
    Figure("catalog, worst p99 / p50 of its cases", "catalog", "lower", _worst_tail),
    Figure("request log: throughput on / off", "request_log", "higher",
           _get("ratios", "throughput, log on / log off (median of paired runs)")),
    Figure("request log: gateway CPU µs per request, log on", "request_log", "lower",
           _get("runs", "gateway, log on", "cpu_us_per_request")),
]  # fmt: skip


def median(values: Sequence[float | None]) -> float | None:
    """The median of the runs that produced the figure (None when none did)."""
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else None


def ratio(ref: float | None, work: float | None) -> float | None:
    """Work tree / REF; None when either is missing or REF is 0."""
    if ref is None or work is None or ref == 0:
        return None
    return round(work / ref, 3)


def improved(figure: Figure, value: float | None) -> bool | None:
    """Whether a ratio work / REF is an improvement for this figure (None: no ratio, or
    equal)."""
    if value is None or value == 1:
        return None
    return value > 1 if figure.better == "higher" else value < 1


@dataclass
class Row:
    figure: Figure
    ref_runs: list[float | None]
    work_runs: list[float | None]
    note: str = ""

    @property
    def ref(self) -> float | None:
        return median(self.ref_runs)

    @property
    def work(self) -> float | None:
        return median(self.work_runs)

    @property
    def ratio(self) -> float | None:
        return ratio(self.ref, self.work)


def rows(
    results: dict[str, dict[str, list[Result | None]]],
    notes: dict[str, str],
    figures: Sequence[Figure] = FIGURES,
) -> list[Row]:
    """`results[benchmark][side]`: each round's JSON (None for a failed run); sides are
    "ref" and "work". Only figures of benchmarks that ran."""
    out = []
    for figure in figures:
        sides = results.get(figure.benchmark)
        if sides is None:
            continue
        ref, work = ([figure.read(r) if r else None for r in sides[s]] for s in ("ref", "work"))
        out.append(Row(figure, ref, work, notes.get(figure.benchmark, "")))
    return out


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def table(rows: Sequence[Row], *, ref: str, work: str = "work tree") -> str:
    """The Markdown table: figure | REF | work tree | ratio | better is (each side's median,
    its runs in brackets when there are several)."""

    def cell(runs: list[float | None], value: float | None) -> str:
        if len(runs) < 2:
            return _number(value)
        return f"{_number(value)} ({' / '.join(_number(v) for v in runs)})"

    lines = [
        f"| figure | `{ref}` | {work} | ratio | better is |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        mark = {True: " ✓", False: " ✗", None: ""}[improved(row.figure, row.ratio)]
        name = row.figure.name + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {name} | {cell(row.ref_runs, row.ref)} | {cell(row.work_runs, row.work)}"
            f" | {_number(row.ratio)}{mark} | {row.figure.better} |"
        )
    return "\n".join(lines) + "\n"
