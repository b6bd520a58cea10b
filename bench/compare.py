"""Before / after in one command: every benchmark on a git worktree of REF and on this work
tree, alternating REF, work, REF, work … within minutes so that a shared machine's drift
hits both, and each figure's median per side with the ratio work tree / REF.

    python -m bench.compare REF [--only write_path,gateway,fanout,catalog,request_log]
                                [--seconds 8] [--rounds 2] [--quick] [--readme] [--keep]

Each side runs in its own processes, with that tree as `cwd` and `PYTHONPATH` and this
repository's interpreter, against its own throw-away database and exchange (the
benchmarks make their own). REF is measured with *this* tree's `bench/` laid over it where
that code can drive REF (a view of the REF worktree whose `bench/` is a copy of this one),
and with REF's own version of a benchmark where it cannot (the table says which, and why).
Results: `bench/results/compare-<ref>-<time>.{md,json}`, each run's own JSON beside them in
`bench/results/compare-<ref>-<time>/`; `--readme` writes the table into bench/README.md.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import compare_figures as figures
from bench.compare_cpu import LoadCpu
from bench.compare_trees import OWN, View, prepare_ref, probe, readme_section, remove_ref

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TIMEOUT = 1800  # s for one run: the longest, the write path at 8 s, takes about a minute


@dataclass(frozen=True)
class Benchmark:
    module: str
    prefix: str  # of the files it saves in bench/results/

    def args(self, opts: argparse.Namespace) -> list[str]:
        s = str(opts.seconds)
        return {
            # 50 products: sales of different items side by side, as in the table.
            "bench.write_path": ["--seconds", s, "--levels", "1,16", "--products",
                                 str(opts.products)],
            "bench.gateway": ["--seconds", s, "--connections", "50"],
            "bench.fanout": ["--events", str(opts.events), "--endpoints", "5"],
            # The catalog's cases on small stores: the tails, not the size (two sizes, as
            # scale.py pairs them; 2,000 rather than its million, seeded in a second).
            "bench.scale": ["--seconds", s, "--only", "catalog", "--products", "1000,2000"],
            "bench.request_log": ["--seconds", s, "--rounds", str(opts.log_rounds)],
        }[self.module]  # fmt: skip


BENCHMARKS = {
    "write_path": Benchmark("bench.write_path", "write_path-{products}-products"),
    "gateway": Benchmark("bench.gateway", "gateway"),
    "fanout": Benchmark("bench.fanout", "fanout"),
    "catalog": Benchmark("bench.scale", "scale"),
    "request_log": Benchmark("bench.request_log", "request_log"),
}


def _newest(results: Path, prefix: str, since: float) -> Path | None:
    # A stamp follows the prefix ("gateway-2026…"): "request_log-control-…" is not ours.
    found = [
        p
        for p in results.glob(f"{prefix}-2*.json")
        if p.stat().st_mtime >= since and p.name[len(prefix) + 1 :][:1].isdigit()
    ]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _stop(process: subprocess.Popen[bytes]) -> int:
    """Ends a run and every process it started (its own process group): SIGINT first, so
    that the benchmark's own `finally` stops its platform and drops its database."""
    for sig, grace in ((signal.SIGINT, 60), (signal.SIGTERM, 30), (signal.SIGKILL, None)):
        os.killpg(process.pid, sig)
        try:
            return process.wait(grace)
        except subprocess.TimeoutExpired:
            continue
    return process.wait()


