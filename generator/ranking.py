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


class _Figures:
    """One record's patents, indexed so each date costs a bisection instead of a scan."""

    def __init__(self, record: Record, lookback: int) -> None:
        self.grants = sorted(p.granted for p in record.patents if p.type == "invention")
        self.lookback = lookback
        self.patents = record.patents
        self.valid_at_year_end: dict[int, int] = {}

    def at(self, on: date) -> tuple[int, int]:
        granted = bisect_right(self.grants, on)
        expired = bisect_right(self.grants, on, key=lambda g: anniversary(g, self.lookback))  # anniversary <= on
        year = on.year - 1
        if year not in self.valid_at_year_end:
            year_end = date(year, 12, 31)
            self.valid_at_year_end[year] = sum(p.valid_on(year_end) for p in self.patents)
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
    industries: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    _figures: dict[str, _Figures] = field(default_factory=dict)
    _sorted: dict[tuple[str, date], tuple[list[int], list[int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[Record], lookback: int) -> Ranking:
        ranking = cls(lookback)
        for record in records:
            ranking.industries[record.industry_code].append(record)
        return ranking

    def _of(self, record: Record) -> _Figures:
        key = f"{record.file}\0{record.uscc}"
        if key not in self._figures:
            self._figures[key] = _Figures(record, self.lookback)
        return self._figures[key]

    def rank(self, record: Record, on: date) -> Rank:
        key = (record.industry_code, on)
        if key not in self._sorted:
            figures = [self._of(r).at(on) for r in self.industries.get(record.industry_code, [record])]
            self._sorted[key] = (sorted(f[0] for f in figures), sorted(f[1] for f in figures))
        recent_sorted, valid_sorted = self._sorted[key]
        recent, valid = self._of(record).at(on)
        peers = len(recent_sorted)
        return Rank(peers, recent, 1 + peers - bisect_right(recent_sorted, recent), valid, 1 + peers - bisect_right(valid_sorted, valid))
