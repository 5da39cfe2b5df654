"""Policy over time (ARCHITECTURE.md section 7): dated values in policy.yml, one accessor (``PolicyHistory.on``), a rule at D
with the values in force on D, a period with the value in force on the day it starts, and a revision that never
changes the findings of a record decided before it."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.lifecycle import replay
from generator.loader import load_text
from generator.model import Event
from generator.policy import Policy, PolicyError, PolicyHistory, default_policy, load_policy, policy_from_mapping
from generator.registry import build_registry
from tests.helpers import CASES, SAMPLES

BASE = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8")
FILE = "records/91411721MA00000154.yaml"
CHANGE = date(2028, 1, 1)
D = date.fromisoformat


def revised(**changes: tuple[Any, Any]) -> PolicyHistory:
    """Xiping's policy with each key changed on CHANGE: key=(value before, value from CHANGE)."""
    return policy_from_mapping({k: {"values": {"2018-01-01": a, CHANGE.isoformat(): b}} for k, (a, b) in changes.items()})


# every number of the measures, with a value before and one after the change
NUMBERS = {
    "validity_years": (3, 5), "reserve_validity_years": (3, 2), "review_notice_days": (90, 60), "review_early_days": (90, 30),
    "review_pending_years": (1, 2), "grace_years": (1, 2), "ban_years": (3, 5), "operating_years": (3, 5),
    "lookback_years": (3, 2), "finance_year_offset": (1, 1), "revenue_min": (3_000_000, 5_000_000),
    "patent_revenue_share_percent": (20, 30), "training_management_percent": (80, 90), "training_employees_percent": (60, 70),
    "review_submit_days": (30, 45),
}


@pytest.mark.parametrize("key", sorted(NUMBERS))
def test_the_value_on_a_day_is_that_of_the_latest_date_not_after_it(key: str) -> None:
    before, after = NUMBERS[key]
    policy = revised(**{key: (before, after)})
    assert getattr(policy.on(CHANGE - timedelta(days=1)), key) == before
    assert getattr(policy.on(CHANGE), key) == after
    assert getattr(policy.on(CHANGE + timedelta(days=1)), key) == after
    assert getattr(policy.on(date(2018, 1, 1)), key) == before
    assert getattr(policy.first, key) == before  # as loaded: the values in force at the start


def test_every_key_may_be_dated() -> None:
    """Each field of Policy accepts the dated form and keeps its plain value's type."""
    plain = default_policy()
    for f in fields(Policy):
        if f.name in ("dated", "references", "measures", "documents"):
            continue
        raw = {"values": {"2018-01-01": _raw(getattr(plain.first, f.name))}}
        assert getattr(policy_from_mapping({f.name: raw}).first, f.name) == getattr(plain.first, f.name), f.name


