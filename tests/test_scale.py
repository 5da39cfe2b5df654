"""Scale paths give the same answers as the plain ones: parallel loading, ranking by bisection."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from benchmarks.synth import write_registry
from generator.cli import PARALLEL_FROM, discover, load_all
from generator.model import Patent
from generator.policy import default_policy
from generator.ranking import RankInput, _Figures, metrics
from generator.registry import build_registry
from generator.report import format_json

TODAY = date(2026, 11, 25)


def test_parallel_loading_gives_identical_findings(tmp_path: Path) -> None:
    repo = write_registry(tmp_path, PARALLEL_FROM + 20, errors=0.1, seed=3)
    files, notes = discover([str(repo / "records")])
    serial = build_registry(load_all(files, jobs=1), default_policy(), TODAY, notes)
    parallel = build_registry(load_all(files, jobs=2), default_policy(), TODAY, notes)
    assert serial.errors > 0
    assert format_json(serial) == format_json(parallel)


class _Rec:
    def __init__(self, patents: tuple[Patent, ...]) -> None:
        self.patents = patents


def _input(patents: tuple[Patent, ...], on: date) -> RankInput:
    return RankInput("f", "C35", "x", on, tuple(sorted(p.granted for p in patents if p.type == "invention")),
                     tuple((p.granted, p.ended) for p in patents), 1, 1)


def test_ranking_figures_by_bisection_match_the_definition() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        patents = tuple(
            Patent(i, "x", rng.choice(["invention", "utility_model", "design"]), "t", date(2015, 1, 1) + timedelta(days=rng.randrange(4000)),
                   date(2016, 1, 1) + timedelta(days=rng.randrange(4000)) if rng.random() < 0.3 else None, False)
            for i in range(rng.randrange(8)))
        on = date(2024, 2, 29) if rng.random() < 0.2 else date(2018, 1, 1) + timedelta(days=rng.randrange(3000))
        record = _Rec(patents)
        assert _Figures(_input(patents, on), 3).at(on) == metrics(record, on, 3)  # type: ignore[arg-type]
