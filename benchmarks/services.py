"""Issue 39's goal: ``ipreg check`` on records with 20 Art. 11 services each stays within 1.2× of the time without.

    .venv/bin/python -m benchmarks.services --size 10000 --services 20 --repeat 3

The same synthetic records (benchmarks/synth.py) are written twice, without services and with ``--services`` each;
each run is a cold check (a new cache folder) of the whole registry as JSON, the two kinds alternately so that a slow
spell of the machine hits both. Prints the medians, the ratio and the run-by-run ratios as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.run import BIN, TODAY, measure, scratch

GOAL = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--errors", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipreg-bench-services-") as tmp:
        base = Path(tmp)
        repos = {0: scratch(base / "plain", args.size, args.errors, industries=1),
                 args.services: scratch(base / "services", args.size, args.errors, industries=1, services=args.services)}
        time.sleep(2.5)  # files older than the cache's window for fresh time stamps, as in a checkout
        runs: dict[int, list[float]] = {n: [] for n in repos}
        for attempt in range(args.repeat):
            for n, repo in repos.items():
                cache = {"IPREG_CACHE_DIR": str(base / f"cache-{n}-{attempt}")}
                runs[n].append(measure([str(BIN / "ipreg"), "check", "--today", TODAY, "--format", "json"], repo, cache).seconds)
        plain, served = statistics.median(runs[0]), statistics.median(runs[args.services])
        print(json.dumps({"n": args.size, "services_per_record": args.services, "without_s": round(plain, 2),
                          "with_s": round(served, 2), "ratio": round(served / plain, 3), "goal": GOAL,
                          "ratios": [round(b / a, 3) for a, b in zip(runs[0], runs[args.services], strict=True)]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
