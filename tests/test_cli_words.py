"""What the command line says in a clerk's words (issue 40): the window of the new deadlines ``ipreg diff`` lists."""

from __future__ import annotations

from datetime import date, timedelta

from generator.loader import load_bytes
from generator.policy import default_policy
from generator.registry import Registry, build_registry
from generator.staff.changes import Diff, _new_deadlines, format_markdown, format_text
from tests.helpers import SAMPLES

UNDER_REVIEW = "91411721MA45A0038J"  # its review deadline (2027-06-14) is 201 days after 2026-11-25


def _registry(today: date, with_records: bool = True) -> Registry:
    files = sorted((SAMPLES / "records").glob("*.yaml")) if with_records else []
    return build_registry([load_bytes(f.read_bytes(), f"records/{f.name}") for f in files], default_policy(), today)


def test_new_deadlines_are_only_those_inside_the_window() -> None:
    today = date(2026, 11, 25)
    window = default_policy().on(today).review_notice_days
    found = _new_deadlines(_registry(today, with_records=False), _registry(today), window)
    assert found and all(date.fromisoformat(d["date"]) <= today + timedelta(days=window) for d in found)
    assert UNDER_REVIEW not in {d["uscc"] for d in found}  # under review, but its deadline is further than the window


def test_the_deadline_heading_says_the_window_and_its_last_day() -> None:
    diff = Diff(base="HEAD~1", today="2026-11-25", entered=[], left=[], changed=[], records=[], window=90,
                deadlines=[{"date": "2027-01-19", "kind": "review_deadline", "name": "甲公司", "uscc": "91411721MA45A002XJ"}])
    markdown, text = format_markdown(diff), format_text(diff)
    for shown in (markdown, text):
        assert "到 2027-02-23 为止" in shown and "2026-11-25 起 90 天内" in shown and "review_notice_days" in shown
    assert "90 天内新增的期限" not in markdown
