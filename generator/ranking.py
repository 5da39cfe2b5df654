"""Art. 5(3) ranking within an industry in O(n log n), whatever the number of distinct decision dates.

Two figures per record (invention patents granted in the last N years up to its evaluation date D; valid patents at
the end of D's previous year), each ranked among all records of the industry at the same D.

- Recent inventions: one sweep per industry over the members' dates in order. Each invention grant enters the
  window once (when D reaches it) and leaves once (when the window's start passes it), so every record's count changes
  only at those 2 × grants events; a Fenwick tree over the counts answers "how many peers have more" and "how many have
  the same" for each member at its own date. Before this, a peer list was sorted for every distinct date: quadratic in
  one industry with decisions spread over many days.
- Valid patents at a year's end: computed once per (industry, year) and ranked by bisection (years are few).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from generator.dates import ONE_DAY, anniversary
from generator.ids import patent_key
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


def window(on: date, years: int, calendar: bool = False) -> tuple[int, int]:
    """(after, upto) as ordinals: inventions granted in (after, upto] are "近 N 年" at ``on``: rolling, the N years up
    to ``on``; ``calendar`` (policy recent_years_mode), the N calendar years before ``on``'s year."""
    if calendar:
        return date(on.year - years, 1, 1).toordinal() - 1, date(on.year - 1, 12, 31).toordinal()
    return window_start(on, years).toordinal(), on.toordinal()


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
        patents = list({patent_key(p.number): p for p in reversed(record.patents)}.values())  # one written twice counts once
        return cls(record.file, record.industry_code, record.industry_name, on,
                   tuple(sorted(p.granted.toordinal() for p in patents if p.type == "invention")),
                   tuple(sorted(p.granted.toordinal() for p in patents)),
                   tuple(sorted(p.ended.toordinal() for p in patents if p.ended)), line, column)

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


def recent_ranks(members: list[RankInput], lookback: int, calendar: bool = False) -> dict[str, tuple[int, int, int]]:
    """key -> (recent inventions, rank, ties) of every member at its own date, by one sweep over the dates: ``peers[n]``
    counts the members with n inventions in the window as it moves (a member's figure changes by one per grant entering
    or leaving it), so a rank is the count of members above the figure."""
    events = sorted((g, i) for i, m in enumerate(members) for g in m.inventions)
    counts = [0] * len(members)
    peers = [0] * (max((len(m.inventions) for m in members), default=0) + 2)
    peers[0] = len(members)
    enter = leave = 0
    out: dict[str, tuple[int, int, int]] = {}
    for m in sorted(members, key=lambda m: m.on):
        threshold, on = window(m.on, lookback, calendar)  # both grow with m.on: one sweep
        while enter < len(events) and events[enter][0] <= on:
            i = events[enter][1]
            peers[counts[i]] -= 1
            counts[i] += 1
            peers[counts[i]] += 1
            enter += 1
        while leave < len(events) and events[leave][0] <= threshold:
            i = events[leave][1]
            peers[counts[i]] -= 1
            counts[i] -= 1
            peers[counts[i]] += 1
            leave += 1
        x = m.recent(on, threshold)
        out[m.key] = (x, 1 + sum(peers[x + 1:]), max(1, peers[x]))
    return out


@dataclass
class Ranking:
    lookback: int
    calendar: bool = False
    industries: dict[str, list[RankInput]] = field(default_factory=lambda: defaultdict(list))
    _recent: dict[str, dict[str, tuple[int, int, int]]] = field(default_factory=dict)
    _valid: dict[tuple[str, int], tuple[dict[str, int], list[int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[RankInput], lookback: int, calendar: bool = False) -> Ranking:
        ranking = cls(lookback, calendar)
        for item in items:
            ranking.industries[item.industry_code].append(item)
        return ranking

    def rank(self, item: RankInput) -> Rank:
        peers = self.industries.get(item.industry_code) or [item]
        found = None
        if item.industry_code in self.industries:
            if item.industry_code not in self._recent:
                self._recent[item.industry_code] = recent_ranks(peers, self.lookback, self.calendar)
            found = self._recent[item.industry_code].get(item.key)
        if found is None:  # an item that is not a member of the ranking: compared with the members at its own date
            threshold, on = window(item.on, self.lookback, self.calendar)
            figures = sorted(p.recent(on, threshold) for p in peers)
            x = item.recent(on, threshold)
            found = (x, 1 + len(figures) - bisect_right(figures, x), max(1, bisect_right(figures, x) - bisect_left(figures, x)))
        recent, recent_rank, recent_ties = found
        year = item.on.year - 1
        ykey = (item.industry_code, year)
        if ykey not in self._valid:
            end = date(year, 12, 31).toordinal()
            counts = {p.key: p.valid_at(end) for p in peers}
            self._valid[ykey] = (counts, sorted(counts.values()))
        counts, valid_sorted = self._valid[ykey]
        valid = counts.get(item.key, item.valid_at(date(year, 12, 31).toordinal()))
        n = len(peers)
        return Rank(n, recent, recent_rank, valid, 1 + n - bisect_right(valid_sorted, valid), recent_ties,
                    max(1, bisect_right(valid_sorted, valid) - bisect_left(valid_sorted, valid)))
