"""Reads a py-spy `--format raw` profile (one line per stack: frames joined by `;`, then a
sample count) and prints, per process, where the CPU went: the frames with the most
samples of their own and the functions with the most samples inclusive.

    python -m bench.profile_summary bench/results/write_path-50-products-profile.txt [--top 25]
"""

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

_PROCESS = re.compile(r'^process \d+:"(.*)"$')


def _function(frame: str) -> str:
    """`handle (aiohttp/web_protocol.py:452)` -> `handle (aiohttp/web_protocol.py)`."""
    return re.sub(r":\d+\)$", ")", frame.strip())


def summarise(path: Path, top: int) -> str:
    own: dict[str, Counter[str]] = defaultdict(Counter)
    inclusive: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        process = "?"
        # With --subprocesses a child's stack starts below its parents' process frames.
        for index in range(len(frames) - 1, -1, -1):
            match = _PROCESS.match(frames[index])
            if match:
                process = match.group(1).split(" -m ")[-1].split()[0]
                frames = frames[index + 1 :]
                break
        frames = [f for f in frames if not f.startswith("thread ")]
        samples = int(count)
        totals[process] += samples
        if frames:
            own[process][_function(frames[-1])] += samples
        for function in {_function(f) for f in frames}:
            inclusive[process][function] += samples
    everything = sum(totals.values()) or 1
    out = []
    for process, samples in totals.most_common():
        out.append(f"\n## {process}: {samples} samples, {100 * samples / everything:.1f}% of all")
        out.append("  own time:")
        out += [f"    {100 * n / samples:5.1f}%  {f}" for f, n in own[process].most_common(top)]
        out.append("  inclusive:")
        out += [
            f"    {100 * n / samples:5.1f}%  {f}"
            for f, n in inclusive[process].most_common(top * 2)
        ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    print(summarise(args.profile, args.top))


if __name__ == "__main__":
    main()
