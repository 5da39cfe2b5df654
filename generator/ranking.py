"""Art. 5(3) ranking within an industry, without comparing every pair of records.

For an evaluation date D, the figures of every record of the industry (invention patents
granted in the last N years up to D; valid patents at the end of D's previous year) are
computed once, by bisection on each record's sorted grant dates, and kept sorted, so each
record evaluated on the same D is ranked by bisection too. Decisions come in batches (one
notice files many enterprises), so the distinct dates, and the work, stay small.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from generator.dates import ONE_DAY, anniversary
from generator.model import Record


def window_start(on: date, years: int) -> date:
    """The last day X with anniversary(X, years) <= on: grants up to it are out of the window."""
    try:
        candidate = on.replace(year=on.year - years)
    except ValueError:  # 29 February: the same day does not exist N years earlier
        candidate = date(on.year - years, 2, 28)
    while anniversary(candidate + ONE_DAY, years) <= on:  # 29 February rolls to 1 March
        candidate += ONE_DAY
    return candidate


@dataclass(frozen=True)
class RankInput:
    """What the ranking needs of one record (small enough to cache). Dates are ordinals."""

    key: str  # file name: unique within a registry
    industry_code: str
    industry_name: str
    on: date
    inventions: tuple[int, ...]  # grant dates of invention patents, sorted
    granted: tuple[int, ...]  # grant dates of all patents, sorted
    ended: tuple[int, ...]  # end dates of the patents that ended, sorted
    line: int  # where the ranking note points (the industry key)
    column: int

    @classmethod
    def of(cls, record: Record, on: date) -> RankInput:
        line, column = record.positions.key_at(("industry",))
        return cls(record.file, record.industry_code, record.industry_name, on,
                   tuple(sorted(p.granted.toordinal() for p in record.patents if p.type == "invention")),
                   tuple(sorted(p.granted.toordinal() for p in record.patents)),
                   tuple(sorted(p.ended.toordinal() for p in record.patents if p.ended)), line, column)

    def recent(self, on: int, threshold: int) -> int:
        return bisect_right(self.inventions, on) - bisect_right(self.inventions, threshold)

    def valid_at(self, day: int) -> int:
        """Patents granted on or before ``day`` that had not ended by then (an end is never before its grant)."""
        return bisect_right(self.granted, day) - bisect_right(self.ended, day)


@dataclass(frozen=True)
class Rank:
    peers: int  # records of the industry, this one included
    recent: int
    recent_rank: int
    valid: int
    valid_rank: int
    recent_ties: int = 1  # peers with the same figure, this one included
    valid_ties: int = 1


@dataclass
class Ranking:
    lookback: int
    industries: dict[str, list[RankInput]] = field(default_factory=lambda: defaultdict(list))
    _recent: dict[tuple[str, date], list[int]] = field(default_factory=dict)
    _valid: dict[tuple[str, int], tuple[dict[str, int], list[int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[RankInput], lookback: int) -> Ranking:
        ranking = cls(lookback)
        for item in items:
            ranking.industries[item.industry_code].append(item)
        return ranking

    def rank(self, item: RankInput) -> Rank:
        peers = self.industries.get(item.industry_code) or [item]
        on, threshold = item.on.toordinal(), window_start(item.on, self.lookback).toordinal()
        key = (item.industry_code, item.on)
        if key not in self._recent:
            self._recent[key] = sorted([p.recent(on, threshold) for p in peers])
        year = item.on.year - 1
        ykey = (item.industry_code, year)
        if ykey not in self._valid:
            end = date(year, 12, 31).toordinal()
            counts = {p.key: p.valid_at(end) for p in peers}
            self._valid[ykey] = (counts, sorted(counts.values()))
        recent_sorted = self._recent[key]
        counts, valid_sorted = self._valid[ykey]
        recent = item.recent(on, threshold)
        valid = counts.get(item.key, item.valid_at(date(year, 12, 31).toordinal()))
        n = len(recent_sorted)
        return Rank(n, recent, 1 + n - bisect_right(recent_sorted, recent), valid, 1 + n - bisect_right(valid_sorted, valid),
                    max(1, bisect_right(recent_sorted, recent) - bisect_left(recent_sorted, recent)),
                    max(1, bisect_right(valid_sorted, valid) - bisect_left(valid_sorted, valid)))
