"""Issue 39's goal: ``ipreg check`` on 10,000 records with 20 Art. 11 services each stays within 1.2× of the time on
the day the issue was filed (revision ``FILED``, before there were services).

    .venv/bin/python -m benchmarks.services --size 10000 --services 20 --repeat 3

Times cold checks (a new cache folder each) of the whole registry as JSON, alternately so that a slow spell of the
machine hits each: the same synthetic records (benchmarks/synth.py) without services and with ``--services`` each, run
by this code, and the records revision ``--baseline`` (default ``FILED``; ``none`` to skip it) writes with its own
benchmarks, run by its own code (taken with ``git archive``, never a worktree). Prints the medians as JSON: ``ratio`` is
the time with services over the baseline's (the goal; ``met`` says whether it is within ``goal``), ``ratio_to_without``
over this code's time without services (what the services themselves cost; docs/benchmarks.md says why that is more).

``--command N`` also times ``ipreg service`` (a training) and then ``ipreg priority`` (a granted training programme)
naming N enterprises entitled on the day in one command each (issue 39: under 10 s for 500), on a registry of ``--size``
synthetic records (at least 3N), each command a whole process with its lock, journal and check of the whole registry.

``--floor N`` also times, in this process and on one core, the first N files of each kind through three stages: libyaml's
events alone (what PyYAML's C parser hands to Python, nothing built), the YAML door (``loader.load_bytes``) and the whole
check of a file (``registry.check_local``): per record, best of three. What the services add to the first stage is the
part of the ratio no change to ipreg's own code can remove.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from benchmarks.run import BIN, ROOT, TODAY, measure, scratch

GOAL = 1.2
FILED = "9fed879"  # main when issue 39 was filed: "today's time"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--errors", type=float, default=0.05)
    parser.add_argument("--floor", type=int, default=0, help="also time the three stages on the first N files of each kind")
    parser.add_argument("--command", type=int, default=0, help="also time ipreg service and ipreg priority naming N enterprises")
    parser.add_argument("--baseline", metavar="REV", default=FILED,
                        help=f"the revision whose check of its own synthetic records is the goal's measure (default {FILED}; none: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipreg-bench-services-") as tmp:
        base = Path(tmp)
        rev = None if args.baseline.lower() == "none" else args.baseline
        result = checks(base, args.size, args.services, args.errors, args.repeat, rev)
        if args.floor:
            result["floor"] = floor(base / "plain", base / "services", args.floor)
        if args.command:
            result["command"] = commands(base / "command", args.command, max(args.size, 3 * args.command))
        print(json.dumps(result, ensure_ascii=False))


def checks(base: Path, size: int, services: int, errors: float, repeat: int, rev: str | None = None) -> dict[str, object]:
    """Medians of cold checks of ``size`` records without and with ``services`` each (and of revision ``rev``'s check of its
    own records), the kinds alternately so that a slow spell of the machine hits each."""
    repos: dict[str, tuple[Path, dict[str, str]]] = {
        "without": (scratch(base / "plain", size, errors, industries=1), {}),
        "with": (scratch(base / "services", size, errors, industries=1, services=services), {})}
    if rev:
        repos["baseline"] = baseline(base, rev, size, errors)
    time.sleep(2.5)  # files older than the cache's window for fresh time stamps, as in a checkout
    runs: dict[str, list[float]] = {kind: [] for kind in repos}
    for attempt in range(repeat):
        for kind, (repo, env) in repos.items():
            cache = {**env, "IPREG_CACHE_DIR": str(base / f"cache-{kind}-{attempt}")}
            runs[kind].append(measure([str(BIN / "ipreg"), "check", "--today", TODAY, "--format", "json"], repo, cache).seconds)
    plain, served = statistics.median(runs["without"]), statistics.median(runs["with"])
    result: dict[str, object] = {
        "n": size, "services_per_record": services, "with_s": round(served, 2), "without_s": round(plain, 2),
        "ratio_to_without": round(served / plain, 3),
        "ratios_to_without": [round(b / a, 3) for a, b in zip(runs["without"], runs["with"], strict=True)]}
    if rev:
        then = statistics.median(runs["baseline"])
        result["baseline"] = {"rev": rev, "seconds": round(then, 2), "ratio": round(served / then, 3),
                              "ratios": [round(b / a, 3) for a, b in zip(runs["baseline"], runs["with"], strict=True)]}
    ratio = round(served / statistics.median(runs["baseline"] if rev else runs["without"]), 3)
    result.update({"goal": GOAL, "against": rev or "without", "ratio": ratio, "met": ratio <= GOAL})
    return result


def baseline(base: Path, rev: str, size: int, errors: float) -> tuple[Path, dict[str, str]]:
    """Revision ``rev``'s tree (``git archive``: the repository and its worktrees are left as they are), the registry of
    ``size`` records its own benchmarks write, and the environment that runs its code."""
    tree = base / "baseline-tree"
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev], capture_output=True, check=False)
    if archive.returncode:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))  # type: ignore[arg-type]
    env = {"PYTHONPATH": str(tree)}  # before the installed (editable) package: ipreg runs rev's code
    write = "import sys; from pathlib import Path; from benchmarks.run import scratch; " \
            "scratch(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), industries=1)"
    subprocess.run([sys.executable, "-c", write, str(base / "baseline"), str(size), str(errors)], cwd=tree,
                   env={**os.environ, **env}, check=True)
    return base / "baseline", env


def commands(base: Path, count: int, size: int) -> dict[str, float]:
    """Seconds of ``ipreg service`` and ``ipreg priority`` naming ``count`` enterprises entitled today in a registry of
    ``size`` records (each run's exit code too: 0, never a refusal)."""
    import subprocess

    repo = scratch(base, size, 0.0, industries=1)
    shown = subprocess.run([str(BIN / "ipreg"), "status", "--entitled", "--today", TODAY, "--format", "json"], cwd=repo,
                           capture_output=True, text=True, check=True).stdout
    codes = [e["uscc"] for e in json.loads(shown)["enterprises"]][:count]
    if len(codes) < count:
        raise SystemExit(f"only {len(codes)} of {size} synthetic records are entitled on {TODAY}")
    day = ["--today", TODAY, "--date", (date.fromisoformat(TODAY) - timedelta(days=3)).isoformat()]
    service = measure([str(BIN / "ipreg"), "service", *day, "--kind", "training", "--title", "知识产权培训", "--participants", "30",
                       *codes], repo)
    priority = measure([str(BIN / "ipreg"), "priority", *day, "--programme", "training", "--outcome", "granted", *codes], repo)
    return {"enterprises": count, "registry": size, "service_s": round(service.seconds, 2), "service_rc": service.returncode,
            "priority_s": round(priority.seconds, 2), "priority_rc": priority.returncode, "goal_s": 10}


def floor(plain: Path, served: Path, count: int) -> dict[str, float]:
    """Microseconds per record of each stage, without and with services, and what the services add as a share of the
    whole check without them."""
    import yaml

    from generator.loader import load_bytes
    from generator.policy import load_policy
    from generator.registry import check_local
    from generator.yamltext import decode

    policy = load_policy(plain / "policy.yml")
    today = date.fromisoformat(TODAY)

    def events(raw: bytes, name: str) -> None:
        text = decode(raw, name)
        assert isinstance(text, str)
        parser = yaml.CSafeLoader(text)
        while parser.get_event() is not None:
            pass
        parser.dispose()

    stages: dict[str, Callable[[bytes, str], object]] = {
        "events_us": events, "load_us": load_bytes, "check_us": lambda raw, name: check_local(load_bytes(raw, name), policy, today)}
    out: dict[str, float] = {}
    for kind, repo in (("without", plain), ("with", served)):
        files = [(p.read_bytes(), f"records/{p.name}") for p in sorted((repo / "records").glob("*.yaml"))[:count]]
        for stage, work in stages.items():
            best = min(_timed(work, files) for _ in range(3))
            out[f"{kind}_{stage}"] = round(best / len(files) * 1e6, 1)
    whole = out["without_check_us"]
    for stage in stages:
        added = out[f"with_{stage}"] - out[f"without_{stage}"]
        out[f"added_by_{stage.removesuffix('_us')}_share"] = round(added / whole, 3)
    return out


def _timed(work: Callable[[bytes, str], object], files: list[tuple[bytes, str]]) -> float:
    start = time.perf_counter()
    for raw, name in files:
        work(raw, name)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
