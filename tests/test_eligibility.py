"""Every eligibility rule at its threshold and one unit either side (D = 2025-06-10)."""

from __future__ import annotations

from datetime import date

import pytest

from generator.loader import load_text
from generator.policy import default_policy, policy_from_mapping
from generator.registry import build_registry
from generator.rules.base import Outcome
from tests.helpers import CASES

BASE = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 11, 25)
FILE = "records/91411721MA00000154.yaml"


def outcomes(rule: str, *replacements: tuple[str, str], policy: dict[str, object] | None = None) -> list[Outcome]:
    text = BASE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    pol = policy_from_mapping(policy) if policy else default_policy()
    registry = build_registry([load_text(text, FILE)], pol, TODAY)
    entry = registry.entries[0]
    assert entry.record is not None, registry.findings
    return [o for o in entry.outcomes if o.rule == rule]


def verdict(rule: str, *replacements: tuple[str, str], **kw: object) -> str:
    """'pass', 'error', 'warning' or 'info' for the rule's worst outcome."""
    found = outcomes(rule, *replacements, **kw)  # type: ignore[arg-type]
    assert found, rule
    failing = [o for o in found if o.ok is False]
    if failing:
        return "error" if any(o.effective_severity() == "error" for o in failing) else "warning"
    return "info" if any(o.severity == "info" for o in found) else "pass"


@pytest.mark.parametrize("revenue,expected", [(2_999_999, "error"), (3_000_000, "pass"), (3_000_001, "pass")])
def test_revenue_threshold(revenue: int, expected: str) -> None:
    assert verdict("art5.revenue", ("revenue: 5000000", f"revenue: {revenue}"), ("patent_revenue: 1500000", "patent_revenue: 900000")) == expected


def test_revenue_message_matches_contract() -> None:
    [o] = outcomes("art5.revenue", ("revenue: 5000000", "revenue: 2900000"), ("patent_revenue: 1500000", "patent_revenue: 900000"))
    assert o.message == "2024年营业收入 2,900,000 元，低于 3,000,000 元"


@pytest.mark.parametrize("patent_revenue,expected", [(999_999, "error"), (1_000_000, "pass"), (1_000_001, "pass")])
def test_patent_revenue_share_threshold(patent_revenue: int, expected: str) -> None:
    assert verdict("art5.patent-revenue-share", ("patent_revenue: 1500000", f"patent_revenue: {patent_revenue}")) == expected


@pytest.mark.parametrize("trained,expected", [(15, "error"), (16, "pass"), (17, "pass")])
def test_training_management_threshold(trained: int, expected: str) -> None:
    assert verdict("art5.training-management", ("management_rd_trained: 18", f"management_rd_trained: {trained}")) == expected


@pytest.mark.parametrize("trained,expected", [(59, "error"), (60, "pass"), (61, "pass")])
def test_training_employees_threshold(trained: int, expected: str) -> None:
    assert verdict("art5.training-employees", ("employees_trained: 70", f"employees_trained: {trained}")) == expected


def test_training_zero_total_is_an_error_not_a_crash() -> None:
    assert verdict("art5.training-management", ("management_rd_total: 20", "management_rd_total: 0"),
                   ("management_rd_trained: 18", "management_rd_trained: 0")) == "error"


@pytest.mark.parametrize("established,expected", [("2022-06-09", "pass"), ("2022-06-10", "pass"), ("2022-06-11", "error")])
def test_operating_years(established: str, expected: str) -> None:
    assert verdict("art4.operating-years", ("established: 2015-03-01", f"established: {established}")) == expected


def test_operating_years_leap_day_founding() -> None:
    # founded 2020-02-29: three years are complete on 2023-03-01
    text = ("established: 2015-03-01", "established: 2020-02-29")
    assert verdict("art4.operating-years", text, ("date: 2025-06-10", "date: 2023-03-01"), ("  - year: 2024\n    revenue", "  - year: 2022\n    revenue")) == "pass"
    assert verdict("art4.operating-years", text, ("date: 2025-06-10", "date: 2023-02-28")) == "error"


INFRINGEMENT = "  infringements:\n    - date: {}\n      kind: administrative\n      authority: 西平县市场监管局\n"


