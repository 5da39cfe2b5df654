"""Scale paths give the same answers as the plain ones: parallel loading, ranking by bisection."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synth import write_registry
from generator.checking.reporters import format_json
from generator.checking.workers import PARALLEL_FROM, check_files
from generator.inputs import discover
from generator.loader import load_file
from generator.model import Patent
from generator.policy import default_policy
from generator.public import public_enterprise
from generator.ranking import RankInput, window_start
from generator.registry import assemble, build_registry
from generator.site import builder as site_build
from generator.site.builder import OpenData, SiteError, gather
from generator.site.content import enterprise_page
from generator.site.opendata import open_data, site_file_names, site_files

TODAY = date(2026, 11, 25)


@pytest.mark.slow
def test_parallel_and_compact_paths_give_identical_findings(tmp_path: Path) -> None:
    repo = write_registry(tmp_path, PARALLEL_FROM + 20, errors=0.1, seed=3)
    files, notes = discover([str(repo / "records")])
    policy = default_policy()
    plain = build_registry([load_file(p, d) for p, d in files], policy, TODAY, notes)
    assert plain.errors > 0
    for jobs in (1, 2):
        for keep in (False, True):
            other = assemble(check_files(files, policy, TODAY, jobs, keep_records=keep), policy, TODAY, notes)
            assert format_json(other) == format_json(plain), (jobs, keep)
            if keep:
                assert [s.status for _, s in other.records()] == [s.status for _, s in plain.records()]
        site = gather(files, policy, TODAY, notes, jobs)  # the build's path: pages rendered where records are checked
        assert format_json(site.registry) == format_json(plain), jobs
        expected = sorted((e for r, st in plain.records() if (e := public_enterprise(r, st, TODAY))), key=lambda e: e.uscc)
        assert site.items == expected and len(expected) > PARALLEL_FROM // 2
        assert site.pages == {f"enterprises/{e.uscc}.md": enterprise_page(e, TODAY) for e in expected}


@pytest.mark.slow
def test_open_data_made_on_the_side_equals_open_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write_registry(tmp_path, 30, errors=0.0, seed=4)
    files, notes = discover([str(repo / "records")])
    site = gather(files, default_policy(), TODAY, notes)
    assert site.registry.errors == 0 and site.items
    expected = site_files(site.items, TODAY, "https://x.invalid/")
    assert set(open_data(site.items, TODAY, "https://x.invalid/")) < set(expected)
    assert set(expected) == set(site_file_names(site.items, "https://x.invalid/"))
    assert OpenData(site.items, TODAY, "https://x.invalid/").result() == expected  # a forked child
    assert OpenData(site.items, TODAY, "https://x.invalid/", background=False).result() == expected  # mkdocs serve

    def broken(*args: object) -> dict[str, bytes]:
        raise ValueError("坏了")

    monkeypatch.setattr(site_build, "site_files", broken)
    with pytest.raises(SiteError, match="开放数据文件生成失败：ValueError: 坏了"):
        OpenData(site.items, TODAY, "https://x.invalid/").result()


class _Rec:
    def __init__(self, patents: tuple[Patent, ...]) -> None:
        self.patents = patents


def _input(patents: tuple[Patent, ...], on: date) -> RankInput:
    return RankInput(
        "f",
        "C35",
        "x",
        on,
        tuple(sorted(p.granted.toordinal() for p in patents if p.type == "invention")),
        tuple(sorted(p.granted.toordinal() for p in patents)),
        tuple(sorted(p.ended.toordinal() for p in patents if p.ended)),
        1,
        1,
    )


def metrics(record: Any, on: date, lookback: int) -> tuple[int, int]:
    """The definition (ARCHITECTURE.md section 4): invention patents granted in the last ``lookback`` years up to ``on``,
    and valid patents at the end of the previous year. The ranking computes the same by bisection."""
    from generator.dates import within_last_years

    year_end = date(on.year - 1, 12, 31)
    recent = sum(p.type == "invention" and within_last_years(p.granted, lookback, on) for p in record.patents)
    return recent, sum(p.valid_on(year_end) for p in record.patents)


def test_ranking_figures_by_bisection_match_the_definition() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        patents = tuple(
            Patent(
                i,
                "x",
                rng.choice(["invention", "utility_model", "design"]),
                "t",
                granted,
                granted + timedelta(days=rng.randrange(4000)) if rng.random() < 0.3 else None,
                False,
            )
            for i, granted in enumerate(date(2015, 1, 1) + timedelta(days=rng.randrange(4000)) for _ in range(rng.randrange(8)))
        )
        on = date(2024, 2, 29) if rng.random() < 0.2 else date(2018, 1, 1) + timedelta(days=rng.randrange(3000))
        record = _Rec(patents)
        item = _input(patents, on)
        figures = (item.recent(on.toordinal(), window_start(on, 3).toordinal()), item.valid_at(date(on.year - 1, 12, 31).toordinal()))
        assert figures == metrics(record, on, 3)


def test_window_start_is_the_last_day_out_of_the_window() -> None:
    from generator.dates import anniversary

    day = date(2018, 1, 1)
    while day < date(2030, 1, 1):
        start = window_start(day, 3)
        assert anniversary(start, 3) <= day < anniversary(start + timedelta(days=1), 3)
        day += timedelta(days=1)


def _check(repo: Path, cache: Path, *extra: str) -> str:
    from tests.helpers import ipreg

    result = ipreg(repo, "check", "--format", "json", "--today", "2026-11-25", *extra, env={"IPREG_CACHE_DIR": str(cache)})
    assert result.stderr == ""
    return result.stdout


@pytest.mark.slow
def test_cache_gives_the_output_of_a_full_check(tmp_path: Path) -> None:
    repo = write_registry(tmp_path / "repo", 60, errors=0.2, seed=11)
    cache = tmp_path / "cache"
    full = _check(repo, cache, "--no-cache")
    assert not cache.exists()
    assert _check(repo, cache) == full  # cold: computes and writes the cache
    assert len(list(cache.glob("check-*.cache"))) == 1
    assert _check(repo, cache) == full  # warm: everything from the cache
    one = sorted((repo / "records").glob("*.yaml"))[7]
    one.write_text(one.read_text(encoding="utf-8").replace("legal_person: true", "legal_person: false"), encoding="utf-8")
    changed = _check(repo, cache)
    assert changed != full and "art4.legal-person" in changed
    assert changed == _check(repo, cache, "--no-cache")
    # a patent of another record changes the ranking notes of its whole industry
    other = sorted((repo / "records").glob("*.yaml"))[20]
    text = other.read_text(encoding="utf-8")
    other.write_text(
        text.replace("    type: invention\n", "    type: invention\n", 1).replace("    granted: 20", "    granted: 19", 1), encoding="utf-8"
    )
    ranked = _check(repo, cache)
    assert ranked == _check(repo, cache, "--no-cache") and ranked != changed
    (cache / next(cache.glob("check-*.cache")).name).write_bytes(b"not a pickle")  # a damaged cache is rebuilt
    assert _check(repo, cache) == ranked


@pytest.mark.slow
def test_cache_on_the_hostile_corpus(tmp_path: Path) -> None:
    from tests.helpers import CASES, SAMPLES

    cache = tmp_path / "cache"
    policy = ("--policy", str(SAMPLES / "policy.yml"), ".")
    full = _check(CASES / "hostile", cache, "--no-cache", *policy)
    assert '"rule": "yaml.alias"' in full or '"rule":"yaml.alias"' in full
    assert _check(CASES / "hostile", cache, *policy) == full
    assert _check(CASES / "hostile", cache, *policy) == full


@pytest.mark.slow
def test_large_registry_pages_stay_light(tmp_path: Path) -> None:
    """The timeline's chart is a monthly SVG whatever the size (24 rows, counts that add up to the table), and the list
    is split into pages."""
    import re

    from generator.site.content import build_content
    from tests.helpers import ROOT

    repo = write_registry(tmp_path, 300, errors=0.0, seed=8)
    files, notes = discover([str(repo / "records")])
    site = gather(files, default_policy(), TODAY, notes)
    measures = (ROOT / "texts" / "measures.txt").read_text(encoding="utf-8")
    content = build_content(site.items, site.pages, TODAY, measures, {}, list_page_size=50)
    timeline = content.pages["timeline.md"]
    rows = timeline.count('<tr><td class="ipreg-primary">')
    chart = timeline[timeline.index("<figure") : timeline.index("</figure>")]
    assert len(chart) < 12_000 and "<script" not in chart
    labels = re.findall(r">(\d{4}-\d{2})</text>", chart)
    counts = [int(n) for n in re.findall(r'font-size="12">(\d+)</text>', chart)]
    assert len(labels) == 25 and sum(counts) == rows  # a row per month from today's to the horizon's, empty ones too
    listed = sum(e.status.listed for e in site.items)
    assert sorted(p for p in content.pages if p == "list.md" or p.startswith("list/")) == sorted(
        ["list.md"] + [f"list/{n}.md" for n in range(2, -(-listed // 50) + 1)]
    )
    small = build_content(site.items[:6], {f"enterprises/{e.uscc}.md": "" for e in site.items[:6]}, TODAY, measures, {})
    assert not any(p.startswith("list/") for p in small.pages)


@pytest.mark.slow
def test_compiled_schema_gate_agrees_with_jsonschema(tmp_path: Path) -> None:
    """schema_findings asks jsonschema-rs first and builds jsonschema's messages only when it says invalid:
    on the whole case corpus, synthetic records with errors and retyped values, both must give the same verdict."""
    import copy

    from generator.loader import load_bytes
    from generator.schema import ENTERPRISE_SCHEMA, fast_validator_for, validator_for
    from tests.helpers import CASES

    fast, slow = fast_validator_for(ENTERPRISE_SCHEMA), validator_for(ENTERPRISE_SCHEMA)
    repo = write_registry(tmp_path, 200, errors=0.5, seed=21)
    paths = sorted(CASES.rglob("*.yaml")) + sorted((repo / "records").glob("*.yaml"))
    documents = [d for d in (load_bytes(p.read_bytes(), p.name).data for p in paths) if d is not None]
    rng = random.Random(9)
    replacements = [None, "", "x", -1, 0, 10**12, 1.5, True, [], {}, ["x"], {"a": 1}, "2024-02-30", "2024-02-29", "1948-12-31"]
    for base in documents[:200]:
        for _ in range(10):
            doc = copy.deepcopy(base)
            node: Any = doc
            while isinstance(node, (dict, list)) and node and rng.random() < 0.7:
                key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
                if not isinstance(node[key], (dict, list)) or not node[key]:
                    node[key] = rng.choice(replacements)
                    break
                node = node[key]
            documents.append(doc)
    verdicts = [(fast.is_valid(d), not any(True for _ in slow.iter_errors(d))) for d in documents]
    assert len(documents) > 2000 and sum(v for v, _ in verdicts) > 100 and sum(not v for v, _ in verdicts) > 100
    assert [i for i, (a, b) in enumerate(verdicts) if a != b] == []


def _naive_rank(item: RankInput, peers: list[RankInput], lookback: int) -> tuple[int, int, int, int, int, int, int]:
    """The definition, pair by pair: how many peers have more (rank = 1 + that) and how many the same."""
    on, threshold = item.on.toordinal(), window_start(item.on, lookback).toordinal()
    end = date(item.on.year - 1, 12, 31).toordinal()
    recent, valid = item.recent(on, threshold), item.valid_at(end)
    r_all = [p.recent(on, threshold) for p in peers]
    v_all = [p.valid_at(end) for p in peers]
    return (
        len(peers),
        recent,
        1 + sum(x > recent for x in r_all),
        valid,
        1 + sum(x > valid for x in v_all),
        max(1, r_all.count(recent)),
        max(1, v_all.count(valid)),
    )


@pytest.mark.parametrize("industries,dates,seed", [(5, 40, 1), (1, 900, 2), (1, 1, 3), (3, 5, 4), (1, 60, 5)])
def test_sweep_ranking_equals_the_definition(industries: int, dates: int, seed: int) -> None:
    """Random registries (many industries, one industry, one shared date, ties, equal dates): the sweep gives the same
    figures, ranks and ties as comparing every pair."""
    from generator.ranking import Ranking

    rng = random.Random(seed)
    items = []
    for n in range(300):
        grants = sorted(date(2016, 1, 1).toordinal() + rng.randrange(3500) for _ in range(rng.randrange(0, 12)))
        inventions = tuple(g for g in grants if rng.random() < 0.6)
        ended = tuple(sorted(g + rng.randrange(1, 3000) for g in grants if rng.random() < 0.3))
        on = date(2022, 3, 1) + timedelta(days=rng.randrange(dates))
        if rng.random() < 0.05:
            on = date(2024, 2, 29)
        items.append(RankInput(f"f{n}", f"C{rng.randrange(industries)}", "x", on, inventions, tuple(grants), ended, 1, 1))
    ranking = Ranking.of(items, 3)
    for item in items:
        peers = ranking.industries[item.industry_code]
        r = ranking.rank(item)
        assert (r.peers, r.recent, r.recent_rank, r.valid, r.valid_rank, r.recent_ties, r.valid_ties) == _naive_rank(item, peers, 3)
    stranger = RankInput("g", "C0", "x", date(2023, 5, 5), (date(2022, 1, 1).toordinal(),), (date(2022, 1, 1).toordinal(),), (), 1, 1)
    r = ranking.rank(stranger)  # not a member: compared with the members at its own date
    assert (r.recent, r.recent_rank) == _naive_rank(stranger, ranking.industries["C0"], 3)[1:3]


@pytest.mark.parametrize("count,workers", [(400, 2), (10_000, 2), (10_000, 8), (50_000, 8), (417, 3)])
def test_chunks_cover_every_file_once_and_shrink_towards_the_end(count: int, workers: int) -> None:
    """The parallel check's chunks (guided scheduling): every file in exactly one chunk, in order; never more than
    MAX_CHUNK; never growing; the last ones small, so that no worker checks a big last chunk while the others wait
    (measured: 10,000 records with services, 2 workers, 0.3 s less of a 8.4 s check)."""
    from generator.checking.workers import MAX_CHUNK, MIN_CHUNK, chunk_bounds

    bounds = chunk_bounds(count, workers)
    assert [s for s, _ in bounds] == [0] + [e for _, e in bounds[:-1]] and bounds[-1][1] == count
    sizes = [e - s for s, e in bounds]
    assert max(sizes) <= MAX_CHUNK and sizes == sorted(sizes, reverse=True)
    assert sizes[-1] <= MIN_CHUNK and len(bounds) >= 2 * workers