def run_once(
    view: View, bench: Benchmark, opts: argparse.Namespace, *, out: Path, tag: str
) -> dict[str, Any] | None:
    """One run of one benchmark on one side; its JSON (with the CPU per sale added for the
    write path), or None when it failed (its output is in `out/<tag>.log`)."""
    prefix = bench.prefix.format(products=opts.products)
    started = time.time()
    log = (out / f"{tag}.log").open("w")
    print(f"compare: {tag}: {bench.module} on {view.label} ({view.root})", flush=True)
    process = subprocess.Popen(
        [sys.executable, "-m", bench.module, *bench.args(opts)],
        cwd=view.root,
        env={**os.environ, "PYTHONPATH": str(view.root)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a stuck run is stopped whole
    )
    cpu = LoadCpu(process.pid) if bench.module == "bench.write_path" else None
    if cpu is not None:
        cpu.start()
    try:
        code = process.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        code = _stop(process)
    except BaseException:  # ^C: stop the platform this run started, then stop here too
        _stop(process)
        raise
    finally:
        log.close()
    spent = cpu.stop() if cpu is not None else {}
    saved = _newest(view.root / "bench" / "results", prefix, started)
    if code != 0 or saved is None:
        print(f"compare: {tag} failed (exit {code}), see {out / (tag + '.log')}", flush=True)
        return None
    result: dict[str, Any] = json.loads(saved.read_text())
    shutil.copy(saved, out / f"{tag}-{saved.name}")
    if view.label == "work tree":
        saved.unlink()  # this run's file, kept in the comparison's folder instead
        saved.with_suffix(".md").unlink(missing_ok=True)
    if spent:
        seconds = float(result.get("settings", {}).get("seconds", opts.seconds))
        result["cpu_ms_per_sale"] = {}
        for level, cpu_seconds in spent.items():
            orders = result["runs"].get(f"concurrency {level}", {}).get("orders_per_second")
            if orders:
                per_sale = cpu_seconds / (orders * seconds) * 1000
                result["cpu_ms_per_sale"][f"concurrency {level}"] = round(per_sale, 2)
    return result


Sides = dict[str, list[dict[str, Any] | None]]  # "ref" and "work": each round's JSON


def measure(
    chosen: list[str], opts: argparse.Namespace, *, ref_tree: Path, out: Path
) -> tuple[dict[str, Sides], dict[str, str], dict[str, str]]:
    """Each benchmark REF, work, REF, work …; its runs per side, the table's note and what
    drove REF."""
    work = View("work tree", ROOT)
    results: dict[str, Sides] = {}
    notes: dict[str, str] = {}
    drivers: dict[str, str] = {}
    for bench_name in chosen:
        bench = BENCHMARKS[bench_name]
        ref, why = probe(ROOT, ref_tree, bench.module)
        if ref is None:
            notes[bench_name] = "not run on REF"
        elif ref.label == OWN:
            notes[bench_name] = "REF: its own bench"
        label = ref.label if ref is not None else "not run on REF"
        drivers[bench_name] = label + (f" ({why})" if why else "")
        sides: Sides = {"ref": [], "work": []}
        for round_ in range(1, opts.rounds + 1):
            for key, view in (("ref", ref), ("work", work)):
                run = None
                if view is not None:
                    tag = f"{bench_name}-{key}-{round_}"
                    run = run_once(view, bench, opts, out=out, tag=tag)
                sides[key].append(run)
        results[bench_name] = sides
    return results, notes, drivers


def report(
    results: dict[str, Sides],
    notes: dict[str, str],
    drivers: dict[str, str],
    *,
    opts: argparse.Namespace,
    sha: str,
    name: str,
    stamp: str,
) -> str:
    """Prints the table and saves it, as Markdown and JSON (with every run's figures)."""
    rows = figures.rows(results, notes)
    head = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    text = (
        f"## `python -m bench.compare {opts.ref}` ({stamp}, {os.cpu_count()} cores)\n\n"
        f"REF `{sha[:7]}` against the work tree (`{head}`); {opts.rounds} round(s) of"
        f" {opts.seconds} s per benchmark, alternating; each cell the median of its"
        " side's runs (the runs in brackets); ratio = work tree / REF, ✓ when it goes the"
        " better way.\n\n"
        + figures.table(rows, ref=sha[:7])
        + "\nREF's side:\n"
        + "".join(f"- {b}: {d}\n" for b, d in drivers.items())
    )
    print("\n" + text)
    (RESULTS / f"{name}.md").write_text(text)
    figures_json = [
        {
            "figure": r.figure.name,
            "better": r.figure.better,
            "ref": r.ref,
            "work": r.work,
            "ratio": r.ratio,
            "ref_runs": r.ref_runs,
            "work_runs": r.work_runs,
        }
        for r in rows
    ]
    saved = {"ref": opts.ref, "sha": sha, "work": head, "at": stamp, "settings": vars(opts)}
    saved |= {"notes": notes, "drivers": drivers, "figures": figures_json, "runs": results}
    (RESULTS / f"{name}.json").write_text(json.dumps(saved, indent=2))
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("ref", help="a commit, tag or branch to compare the work tree with")
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="runs per side, alternating")
    parser.add_argument("--products", type=int, default=50, help="of the write path")
    parser.add_argument("--events", type=int, default=2000, help="of the fan-out (x5)")
    parser.add_argument("--log-rounds", type=int, default=2, help="of bench.request_log")
    parser.add_argument("--quick", action="store_true", help="a smoke test: 2 s, one round")
    parser.add_argument("--readme", action="store_true", help="write the table to README")
    parser.add_argument("--keep", action="store_true", help="keep the REF worktree")
    opts = parser.parse_args()
    if opts.quick:
        opts.seconds, opts.rounds, opts.products, opts.events, opts.log_rounds = 2, 1, 5, 200, 1
    chosen = [name.strip() for name in opts.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"unknown benchmarks {sorted(unknown)}: choose from {list(BENCHMARKS)}")
    ref_tree, sha = prepare_ref(ROOT, opts.ref)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    name = f"compare-{sha[:7]}-{stamp}"
    out = RESULTS / name
    out.mkdir(parents=True)
    try:
        results, notes, drivers = measure(chosen, opts, ref_tree=ref_tree, out=out)
    finally:
        if not opts.keep:
            remove_ref(ROOT, ref_tree)
    text = report(results, notes, drivers, opts=opts, sha=sha, name=name, stamp=stamp)
    if opts.readme:
        readme = ROOT / "bench" / "README.md"
        readme.write_text(readme_section(readme.read_text(), text))
    print(f"compare: {RESULTS / name}.md")


if __name__ == "__main__":
    main()