@pytest.mark.parametrize("day,expected", [("2022-06-09", "pass"), ("2022-06-10", "pass"), ("2022-06-11", "error"), ("2025-06-10", "error"), ("2025-06-11", "pass")])
def test_infringement_lookback(day: str, expected: str) -> None:
    assert verdict("art4.infringement", ("  infringements: []\n", INFRINGEMENT.format(day))) == expected


ABNORMAL = "  abnormal_patent_applications:\n    - notified: 2024-01-01\n{}"


@pytest.mark.parametrize("rectified,expected", [("      rectified: 2025-06-09\n", "pass"), ("      rectified: 2025-06-10\n", "pass"),
                                                ("      rectified: 2025-06-11\n", "error"), ("", "error")])
def test_abnormal_patent(rectified: str, expected: str) -> None:
    assert verdict("art4.abnormal-patent", ("  abnormal_patent_applications: []\n", ABNORMAL.format(rectified))) == expected


DISHONEST = "  dishonesty:\n    - list: 严重违法失信名单\n      listed: {}\n{}"


@pytest.mark.parametrize("listed,extra,expected", [
    ("2025-06-11", "", "pass"),                       # listed the day after D
    ("2025-06-10", "", "error"),
    ("2024-01-01", "      removed: 2025-06-10\n", "pass"),
    ("2024-01-01", "      removed: 2025-06-11\n", "error"),
    ("2024-01-01", "      credit_repair_certificate: 修复证明001号\n", "warning"),
])
def test_dishonesty(listed: str, extra: str, expected: str) -> None:
    assert verdict("art4.dishonesty", ("  dishonesty: []\n", DISHONEST.format(listed, extra))) == expected


def test_owns_ip_boundaries() -> None:
    no_patents = [("    granted: 2022-04-12\n", "    granted: 2022-04-12\n    ended: 2025-06-10\n"),
                  ("    granted: 2024-01-09\n", "    granted: 2024-01-09\n    ended: 2025-06-10\n")]
    assert verdict("art4.owns-ip", *no_patents, ("expires: 2029-05-13", "expires: 2025-06-10")) == "pass"  # mark valid through its last day
    assert verdict("art4.owns-ip", *no_patents, ("expires: 2029-05-13", "expires: 2025-06-09")) == "error"
    assert verdict("art4.owns-ip", *no_patents[:1], ("    granted: 2024-01-09\n", "    granted: 2024-01-09\n    ended: 2025-06-11\n"),
                   ("expires: 2029-05-13", "expires: 2025-06-09")) == "pass"


@pytest.mark.parametrize("code,henan,county", [("91411721MA00000154", "pass", "pass"), ("91411700MA00000A12", "pass", "warning")])
def test_henan_and_jurisdiction(code: str, henan: str, county: str) -> None:
    from generator.ids import org_code_check, uscc_final_check

    first = code[:16] + org_code_check(code[8:16])
    code = first + uscc_final_check(first)
    repl = ('"91411721MA00000154"', f'"{code}"')
    assert verdict("art4.henan", repl) == henan
    assert verdict("art4.jurisdiction", repl) == county


def test_outside_henan() -> None:
    from generator.ids import org_code_check, uscc_final_check

    first = "91440300MA5D0001" + org_code_check("MA5D0001")
    assert verdict("art4.henan", ('"91411721MA00000154"', f'"{first + uscc_final_check(first)}"')) == "error"


def test_province_code_comes_from_policy() -> None:
    assert verdict("art4.henan", policy={"province_code": "44"}) == "error"


def test_legal_person_and_compliance() -> None:
    assert verdict("art4.legal-person") == "pass"
    assert verdict("art4.legal-person", ("legal_person: true", "legal_person: false")) == "error"
    assert verdict("art4.compliance", ("industrial_policy: true", "industrial_policy: false")) == "error"


def test_system() -> None:
    assert verdict("art5.system") == "pass"
    assert verdict("art5.system", ("budget: 200000", "budget: 0")) == "error"
    assert verdict("art5.system", ("managers: 2", "managers: 1")) == "pass"


