"""A small smoke run of benchmarks/run.py (the real runs are on an idle machine, not in CI): every figure it reports is
measured, the build works on a synthetic registry, and the search probe fetches a few files per query."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.run import GNU_TIME, bench, table
from tests.helpers import required

pytestmark = pytest.mark.slow


def test_benchmark_smoke_run() -> None:
    required("GNU time (package time)", GNU_TIME if GNU_TIME.exists() else None)
    required("Node.js", shutil.which("node"))
    row = bench(30, True, 0.1, repeat=1, shape="spread", industries=2)
    for key in ("check_s", "warm_s", "warm_json_s", "warm_one_s", "cjs_s", "ratio", "build_s", "mkdocs_s", "site_mb",
                "index_kb", "query_kb_median", "query_kb_max", "page_kb"):
        assert isinstance(row[key], float) and row[key] > 0, key
    assert row["build_ok"] and row["queries"] >= 5  # distinct queries of each kind
    assert row["query_kb_max"] < 300  # Material's index of the other pages plus the enterprise files of one query
    text = table([row])
    assert text.count("\n") == 3 and "spread/2" in text


def test_the_services_floor_measures_each_stage(tmp_path: Path) -> None:
    """benchmarks/services.py --floor (issue 39): each stage timed on records without and with services, the services
    adding time to the door and to the whole check, the door including the events and the check including the door."""
    from benchmarks.run import scratch
    from benchmarks.services import floor

    plain = scratch(tmp_path / "plain", 20, 0.0, industries=1)
    served = scratch(tmp_path / "served", 20, 0.0, industries=1, services=20)
    figures = floor(plain, served, 20)
    for kind in ("without", "with"):
        assert 0 < figures[f"{kind}_events_us"] < figures[f"{kind}_load_us"] < figures[f"{kind}_check_us"], figures
    # what the services add, as shares of the check without them: timed on 20 records, so only what no busy machine flips
    assert figures["added_by_check_share"] > 0.1 and figures["added_by_load_share"] > 0.05, figures


def test_the_command_benchmark_writes_every_named_enterprise(tmp_path: Path) -> None:
    """benchmarks/services.py --command (issue 39: ipreg service for 500 enterprises under 10 s): both commands run to
    the end on the enterprises entitled that day and each named record gains its entry."""
    required("GNU time (package time)", GNU_TIME if GNU_TIME.exists() else None)
    from benchmarks.services import commands

    figures = commands(tmp_path / "command", 5, 15)
    assert figures["service_rc"] == 0 and figures["priority_rc"] == 0, figures
    assert figures["service_s"] > 0 and figures["priority_s"] > 0, figures
    written = [p.read_text(encoding="utf-8") for p in (tmp_path / "command" / "records").glob("*.yaml")]
    assert sum("知识产权培训" in text and "priority_support:" in text for text in written) == 5


def test_the_check_is_also_timed_against_the_revision_the_issue_was_filed_on(tmp_path: Path) -> None:
    """benchmarks/services.py --baseline REV (issue 39: "within 1.2× of today's time", today being the filing's
    revision): REV's tree comes from git archive, writes its own synthetic records and its code checks them; a revision
    that does not exist ends the run with git's reason, nothing timed."""
    required("GNU time (package time)", GNU_TIME if GNU_TIME.exists() else None)
    from benchmarks.services import baseline, checks

    figures = checks(tmp_path, 12, 3, 0.0, 1, "HEAD")
    then = figures["baseline"]
    assert isinstance(then, dict) and then["rev"] == "HEAD" and then["seconds"] > 0 and then["ratio"] > 0, figures
    # the goal is judged against the revision: "ratio" and "met" are the baseline's, the services' own cost beside them
    assert (figures["against"], figures["ratio"], figures["goal"]) == ("HEAD", then["ratio"], 1.2), figures
    assert figures["met"] is (then["ratio"] <= 1.2) and figures["ratio_to_without"] > 0, figures
    assert len(list((tmp_path / "baseline" / "records").glob("*.yaml"))) == 12
    assert (tmp_path / "baseline-tree" / "generator" / "cli.py").is_file()
    assert not any("services:" in p.read_text(encoding="utf-8") for p in (tmp_path / "baseline" / "records").glob("*.yaml"))
    with pytest.raises(SystemExit, match="git archive no-such-revision"):
        baseline(tmp_path / "other", "no-such-revision", 3, 0.0)