def _raw(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return value.isoformat()
    return int(value) if hasattr(value, "denominator") and value.denominator == 1 else value


def _revenue(revenue: int, filed: str, today: date, policy: PolicyHistory) -> str:
    text = BASE.replace("revenue: 5000000", f"revenue: {revenue}", 1).replace("patent_revenue: 1500000", "patent_revenue: 1200000", 1)
    text = text.replace("  - date: 2025-06-10\n    type: filed", f"  - date: {filed}\n    type: filed", 1)
    text = text.replace("  - year: 2024\n    revenue", f"  - year: {D(filed).year - 1}\n    revenue", 1)
    text = text.replace("  - year: 2024\n    management_rd_total", f"  - year: {D(filed).year - 1}\n    management_rd_total", 1)
    registry = build_registry([load_text(text, FILE)], policy, today)
    [outcome] = [o for o in registry.entries[0].outcomes if o.rule == "art5.revenue"]
    return "pass" if outcome.ok else outcome.message


@pytest.mark.parametrize(
    "filed,expected",
    [("2027-12-31", "pass"), ("2028-01-01", "2027年营业收入 4,000,000 元，低于 5,000,000 元"), ("2028-01-02", "低于 5,000,000 元")],
)
def test_a_threshold_raised_on_a_day_applies_from_that_day(filed: str, expected: str) -> None:
    policy = revised(revenue_min=(3_000_000, 5_000_000))
    result = _revenue(4_000_000, filed, date(2028, 6, 1), policy)
    assert result == "pass" if expected == "pass" else expected in result


def test_a_revision_never_changes_an_earlier_decision() -> None:
    """Filed in 2025 with 4,000,000 of revenue: lawful then, still without a finding after the 2028 threshold."""
    assert _revenue(4_000_000, "2025-06-10", date(2028, 6, 1), revised(revenue_min=(3_000_000, 5_000_000))) == "pass"


def _events(*pairs: tuple[str, str]) -> list[Event]:
    return [Event(i, D(day), kind) for i, (day, kind) in enumerate(pairs)]


@pytest.mark.parametrize("filed,term_end", [("2027-12-31", "2030-12-30"), ("2028-01-01", "2032-12-31"), ("2028-01-02", "2033-01-01")])
def test_a_term_takes_the_validity_in_force_on_its_first_day(filed: str, term_end: str) -> None:
    st_ = replay(_events((filed, "filed")), revised(validity_years=(3, 5)), date(2028, 6, 1))
    assert st_.term_end == D(term_end)


@pytest.mark.parametrize("failed,grace_until", [("2027-12-31", "2028-12-30"), ("2028-01-01", "2029-12-31")])
def test_a_grace_takes_the_years_in_force_on_the_failed_review(failed: str, grace_until: str) -> None:
    filed = (D(failed) - timedelta(days=3 * 365 + 10)).isoformat()
    st_ = replay(_events((filed, "filed"), (failed, "review_failed")), revised(grace_years=(1, 2)), date(2028, 6, 1))
    assert st_.grace_until == D(grace_until)


@pytest.mark.parametrize("revoked,ban_until", [("2027-12-31", "2030-12-30"), ("2028-01-01", "2032-12-31")])
def test_a_ban_takes_the_years_in_force_on_the_revocation(revoked: str, ban_until: str) -> None:
    st_ = replay(_events(("2026-01-05", "filed"), (revoked, "revoked")), revised(ban_years=(3, 5)), date(2028, 6, 1))
    assert st_.ban_until == D(ban_until)


@pytest.mark.parametrize("term_end_plus_one,deadline", [("2027-12-31", "2028-12-30"), ("2028-01-01", "2029-12-31")])
def test_the_review_window_takes_the_years_in_force_when_it_opens(term_end_plus_one: str, deadline: str) -> None:
    filed = D(term_end_plus_one).replace(year=D(term_end_plus_one).year - 3)
    st_ = replay(_events((filed.isoformat(), "filed")), revised(review_pending_years=(1, 2)), date(2028, 6, 1))
    assert st_.term_end == D(term_end_plus_one) - timedelta(days=1) and st_.review_deadline == D(deadline)


@settings(max_examples=25, deadline=None)
@given(
    revision=st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)),
    key=st.sampled_from(["revenue_min", "operating_years", "training_management_percent", "patent_revenue_share_percent"]),
)
def test_no_finding_of_a_record_evaluated_before_a_revision_changes(revision: date, key: str) -> None:
    """For the sample registry and a random revision date R: every record whose evaluation date is before R has
    exactly the findings it had without the revision."""
    raw = {p.name: p.read_bytes().decode("utf-8") for p in sorted((SAMPLES / "records").glob("*.yaml"))}
    loaded = [load_text(text, f"records/{name}") for name, text in raw.items()]
    today = date(2026, 11, 25)
    plain = default_policy()
    strict = {"revenue_min": 9_000_000, "operating_years": 12, "training_management_percent": 99, "patent_revenue_share_percent": 90}
    changed = policy_from_mapping({key: {"values": {"2018-01-01": _raw(getattr(plain.first, key)), revision.isoformat(): strict[key]}}})
    before, after = build_registry(loaded, plain, today), build_registry(loaded, changed, today)
    compared = 0
    for old, new in zip(before.entries, after.entries, strict=True):
        if old.record is not None and old.on is not None and old.on < revision:
            assert old.findings == new.findings, (old.file, revision, key)
            compared += 1
    assert compared > 0 or revision < date(2021, 1, 1)  # the samples have decisions from 2018 on


