"""All date arithmetic of the registry (ARCHITECTURE.md section 3).

A right valid for N years from day S is valid through the day before its N-th anniversary
(2024-03-15 + 3 years ends 2027-03-14). 29 February falls on 1 March in a year without it.
"""

from __future__ import annotations

from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def anniversary(d: date, n: int) -> date:
    """The same month and day ``n`` years later; 29 February becomes 1 March when needed."""
    year = d.year + n
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 3, 1)


def period_end(start: date, years: int) -> date:
    """Last day (inclusive) of a period of ``years`` years starting on ``start``."""
    return anniversary(start, years) - ONE_DAY


def at_least_years_before(x: date, years: int, d: date) -> bool:
    """"X is at least N years before D": anniversary(X, N) <= D."""
    return anniversary(x, years) <= d


def within_last_years(x: date, years: int, d: date) -> bool:
    """"X is within the last N years up to D": X <= D < anniversary(X, N)."""
    return x <= d < anniversary(x, years)


def parse_iso(text: str) -> date | None:
    """A strict YYYY-MM-DD date, or None."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
