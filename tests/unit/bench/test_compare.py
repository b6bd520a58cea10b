"""`bench.compare`'s arithmetic and bookkeeping, with fake benchmark results: the median
per side, the ratio work tree / REF and which way is better, the table, the README's
marked section, which saved file is a run's, and which processes a sale's CPU counts."""

import os
from pathlib import Path
from typing import Any

from bench.compare import _newest
from bench.compare_cpu import _descendants, counted
from bench.compare_figures import FIGURES, Figure, Row, improved, median, ratio, rows, table
from bench.compare_trees import BEGIN, END, HEADING, readme_section


def _write_path(orders: float, p50: float, p99: float, cpu: float) -> dict[str, Any]:
    return {
        "benchmark": "write_path-50-products",
        "runs": {
            "concurrency 16": {
                "orders_per_second": orders,
                "p50_ms": p50,
                "p99_ms": p99,
                "webhook_p50_ms": 80.0,
                "webhook_p99_ms": 300.0,
                "errors": 0,
                "webhooks_missing": 1,
            }
        },
        "cpu_ms_per_sale": {"concurrency 16": cpu},
    }


def _figure(name: str) -> Figure:
    return next(f for f in FIGURES if f.name == name)


def test_median_leaves_out_failed_runs() -> None:
    assert median([3.0, None, 1.0, 2.0]) == 2.0
    assert median([None, None]) is None
    assert median([1.0, 2.0]) == 1.5


def test_ratio_is_work_tree_over_ref_and_missing_without_both() -> None:
    assert ratio(80.0, 240.0) == 3.0
    assert ratio(None, 1.0) is None
    assert ratio(1.0, None) is None
    assert ratio(0.0, 5.0) is None


def test_a_smaller_latency_is_better_and_a_smaller_throughput_worse() -> None:
    latency = _figure("write path, p99 ms at c16")
    throughput = _figure("write path, orders/s at c16")
    assert latency.better == "lower" and throughput.better == "higher"
    assert improved(latency, 0.5) is True
    assert improved(throughput, 0.5) is False
    assert improved(throughput, 1.0) is None
    assert improved(latency, None) is None


def test_rows_take_each_sides_median_and_leave_benchmarks_that_did_not_run() -> None:
    results: dict[str, dict[str, list[dict[str, Any] | None]]] = {
        "write_path": {
            "ref": [_write_path(70, 200, 480, 26), _write_path(80, 210, 500, 28)],
            "work": [_write_path(240, 60, 150, 8), None],
        }
    }
    by_name = {row.figure.name: row for row in rows(results, {"write_path": "note"})}
    assert not any(row.figure.benchmark == "gateway" for row in by_name.values())
    orders = by_name["write path, orders/s at c16"]
    assert (orders.ref, orders.work, orders.ratio) == (75.0, 240.0, 3.2)
    assert orders.note == "note"
    assert by_name["write path, CPU ms per sale at c16 (all processes)"].ratio == 0.296
    assert by_name["write path, p99 / p50 at c16"].work == 2.5
    assert by_name["write path, errors + missing webhooks at c16"].ref == 1.0
    # No run at concurrency 1 in the fakes: its figures have no value, not a wrong one.
    assert by_name["write path, orders/s at c1"].ref is None


def test_table_marks_the_better_way_and_shows_each_run() -> None:
    throughput = _figure("write path, orders/s at c16")
    latency = _figure("write path, p99 ms at c16")
    text = table(
        [
            Row(throughput, [70.0, 80.0], [240.0, 250.0]),
            Row(latency, [480.0], [960.0], note="REF ran its own bench.write_path"),
            Row(_figure("gateway, authenticated p50 ms"), [None], [15.0]),
        ],
        ref="48e6688",
    )
    lines = text.splitlines()
    assert lines[0] == "| figure | `48e6688` | work tree | ratio | better is |"
    assert lines[2] == "| write path, orders/s at c16 | 75.0 (70.0 / 80.0) | 245 (240 / 250)" \
        " | 3.27 ✓ | higher |"  # fmt: skip
    assert lines[3].startswith("| write path, p99 ms at c16 (REF ran its own bench.write_path)")
    assert "| 2.00 ✗ | lower |" in lines[3]
    assert lines[4] == "| gateway, authenticated p50 ms | — | 15.0 | — | lower |"


def test_readme_section_is_added_once_and_then_replaced() -> None:
    readme = "# Benchmarks\n\n## 5. Request log\n\ntext\n"
    first = readme_section(readme, "## `python -m bench.compare a`\n\n| t1 |\n")
    assert first.startswith(readme.rstrip())
    assert HEADING in first and "### `python -m bench.compare a`" in first
    second = readme_section(first + "\n## After\n", "## `python -m bench.compare b`\n\n| t2 |\n")
    assert second.count(HEADING) == 1 and second.count(BEGIN) == 1 and second.count(END) == 1
    assert "| t1 |" not in second and "| t2 |" in second
    assert second.rstrip().endswith("## After")


def test_a_runs_file_is_the_newest_with_its_own_prefix(tmp_path: Path) -> None:
    old = tmp_path / "request_log-20261201T100000Z.json"
    control = tmp_path / "request_log-control-20261201T120000Z.json"
    mine = tmp_path / "request_log-20261201T110000Z.json"
    for path in (old, control, mine):
        path.write_text("{}")
    os.utime(old, (1000, 1000))
    assert _newest(tmp_path, "request_log", since=2000) == mine
    assert _newest(tmp_path, "gateway", since=0) is None


def test_a_sales_cpu_counts_its_database_and_the_shared_brokers_only() -> None:
    ours = "stacknex_bench_ab12"
    assert counted(f"postgres: postgres {ours} 127.0.0.1(4242) idle", database=ours)
    assert not counted("postgres: postgres stacknex_test 127.0.0.1(4243) idle", database=ours)
    assert counted("postgres: walwriter ", database=ours)
    assert counted("/usr/lib/postgresql/16/bin/postgres -D /var/lib/pg", database=ours)
    assert counted("/usr/lib/erlang/erts-13/bin/beam.smp -- -root", database=ours)
    assert counted("redis-server 127.0.0.1:6379", database=ours)
    assert not counted("python -m pytest tests/", database=ours)


def test_a_benchmarks_processes_are_its_descendants_not_itself() -> None:
    parents = {10: 1, 11: 10, 12: 11, 13: 1, 14: 13}
    assert _descendants(10, parents) == {11, 12}
