"""The one date helper: anniversaries and inclusive period ends (ARCHITECTURE.md section 3)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.dates import anniversary, at_least_years_before, parse_iso, period_end, within_last_years


@pytest.mark.parametrize("start,years,end", [
    (date(2024, 3, 15), 3, date(2027, 3, 14)),
    (date(2024, 2, 29), 3, date(2027, 2, 28)),
    (date(2025, 3, 1), 3, date(2028, 2, 29)),
    (date(2024, 2, 29), 4, date(2028, 2, 28)),
    (date(2024, 1, 1), 1, date(2024, 12, 31)),
    (date(2023, 12, 31), 1, date(2024, 12, 30)),
])
def test_period_end(start: date, years: int, end: date) -> None:
    assert period_end(start, years) == end


def test_anniversary_leap_day_rolls_to_march_first() -> None:
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_phrases() -> None:
    d = date(2026, 3, 1)
    assert at_least_years_before(date(2023, 3, 1), 3, d)
    assert not at_least_years_before(date(2023, 3, 2), 3, d)
    assert within_last_years(date(2023, 3, 2), 3, d)
    assert not within_last_years(date(2023, 3, 1), 3, d)
    assert not within_last_years(date(2026, 3, 2), 3, d)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 10))
def test_period_is_n_years_long(start: date, years: int) -> None:
    end = period_end(start, years)
    assert start < end
    assert 365 * years - 1 <= (end - start).days <= 366 * years


@pytest.mark.parametrize("text,ok", [("2024-02-29", True), ("2023-02-29", False), ("2024-2-9", False), ("20240229", False)])
def test_parse_iso(text: str, ok: bool) -> None:
    assert (parse_iso(text) is not None) is ok
