"""The benchmarks' own arithmetic: parsing wrk, pairing small and large runs, summing a
profile by process. (The benchmarks themselves run with `make bench`, not in the suite.)"""

from pathlib import Path

import pytest

from bench.gateway import parse_wrk
from bench.profile_summary import summarise
from bench.scale import _ratios

WRK = (
    "Running 3s test @ http://127.0.0.1:39295\n"
    "  1 threads and 20 connections\n"
    "  Latency Distribution\n"
    "     50%   15.09ms\n"
    "     75%   31.59ms\n"
    "     90%    1.14s \n"  # wrk's own trailing spaces
    "     99%    1.84s \n"
    "  270 requests in 3.02s, 160.31KB read\n"
    "  Non-2xx or 3xx responses: 4\n"
    "Requests/sec:     89.35\n"
)


def test_wrk_figures_are_read_even_with_trailing_spaces() -> None:
    assert parse_wrk(WRK) == {
        "requests_per_second": 89.35,
        "p50_ms": 15.09,
        "p99_ms": 1840.0,
        "non_2xx": 4,
    }


def test_a_run_without_answers_stops_the_benchmark() -> None:
    with pytest.raises(SystemExit, match="no answers"):
        parse_wrk("Running 3s test\n  0 requests in 3.00s\nRequests/sec: 0.00\n")


def test_ratios_pair_each_small_run_with_its_large_twin() -> None:
    runs = {
        "catalog first page, 1,000 products": {"requests_per_second": 2000.0, "p50_ms": 8.0},
        "catalog first page, 1,000,000 products": {"requests_per_second": 1000.0, "p50_ms": 16.0},
        "append, 10 events": {"appends_per_second": 100.0, "p50_ms": 1.0},
    }
    assert _ratios(runs, "1,000 products", "1,000,000 products") == {
        "catalog first page: throughput 1,000,000 products / 1,000 products": 0.5,
        "catalog first page: p50 1,000,000 products / 1,000 products": 2.0,
    }


def test_a_profile_is_summed_per_process(tmp_path: Path) -> None:
    raw = tmp_path / "profile.txt"
    raw.write_text(
        'process 1:"python -m cli.devrun";process 2:"python -m services.orders";'
        "run (a.py:1);work (b.py:2) 30\n"
        'process 1:"python -m cli.devrun";process 3:"python -m services.catalog";'
        "run (a.py:1);read (c.py:9) 10\n"
    )
    text = summarise(raw, top=5)
    assert "## services.orders: 30 samples, 75.0% of all" in text
    assert "## services.catalog: 10 samples, 25.0% of all" in text
    assert "100.0%  work (b.py)" in text