@pytest.mark.parametrize("version,status,since,filed,expected", [
    ("2023", "implemented", "2025-06-10", "2025-06-10", "pass"),
    ("2023", "implemented", "2025-06-11", "2025-06-10", "error"),   # not yet in force on D
    ("2023", "implementing", "2024-06-01", "2025-06-10", "error"),
    ("2013", "certified", "2020-01-01", "2025-12-31", "pass"),      # last day of the transition
    ("2013", "certified", "2020-01-01", "2026-01-01", "warning"),
    ("2013", "implemented", "2020-01-01", "2026-01-01", "pass"),
])
def test_standard(version: str, status: str, since: str, filed: str, expected: str) -> None:
    reps = [('version: "2023"', f'version: "{version}"'), ("status: implemented", f"status: {status}"),
            ("since: 2024-06-01", f"since: {since}"), ("date: 2025-06-10", f"date: {filed}")]
    if filed.startswith("2026"):
        reps.append(("  - year: 2024\n    revenue", "  - year: 2025\n    revenue"))
    assert verdict("art5.standard", *reps) == expected


def test_creation_needs_a_valid_core_patent() -> None:
    assert next(o.ok for o in outcomes("art5.creation")) is True
    assert verdict("art5.creation", ("    granted: 2022-04-12\n", "    granted: 2022-04-12\n    ended: 2025-06-10\n")) == "error"
    assert verdict("art5.creation", ("    core: true\n", "")) == "error"


def test_creation_ranking_is_info_with_figures() -> None:
    ranking = [o for o in outcomes("art5.creation") if o.severity == "info"]
    assert len(ranking) == 1
    assert "近 3 年发明专利授权 0 件，排第 1" in ranking[0].message  # granted 2022-04-12: more than 3 years before D and "截至 2024 年底有效专利 2 件" in ranking[0].message


def test_creation_ranks_within_industry() -> None:
    other = BASE.replace('"91411721MA00000154"', '"91411721MA9XP0Q72X"').replace(
        "patents:\n", 'patents:\n  - number: "201510703489.3"\n    type: invention\n    title: 一种装置\n    granted: 2023-01-05\n', 1)
    third = BASE.replace('"91411721MA00000154"', '"93411721MA0000023Q"').replace("code: C35", "code: C13")
    docs = [load_text(BASE, FILE), load_text(other, "records/91411721MA9XP0Q72X.yaml"), load_text(third, "records/93411721MA0000023Q.yaml")]
    registry = build_registry(docs, default_policy(), TODAY)
    first = next(o for o in registry.entries[0].outcomes if o.rule == "art5.creation" and o.severity == "info")
    assert "2 家中" in first.message and "排第 2" in first.message


def test_trademark_main_business() -> None:
    assert verdict("art5.trademark") == "pass"
    assert verdict("art5.trademark", ("    main_business: true\n", "")) == "error"


def test_missing_finance_year_is_an_error() -> None:
    assert verdict("art5.revenue", ("  - year: 2024\n    revenue", "  - year: 2023\n    revenue")) == "error"


def test_reserve_turns_art5_errors_into_warnings() -> None:
    reserve = ("category: advantage", "category: reserve\nrecommendation: 特色明显")
    low = ("revenue: 5000000", "revenue: 2000000")
    assert verdict("art5.revenue", low, ("patent_revenue: 1500000", "patent_revenue: 900000")) == "error"
    assert verdict("art5.revenue", reserve, low, ("patent_revenue: 1500000", "patent_revenue: 900000")) == "warning"
    assert verdict("art4.compliance", reserve, ("environmental: true", "environmental: false")) == "error"  # Art. 4 stays an error


def test_reserve_needs_recommendation() -> None:
    assert verdict("art6.reserve", ("category: advantage", "category: reserve")) == "error"
    assert verdict("art6.reserve", ("category: advantage", "category: reserve\nrecommendation: 特色明显")) == "pass"
    assert [o.ok for o in outcomes("art6.reserve")] == [None]


def test_preference_lists_valid_honors() -> None:
    honors = "honors:\n  - type: high_tech\n    awarded: 2023-11-20\n    expires: {}\nconduct:\n"
    assert verdict("art4.preference", ("conduct:\n", honors.format("2025-06-10"))) == "info"
    assert verdict("art4.preference", ("conduct:\n", honors.format("2025-06-09"))) == "pass"


def test_pending_record_is_evaluated_today() -> None:
    found = outcomes("art5.revenue", ("events:\n  - date: 2025-06-10\n    type: filed\n    document: 西市监〔2025〕31号\n", "events: []\n"))
    assert "缺少 2025 年财务数据" in found[0].message