def test_dated_values_are_checked_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(
        "measures:\n  name: 办法\n  in_force: 2018-01-01\n"
        "revenue_min:\n  values: {2028-01-01: 5000000, 2018-01-01: 3000000}\n"
        "ban_years:\n  values: {2019-01-01: 3}\n"
        "grace_years:\n  values: {2018-01-01: 1, 2028-01-01: 两年}\n"
        "validity_years:\n  value: 3\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    text = str(caught.value)
    assert "revenue_min.values 的日期应从早到晚排列" in text
    assert "ban_years.values 的第一个日期 2019-01-01 晚于办法施行日期 2018-01-01" in text
    assert "validity_years：按日期变化的值写作" in text
    path.write_text("grace_years:\n  values: {2018-01-01: 1, 2028-01-01: 两年}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert "保留资格期（年）（grace_years） 应为整数" in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_the_policy_page_shows_the_version_in_force_and_lists_the_others() -> None:
    from generator.policy import Measures
    from generator.site.pages import policy_pages

    v1 = Measures("办法", "西市监〔2018〕1号", D("2018-01-01"), D("2018-01-01"), "texts/a.txt")
    v2 = Measures("办法（2026年修订）", "西市监〔2026〕9号", D("2026-03-01"), D("2026-04-01"), "texts/b.txt")
    v3 = Measures("办法（2028年修订）", "西市监〔2027〕40号", D("2027-10-01"), D("2028-01-01"), "texts/c.txt")
    text = "第一章 总则\n第一条 为了示例。\n"
    pages = policy_pages([(v1, text), (v2, text), (v3, text)], D("2026-11-25"))
    assert sorted(pages) == ["policy.md", "policy/2018-01-01.md", "policy/2028-01-01.md"]
    main = pages["policy.md"]
    assert "# 政策原文：办法（2026年修订）" in main and "<strong>现行有效</strong>：《办法（2026年修订）》（西市监〔2026〕9号）" in main
    assert "<time>2026-04-01</time> 起施行" in main
    earlier = '<a href="policy/2018-01-01/">《办法》（西市监〔2018〕1号）</a>，<time>2018-01-01</time> 至 <time>2026-03-31</time> 施行'
    assert earlier + "，已废止" in main
    assert '已公布、尚未施行：<a href="policy/2028-01-01/">《办法（2028年修订）》' in main
    assert "# 办法（已废止）" in pages["policy/2018-01-01.md"] and "施行至 <time>2026-03-31</time>" in pages["policy/2018-01-01.md"]
    assert "# 办法（2028年修订）（尚未施行）" in pages["policy/2028-01-01.md"]
    on_the_day = policy_pages([(v1, text), (v2, text)], D("2026-04-01"))["policy.md"]
    assert "现行有效</strong>：《办法（2026年修订）》" in on_the_day
    day_before = policy_pages([(v1, text), (v2, text)], D("2026-03-31"))["policy.md"]
    assert "现行有效</strong>：《办法》" in day_before and "已公布、尚未施行" in day_before


def test_a_finding_cites_the_article_of_the_version_in_force() -> None:
    """A version that renumbered Art. 5: a record evaluated under it cites the new article."""
    measures = {"name": "办法", "in_force": "2018-01-01",
                "versions": [{"name": "办法（修订）", "in_force": "2025-01-01", "articles": {"art5.revenue": "第六条第五项"}}]}
    policy = policy_from_mapping({"measures": measures})
    text = BASE.replace("revenue: 5000000", "revenue: 2000000", 1).replace("patent_revenue: 1500000", "patent_revenue: 900000", 1)
    registry = build_registry([load_text(text, FILE)], policy, date(2026, 11, 25))
    [finding] = [f for f in registry.findings if f.rule == "art5.revenue"]
    assert finding.article == "第六条第五项"
    before = text.replace("  - date: 2025-06-10\n    type: filed", "  - date: 2024-06-10\n    type: filed", 1)
    before = before.replace("  - year: 2024\n    revenue", "  - year: 2023\n    revenue", 1)
    registry = build_registry([load_text(before, FILE)], policy, date(2026, 11, 25))
    assert [f.article for f in registry.findings if f.rule == "art5.revenue"] == ["第五条第五项"]


def test_the_ranking_note_honours_calendar_years() -> None:
    """recent_years_mode calendar reads 近三年 as the three calendar years before D's year, in the ranking note too."""
    from generator.ranking import Ranking, RankInput
    from generator.rules.art5 import ranking_words

    def member(key: str, *grants: str) -> RankInput:
        days = tuple(sorted(D(g).toordinal() for g in grants))
        return RankInput(key, "C35", "专用设备制造业", D("2026-06-10"), days, days, (), 1, 1)

    a = member("a", "2026-01-05", "2026-02-01")  # this year: rolling only
    b = member("b", "2023-03-01", "2023-04-01", "2023-05-01")  # before the rolling window, inside 2023-2025
    rolling, calendar = Ranking.of([a, b], 3), Ranking.of([a, b], 3, calendar=True)
    assert (rolling.rank(a).recent, rolling.rank(b).recent) == (2, 0)
    assert (calendar.rank(a).recent, calendar.rank(b).recent) == (0, 3)
    assert "2023—2025 年发明专利授权 3 件，排第 1" in ranking_words(b, calendar.rank(b), 3, calendar=True)
    assert "近 3 年发明专利授权 0 件" in ranking_words(b, rolling.rank(b), 3)


STRICT = {  # a value under which the sample record (filed 2025-06-10) fails the rule
    "art4.operating-years": ("operating_years", 3, 20),
    "art5.revenue": ("revenue_min", 3_000_000, 9_000_000),
    "art5.patent-revenue-share": ("patent_revenue_share_percent", 20, 90),
    "art5.training-management": ("training_management_percent", 80, 99),
    "art5.training-employees": ("training_employees_percent", 60, 99),
}


@pytest.mark.parametrize("rule", sorted(STRICT))
@pytest.mark.parametrize("change,applies", [("2025-06-09", True), ("2025-06-10", True), ("2025-06-11", False)])
def test_every_threshold_applies_from_its_day(rule: str, change: str, applies: bool) -> None:
    """Each rule at D = 2025-06-10 under a threshold changed the day before, on D, or the day after."""
    key, before, after = STRICT[rule]
    policy = policy_from_mapping({key: {"values": {"2018-01-01": before, change: after}}})
    registry = build_registry([load_text(BASE, FILE)], policy, date(2026, 11, 25))
    failed = [o for o in registry.entries[0].outcomes if o.rule == rule and o.ok is False]
    assert bool(failed) == applies, (rule, change)
