"""Docs follow the code: every rule id and status is documented; samples cover every status."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generator.inputs import discover
from generator.lifecycle import STATUSES
from generator.loader import load_file
from generator.model import EVENT_TYPES, HONOR_TYPES
from generator.policy import default_policy
from generator.registry import build_registry
from generator.rules import CATALOGUE
from generator.rules.eligibility import RULES
from tests.helpers import ROOT, SAMPLES

REFERENCE_DAY = date(2026, 11, 25)  # the README's reference date


def test_every_rule_and_status_is_documented() -> None:
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert [r.id for r in RULES if f"`{r.id}`" not in text] == []
    assert [s for s in STATUSES if f"`{s}`" not in text] == []


def _sample_registry():  # type: ignore[no-untyped-def]
    files, notes = discover([str(SAMPLES / "records")])
    assert notes == []
    return build_registry([load_file(p, d) for p, d in files], default_policy(), REFERENCE_DAY)


def test_samples_cover_everything_on_the_reference_date() -> None:
    registry = _sample_registry()
    assert len(registry.entries) >= 12 and registry.errors == 0
    records = [r for r, _ in registry.records()]
    assert Counter(st.status for _, st in registry.records()).keys() == set(STATUSES)
    assert {r.category for r in records} == {"advantage", "reserve"}
    assert {h.type for r in records for h in r.honors} == set(HONOR_TYPES)
    assert {e.type for r in records for e in r.events} == set(EVENT_TYPES)
    assert all("示例" in r.name for r in records)


@pytest.mark.parametrize("day", [date(2026, 12, 31), date(2027, 1, 1), date(2027, 6, 30)])
def test_sample_records_pass_on_later_days_too(day: date) -> None:
    """The evaluation date is never today: the samples stay free of errors across the new year."""
    files, _ = discover([str(SAMPLES / "records")])
    registry = build_registry([load_file(p, d) for p, d in files], default_policy(), day)
    assert registry.errors == 0, [f for f in registry.findings if f.severity == "error"]


def test_readme_names_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site" in text and "make test" in text and Path(ROOT / "Makefile").exists()


def test_rule_table_is_generated_from_the_catalogue() -> None:
    """docs/checks.md shows each rule's id, article, severity and summary exactly as declared, in the order of
    ``eligibility.RULES`` (the catalogue's own rules, then the eligibility rules in the order of evaluation)."""
    from generator.labels import SEVERITY_ZH

    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    values = default_policy().first.values()
    rows = [f"| `{rule.id}` | {rule.article or '—'} | {SEVERITY_ZH[rule.severity]} | {rule.describe(values)} |" for rule in RULES]
    assert [row for row in rows if row not in text] == []
    assert sorted(rows, key=text.index) == rows


def test_rule_summaries_take_their_numbers_from_the_policy() -> None:
    from dataclasses import replace

    policy = replace(default_policy().first, revenue_min=5_000_000, operating_years=5, ban_years=2, review_early_days=60)
    assert "5,000,000 元" in CATALOGUE["art5.revenue"].describe(policy.values())
    assert "5 年" in CATALOGUE["art4.operating-years"].describe(policy.values()) and "2 年" in CATALOGUE["art8.ban"].describe(
        policy.values()
    )
    assert "60 天" in CATALOGUE["art8.early-review"].describe(policy.values())
