"""Benchmarks: ipreg check vs check-jsonschema, ipreg build vs plain mkdocs build, at several sizes.

    .venv/bin/python -m benchmarks.run --sizes 100,1000,10000 [--write docs/benchmarks.md]

Every figure is one whole-process run (wall time, peak resident memory of that process), on
synthetic records from benchmarks/synth.py written to a temporary folder. The plain MkDocs
build gets exactly the pages the generator produced, written to a folder, with the same
mkdocs.yml minus the ipreg plugin: the difference is the generator's overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.synth import write_registry

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TODAY = "2026-11-25"
LINKED = ("mkdocs.yml", "docs", "overrides", "schemas", "texts", "generator", "CONTRIBUTING.md")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    cpu_s: float = 0.0  # user + system seconds of the process and the children it waited for


GNU_TIME = Path("/usr/bin/time")  # Debian package `time`


def measure(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS of one command, measured by GNU time.

    A child's ``ru_maxrss`` as Python sees it includes the memory it shared with this process
    before exec (fork or vfork), so GNU time, a small C program, does the measuring.
    """
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if not GNU_TIME.exists():
        raise SystemExit("benchmarks need GNU time: apt-get install time")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        done = subprocess.run([str(GNU_TIME), "-o", report.name, "-f", "%M %U %S", *args], cwd=cwd, env=full,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - start
        peak_kb, user, system = report.read().strip().splitlines()[-1].split()
    return Run(elapsed, int(peak_kb) / 1024, done.returncode, float(user) + float(system))


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def scratch(base: Path, count: int, errors: float, shape: str = "batches", industries: int | None = None, services: int = 0) -> Path:
    repo = write_registry(base, count, errors, shape=shape, industry_count=industries, services=services)
    for name in LINKED:
        (repo / name).symlink_to(ROOT / name)
    return repo


def plain_mkdocs_tree(repo: Path, out: Path) -> Path:
    """The generated pages written to a folder, and a mkdocs.yml without the ipreg plugin."""
    from generator.inputs import discover
    from generator.policy import load_policy
    from generator.site.builder import gather, site_content
    from generator.site.opendata import site_files
    from generator.site.plugin import link_rule_ids

    files, notes = discover([str(repo / "records")])
    site = gather(files, load_policy(repo / "policy.yml"), date.fromisoformat(TODAY), notes)
    content = site_content(repo, site)
    content.files.update(site_files(site.items, site.registry.today, "https://example.invalid/"))
    docs = out / "docs"
    shutil.copytree(ROOT / "docs", docs)
    marker = re.compile(r"<!--\s*ipreg:([a-z-]+)\s*-->")
    for page in docs.glob("*.md"):
        text = marker.sub(lambda m: content.fragments[m.group(1)], page.read_text(encoding="utf-8"))
        page.write_text(link_rule_ids(text, page.name), encoding="utf-8")
    for path, text in content.pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    for path, data in content.files.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_bytes(data)
    config = re.sub(r"  - ipreg:.*\n(      .*\n)*", "", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = re.sub(r"watch:\n(  - .*\n)+", "", config)
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name in ("overrides", "CONTRIBUTING.md"):
        (out / name).symlink_to(ROOT / name)
    return out


def search_queries(site: Path) -> list[str]:
    """Queries of each kind, from five enterprises of the built site (fixed seed): a product word, an industry word, part of
    a name, a USCC fragment; and 西平县, which every enterprise has."""
    rows = json.loads((site / "data" / "enterprises.json").read_text(encoding="utf-8"))["enterprises"]
    rng = random.Random(3)
    queries = ["西平县"]
    for row in rng.sample(rows, min(5, len(rows))):
        queries += [row["main_products"][0][:2], row["industry"]["name"][:4], row["name"][3:7], row["uscc"][8:14]]
    return list(dict.fromkeys(queries))


def search_probe(site: Path) -> dict[str, Any]:
    """Bytes fetched for one query (Material's index of the other pages, which a visitor fetches once, plus the
    enterprise index files of that query), over queries of each kind: a product word, an industry word, part of a
    name, a USCC fragment, a word every enterprise has. The search worker runs under Node (benchmarks/search_probe.js)."""
    node = shutil.which("node")
    if node is None:
        return {}
    queries = search_queries(site)
    worker = ROOT / "docs" / "assets" / "javascripts" / "workers" / "ipreg-search.js"
    done = subprocess.run([node, str(ROOT / "benchmarks" / "search_probe.js"), str(worker), str(site)], input=json.dumps(queries),
                          capture_output=True, text=True, timeout=600, check=True)
    found = json.loads(done.stdout)
    fixed = (site / "search" / "search_index.json").stat().st_size
    sizes = sorted(fixed + v["bytes"] for v in found.values())
    return {"index_kb": fixed / 1024, "query_kb_median": sizes[len(sizes) // 2] / 1024, "query_kb_max": sizes[-1] / 1024,
            "queries": len(sizes)}


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time (its own peak memory); an odd count keeps it one real run."""
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def bench(count: int, build: bool, errors: float, repeat: int = 1, shape: str = "batches", industries: int | None = None,
          compare: bool = True, build_repeat: int | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"n": count, "shape": shape + (f"/{industries}" if industries else "")}
    with tempfile.TemporaryDirectory(prefix=f"ipreg-bench-{count}-") as tmp:
        base = Path(tmp)
        repo = scratch(base / "repo", count, errors, shape, industries)
        time.sleep(2.5)  # as in a real checkout, the files are older than the cache's 2-second window for fresh time stamps
        files = sorted(str(p) for p in (repo / "records").glob("*.yaml"))
        row["record_kb"] = round(sum(Path(f).stat().st_size for f in files) / len(files) / 1024, 1)
        command = [str(BIN / "ipreg"), "check", "--today", TODAY, "--format", "json"]
        colds = [measure(command, repo, {"IPREG_CACHE_DIR": str(base / f"cache-{i}")}) for i in range(repeat)]  # cold: no cache yet
        check = median_run(colds)  # one run is a few per cent off either way on a quiet machine
        cache = {"IPREG_CACHE_DIR": str(base / f"cache-{repeat - 1}")}  # not the user's cache folder; the last cold run's
        one = Path(files[len(files) // 2])
        original = one.read_text(encoding="utf-8")
        forms = {  # each run after changing (or restoring) one file: the whole registry as text and as JSON, and the file alone
            "warm_s": [str(BIN / "ipreg"), "check", "--today", TODAY],
            "warm_json_s": command,
            "warm_one_s": [str(BIN / "ipreg"), "check", "--today", TODAY, f"records/{one.name}"],
        }
        edits = 0
        for key, form in forms.items():
            runs = []
            for _ in range(repeat):
                edits += 1
                changed = original.replace("legal_person: true", "legal_person: false") if edits % 2 else original
                one.write_text(changed, encoding="utf-8")
                runs.append(measure(form, repo, cache))
            row[key] = median_run(runs).seconds
        one.write_text(original, encoding="utf-8")
        row.update(check_cpu_s=check.cpu_s, check_runs=[round(r.seconds, 2) for r in colds])
        row.update(check_s=check.seconds, check_mb=check.peak_mb)
        if compare:
            cjs = measure([str(BIN / "check-jsonschema"), "--schemafile", str(ROOT / "schemas/enterprise.schema.json"), *files], repo)
            row.update(cjs_s=cjs.seconds, cjs_mb=cjs.peak_mb, ratio=cjs.seconds / check.seconds, cjs_cpu_s=cjs.cpu_s,
                       cpu_ratio=cjs.cpu_s / check.cpu_s if check.cpu_s else None)
        if build:
            good = scratch(base / "good", count, 0.0, shape, industries)
            plain = plain_mkdocs_tree(good, base / "plain")
            builds, plains = [], []
            for _ in range(build_repeat or repeat):  # alternately, so that a slow spell of the machine hits both
                builds.append(measure([str(BIN / "ipreg"), "build", "--today", TODAY], good))
                plains.append(measure([str(BIN / "mkdocs"), "build", "-q", "-d", str(base / "plain-site")], plain))
                assert plains[-1].returncode == 0, "plain mkdocs build failed"
            built, mk = median_run(builds), median_run(plains)
            row["build_ratios"] = [round(b.seconds / m.seconds, 3) for b, m in zip(builds, plains, strict=True)]
            site = good / "site"
            row.update(build_s=built.seconds, build_mb=max(b.peak_mb for b in builds), build_ok=all(b.returncode == 0 for b in builds),
                       site_mb=folder_size(site) / 2**20)
            row.update(search_probe(site))
            pages = sorted((site / "enterprises").glob("*/index.html"))
            row["page_kb"] = max(p.stat().st_size for p in pages) / 1024 if pages else 0
            row.update(mkdocs_s=mk.seconds, mkdocs_mb=mk.peak_mb, overhead=built.seconds / mk.seconds)
    return row


BEGIN, END = "<!-- 由 benchmarks/run.py 生成 -->", "<!-- 生成结束 -->"


def table(rows: list[dict[str, Any]]) -> str:
    def f(value: object, digits: int = 2) -> str:
        return f"{value:.{digits}f}" if isinstance(value, float) else str(value)

    lines = [
        (
            "| 形状 | 记录数 | 平均大小 KB | ipreg check s（冷） | 峰值 MB "
            "| 改一个文件后再查 s：全部（文本） | 全部（JSON） | 只查这个文件 "
            "| check-jsonschema s | 峰值 MB | 倍数 | CPU 倍数 | ipreg build s | 峰值 MB | 站点 MB | 每千家 MB | 搜索一次 KB（中位/最多） "
            "| 最大企业页 KB | 纯 mkdocs build s | build/mkdocs | 各次之比 |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        per_thousand = float(r["site_mb"]) / int(r["n"]) * 1000 if "site_mb" in r else None
        query = f"{r['query_kb_median']:.0f} / {r['query_kb_max']:.0f}" if "query_kb_max" in r else "—"
        lines.append(
            "| "
            + " | ".join(
                f(x)
                for x in (
                    r.get("shape", "batches"),
                    r["n"],
                    r["record_kb"],
                    r["check_s"],
                    r["check_mb"],
                    r["warm_s"],
                    r.get("warm_json_s", "—"),
                    r.get("warm_one_s", "—"),
                    r.get("cjs_s", "—"),
                    r.get("cjs_mb", "—"),
                    r.get("ratio", "—"),
                    r.get("cpu_ratio") or "—",
                    r.get("build_s", "—"),
                    r.get("build_mb", "—"),
                    r.get("site_mb", "—"),
                    per_thousand if per_thousand is not None else "—",
                    query,
                    r.get("page_kb", "—"),
                    r.get("mkdocs_s", "—"),
                    r.get("overhead", "—"),
                    " / ".join(f"{x:.2f}" for x in r.get("build_ratios", ())) or "—",
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--build-up-to", type=int, default=10000, help="skip the site build above this size")
    parser.add_argument("--errors", type=float, default=0.05, help="share of invalid records for the check runs")
    parser.add_argument("--write", type=Path, help="also write the Markdown table to this file")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the warm re-check and of each build (medians are reported)")
    parser.add_argument("--from-json", type=Path, help="measure nothing: print (and --write) the table of a saved --json file")
    parser.add_argument(
        "--shape",
        choices=("batches", "spread"),
        default="batches",
        help="batches: decisions on a few dates a year; spread: filing dates over 900 days, 3-20 patents",
    )
    parser.add_argument("--industries", type=int, default=None, help="number of industries (1: every record in one industry)")
    parser.add_argument("--no-compare", action="store_true", help="skip check-jsonschema (for the largest sizes)")
    parser.add_argument("--build-repeat", type=int, default=None, help="runs of each build (default: --repeat)")
    args = parser.parse_args()
    rows = json.loads(args.from_json.read_text(encoding="utf-8")) if args.from_json else []
    for size in () if args.from_json else (int(s) for s in args.sizes.split(",")):
        rows.append(
            bench(
                size,
                size <= args.build_up_to,
                args.errors,
                args.repeat,
                args.shape,
                args.industries,
                not args.no_compare,
                args.build_repeat,
            )
        )
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    machine = (
        f"{platform.processor() or platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，{platform.platform()}"
    )
    text = table(rows)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.write:
        shape = f" --shape {args.shape}" + (f" --industries {args.industries}" if args.industries else "")
        block = (
            f"{BEGIN}\n机器：{machine}\n\n命令：`.venv/bin/python -m benchmarks.run --sizes {args.sizes} --repeat {args.repeat}{shape} "
            f"--write {args.write}`\n\n{text}{END}\n"
        )
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        if BEGIN in old and END in old:  # keep the hand-written text around the generated block
            block = old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) + 1 :]
        args.write.write_text(block, encoding="utf-8")


if __name__ == "__main__":
    main()
