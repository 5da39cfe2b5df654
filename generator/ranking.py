"""Art. 5(3) ranking within an industry, without comparing every pair of records.

For an evaluation date D, each record of the industry is measured once (invention patents
granted in the last N years up to D; valid patents at the end of D's previous year) and the
sorted figures are kept, so every record evaluated on the same D is ranked by bisection.
Decisions come in batches (one notice files many enterprises), so distinct dates are few.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from generator.dates import anniversary, within_last_years
from generator.model import Record


def metrics(record: Record, on: date, lookback: int) -> tuple[int, int]:
    """(invention patents granted in the last ``lookback`` years up to ``on``, valid patents at the end of last year)."""
    year_end = date(on.year - 1, 12, 31)
    recent = sum(p.type == "invention" and within_last_years(p.granted, lookback, on) for p in record.patents)
    return recent, sum(p.valid_on(year_end) for p in record.patents)


@dataclass(frozen=True)
class RankInput:
    """What the ranking needs of one record (small enough to cache): its industry, D and patents."""

    key: str  # file name: unique within a registry
    industry_code: str
    industry_name: str
    on: date
    inventions: tuple[date, ...]  # grant dates of invention patents, sorted
    patents: tuple[tuple[date, date | None], ...]  # (granted, ended) of every patent
    line: int  # where the ranking note points (the industry key)
    column: int

    @classmethod
    def of(cls, record: Record, on: date) -> RankInput:
        line, column = record.positions.key_at(("industry",))
        return cls(record.file, record.industry_code, record.industry_name, on,
                   tuple(sorted(p.granted for p in record.patents if p.type == "invention")),
                   tuple((p.granted, p.ended) for p in record.patents), line, column)


class _Figures:
    """One record's patents, indexed so each date costs a bisection instead of a scan."""

    def __init__(self, item: RankInput, lookback: int) -> None:
        self.item, self.lookback = item, lookback
        self.valid_at_year_end: dict[int, int] = {}

    def at(self, on: date) -> tuple[int, int]:
        grants = self.item.inventions
        granted = bisect_right(grants, on)
        expired = bisect_right(grants, on, key=lambda g: anniversary(g, self.lookback))  # anniversary <= on
        year = on.year - 1
        if year not in self.valid_at_year_end:
            end = date(year, 12, 31)
            self.valid_at_year_end[year] = sum(g <= end and (e is None or end < e) for g, e in self.item.patents)
        return granted - min(expired, granted), self.valid_at_year_end[year]


@dataclass(frozen=True)
class Rank:
    peers: int  # records of the industry, this one included
    recent: int
    recent_rank: int
    valid: int
    valid_rank: int


@dataclass
class Ranking:
    lookback: int
    industries: dict[str, list[RankInput]] = field(default_factory=lambda: defaultdict(list))
    _figures: dict[str, _Figures] = field(default_factory=dict)
    _sorted: dict[tuple[str, date], tuple[list[int], list[int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[RankInput], lookback: int) -> Ranking:
        ranking = cls(lookback)
        for item in items:
            ranking.industries[item.industry_code].append(item)
        return ranking

    def _of(self, item: RankInput) -> _Figures:
        if item.key not in self._figures:
            self._figures[item.key] = _Figures(item, self.lookback)
        return self._figures[item.key]

    def rank(self, item: RankInput) -> Rank:
        key = (item.industry_code, item.on)
        if key not in self._sorted:
            figures = [self._of(peer).at(item.on) for peer in self.industries.get(item.industry_code, [item])]
            self._sorted[key] = (sorted(f[0] for f in figures), sorted(f[1] for f in figures))
        recent_sorted, valid_sorted = self._sorted[key]
        recent, valid = self._of(item).at(item.on)
        peers = len(recent_sorted)
        return Rank(peers, recent, 1 + peers - bisect_right(recent_sorted, recent), valid, 1 + peers - bisect_right(valid_sorted, valid))
