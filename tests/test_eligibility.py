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
    assert (
        verdict("art5.revenue", ("revenue: 5000000", f"revenue: {revenue}"), ("patent_revenue: 1500000", "patent_revenue: 900000"))
        == expected
    )


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
    assert (
        verdict(
            "art5.training-management",
            ("management_rd_total: 20", "management_rd_total: 0"),
            ("management_rd_trained: 18", "management_rd_trained: 0"),
        )
        == "error"
    )


@pytest.mark.parametrize("established,expected", [("2022-06-09", "pass"), ("2022-06-10", "pass"), ("2022-06-11", "error")])
def test_operating_years(established: str, expected: str) -> None:
    assert verdict("art4.operating-years", ("established: 2015-03-01", f"established: {established}")) == expected


def test_operating_years_leap_day_founding() -> None:
    # founded 2020-02-29: three years are complete on 2023-03-01
    text = ("established: 2015-03-01", "established: 2020-02-29")
    assert (
        verdict(
            "art4.operating-years",
            text,
            ("date: 2025-06-10", "date: 2023-03-01"),
            ("  - year: 2024\n    revenue", "  - year: 2022\n    revenue"),
        )
        == "pass"
    )
    assert verdict("art4.operating-years", text, ("date: 2025-06-10", "date: 2023-02-28")) == "error"


INFRINGEMENT = "  infringements:\n    - date: {}\n      kind: administrative\n      authority: 西平县市场监管局\n"


@pytest.mark.parametrize(
    "day,expected",
    [("2022-06-09", "pass"), ("2022-06-10", "pass"), ("2022-06-11", "error"), ("2025-06-10", "error"), ("2025-06-11", "pass")],
)
def test_infringement_lookback(day: str, expected: str) -> None:
    assert verdict("art4.infringement", ("  infringements: []\n", INFRINGEMENT.format(day))) == expected


ABNORMAL = "  abnormal_patent_applications:\n    - notified: 2024-01-01\n{}"


@pytest.mark.parametrize(
    "rectified,expected",
    [
        ("      rectified: 2025-06-09\n", "pass"),
        ("      rectified: 2025-06-10\n", "pass"),
        ("      rectified: 2025-06-11\n", "error"),
        ("", "error"),
    ],
)
def test_abnormal_patent(rectified: str, expected: str) -> None:
    assert verdict("art4.abnormal-patent", ("  abnormal_patent_applications: []\n", ABNORMAL.format(rectified))) == expected


DISHONEST = "  dishonesty:\n    - list: 严重违法失信名单\n      listed: {}\n{}"


@pytest.mark.parametrize(
    "listed,extra,expected",
    [
        ("2025-06-11", "", "pass"),  # listed the day after D
        ("2025-06-10", "", "error"),
        ("2024-01-01", "      removed: 2025-06-10\n", "pass"),
        ("2024-01-01", "      removed: 2025-06-11\n", "error"),
        ("2024-01-01", "      credit_repair_certificate: 修复证明001号\n", "warning"),
    ],
)
def test_dishonesty(listed: str, extra: str, expected: str) -> None:
    assert verdict("art4.dishonesty", ("  dishonesty: []\n", DISHONEST.format(listed, extra))) == expected


def test_owns_ip_boundaries() -> None:
    no_patents = [
        ("    granted: 2022-04-12\n", "    granted: 2022-04-12\n    ended: 2025-06-10\n"),
        ("    granted: 2024-01-09\n", "    granted: 2024-01-09\n    ended: 2025-06-10\n"),
    ]
    assert verdict("art4.owns-ip", *no_patents, ("expires: 2029-05-13", "expires: 2025-06-10")) == "pass"  # mark valid through its last day
    assert verdict("art4.owns-ip", *no_patents, ("expires: 2029-05-13", "expires: 2025-06-09")) == "error"
    assert (
        verdict(
            "art4.owns-ip",
            *no_patents[:1],
            ("    granted: 2024-01-09\n", "    granted: 2024-01-09\n    ended: 2025-06-11\n"),
            ("expires: 2029-05-13", "expires: 2025-06-09"),
        )
        == "pass"
    )


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
    [o] = outcomes("art4.henan", ('"91411721MA00000154"', f'"{first + uscc_final_check(first)}"'))
    assert (o.ok, o.effective_severity()) == (False, "warning")  # v2: the code keeps the first registrar after a move
    assert "不是河南省（41）的代码" in o.message and "在河南省（41）内" not in o.message


def test_province_code_comes_from_policy() -> None:
    assert verdict("art4.henan", policy={"province_code": "44"}) == "warning"


def test_legal_person_prefixes_come_from_policy() -> None:
    assert verdict("art4.legal-person", policy={"legal_person_prefixes": ["92"]}) == "error"
    assert verdict("art4.legal-person", policy={"legal_person_prefixes": ["92", "91"]}) == "pass"


def test_legal_person_and_compliance() -> None:
    assert verdict("art4.legal-person") == "pass"
    assert verdict("art4.legal-person", ("legal_person: true", "legal_person: false")) == "error"
    assert verdict("art4.compliance", ("industrial_policy: true", "industrial_policy: false")) == "error"


def test_system() -> None:
    assert verdict("art5.system") == "pass"
    assert verdict("art5.system", ("budget: 200000", "budget: 0")) == "error"
    assert verdict("art5.system", ("managers: 2", "managers: 1")) == "pass"


@pytest.mark.parametrize(
    "version,status,since,filed,expected",
    [
        ("2023", "implemented", "2025-06-10", "2025-06-10", "pass"),
        ("2023", "implemented", "2025-06-11", "2025-06-10", "error"),  # not yet in force on D
        ("2023", "implementing", "2024-06-01", "2025-06-10", "pass"),  # v2: 开展实施工作 is enough
        ("2023", "implementing", "2025-06-11", "2025-06-10", "error"),
        ("2013", "certified", "2020-01-01", "2025-12-31", "pass"),  # last day of the transition
        ("2013", "certified", "2020-01-01", "2026-01-01", "warning"),
        ("2013", "implemented", "2020-01-01", "2026-01-01", "pass"),
    ],
)
def test_standard(version: str, status: str, since: str, filed: str, expected: str) -> None:
    since_line = f"since: {since}" if status != "certified" else f"certificate: 165IP20000001R0M\n    since: {since}"
    reps = [
        ('version: "2023"', f'version: "{version}"'),
        ("status: implemented", f"status: {status}"),
        ("since: 2024-06-01", since_line),
        ("date: 2025-06-10", f"date: {filed}"),
    ]
    if filed.startswith("2026"):
        reps.append(("  - year: 2024\n    revenue", "  - year: 2025\n    revenue"))
    assert verdict("art5.standard", *reps) == expected


def test_certified_standard_needs_its_certificate() -> None:
    assert verdict("art5.standard", ("status: implemented", "status: certified")) == "error"
    assert verdict("art5.standard", ("status: implemented", "status: certified\n    certificate: 165IP23000001R0M")) == "pass"


@pytest.mark.parametrize(
    "policies,expected",
    [
        ("[management, incentive, constraint]", "pass"),
        ("[management, incentive]", "error"),
        ("[incentive, constraint]", "error"),
        ("[]", "error"),
    ],
)
def test_policies_all_three(policies: str, expected: str) -> None:
    assert verdict("art5.policies", ("policies: [management, incentive, constraint]", f"policies: {policies}")) == expected


def test_agencies_is_a_warning() -> None:
    assert verdict("art5.agencies") == "pass"
    assert verdict("art5.agencies", ("agencies: [西平县测试知识产权代理事务所]", "agencies: []")) == "warning"


def test_leading_needs_the_bureaus_finding() -> None:
    standing = "industry_standing:\n  scope: county\n  basis: 县内同行业发明专利授权量和有效专利量居前（测试用认定）\n"
    assert verdict("art5.leading") == "info"  # passes, with the registry's ranking beside it
    assert [o.ok for o in outcomes("art5.leading") if o.severity != "info"] == [True]
    assert verdict("art5.leading", (standing, "")) == "error"
    [o] = [o for o in outcomes("art5.leading", ("scope: county", "scope: province")) if o.ok]
    assert o.message.startswith("省内同行业领先")


def test_protection_must_be_stated() -> None:
    assert verdict("art5.protection") == "pass"
    assert verdict("art5.protection", ("trade_secret_measures: true", "trade_secret_measures: false")) == "pass"
    assert verdict("art5.protection", ("trade_secret_measures: true\n", "")) == "warning"
    [o] = outcomes("art5.protection")
    assert "专利 2 件" in o.message and "商业秘密保护措施" in o.message


def test_owns_ip_counts_registered_copyrights() -> None:
    gone = [
        ("    granted: 2022-04-12\n", "    granted: 2022-04-12\n    ended: 2025-06-10\n"),
        ("    granted: 2024-01-09\n", "    granted: 2024-01-09\n    ended: 2025-06-10\n"),
        ("expires: 2029-05-13", "expires: 2025-06-09"),
    ]
    assert verdict("art4.owns-ip", *gone) == "error"
    assert (
        verdict("art4.owns-ip", *gone, ("conduct:\n", "copyrights:\n  - number: 2024SR0000001\n    title: 测试软件\nconduct:\n")) == "pass"
    )


def test_missing_conduct_never_passes() -> None:
    conduct = "conduct:\n  infringements: []\n  abnormal_patent_applications: []\n  dishonesty: []\n"
    for rule in ("art4.infringement", "art4.abnormal-patent", "art4.dishonesty"):
        assert verdict(rule) == "pass"
        assert verdict(rule, (conduct, "")) == "error", rule
    pending = ("    type: filed\n    document: 西市监〔2025〕31号\n", "    type: applied\n")
    assert [o.ok for o in outcomes("art4.infringement", (conduct, ""), pending)] == [None]  # not required before a decision


@pytest.mark.parametrize(
    "day,rolling,calendar",
    [("2022-01-01", "error", "error"), ("2021-12-31", "pass", "pass"), ("2022-06-11", "error", "error"), ("2025-01-02", "error", "pass")],
)
def test_recent_years_mode(day: str, rolling: str, calendar: str) -> None:
    """D = 2025-06-10: rolling counts 2022-06-11 .. 2025-06-10; calendar counts the years 2022, 2023 and 2024."""
    rolled = verdict("art4.infringement", ("  infringements: []\n", INFRINGEMENT.format(day)))
    by_year = verdict("art4.infringement", ("  infringements: []\n", INFRINGEMENT.format(day)), policy={"recent_years_mode": "calendar"})
    assert (rolled, by_year) == ({"2022-01-01": "pass"}.get(day, rolling), calendar)


def test_violation_during_a_term_is_a_warning() -> None:
    judicial = "  infringements:\n    - date: {}\n      kind: judicial\n      authority: 驻马店市中级人民法院\n"
    assert verdict("art8.violation-review") == "pass"
    assert verdict("art8.violation-review", ("  infringements: []\n", judicial.format("2025-06-10"))) == "pass"  # the decision day itself
    [o] = outcomes("art8.violation-review", ("  infringements: []\n", judicial.format("2025-06-11")))
    assert (o.ok, o.effective_severity(), o.path) == (False, "warning", ("conduct", "infringements", 0))
    assert "司法认定" in o.message and "重大违法违规" in o.message
    listed = "  dishonesty:\n    - list: 严重违法失信名单\n      listed: 2026-01-01\n"
    assert verdict("art8.violation-review", ("  dishonesty: []\n", listed)) == "warning"


def test_infringement_kinds_are_worded() -> None:
    admin = "  infringements:\n    - date: 2024-01-01\n      kind: administrative\n      authority: 西平县市场监管局\n"
    [o] = [o for o in outcomes("art4.infringement", ("  infringements: []\n", admin)) if o.ok is False]
    assert "行政认定" in o.message
    [o] = [
        o for o in outcomes("art4.infringement", ("  infringements: []\n", admin.replace("administrative", "judicial"))) if o.ok is False
    ]
    assert "司法认定" in o.message


def test_creation_needs_a_valid_core_patent() -> None:
    assert next(o.ok for o in outcomes("art5.creation")) is True
    assert verdict("art5.creation", ("    granted: 2022-04-12\n", "    granted: 2022-04-12\n    ended: 2025-06-10\n")) == "error"
    assert verdict("art5.creation", ("    core: true\n", "")) == "error"


def test_leading_ranking_is_info_with_figures() -> None:
    ranking = [o for o in outcomes("art5.leading") if o.severity == "info"]
    assert len(ranking) == 1
    assert "近 3 年发明专利授权 0 件，排第 1" in ranking[0].message  # granted 2022-04-12: more than 3 years before D
    assert "截至 2024 年底有效专利 2 件" in ranking[0].message


def test_creation_ranks_within_industry() -> None:
    other = BASE.replace('"91411721MA00000154"', '"91411721MA9XP0Q72X"').replace(
        "patents:\n", 'patents:\n  - number: "201510703489.3"\n    type: invention\n    title: 一种装置\n    granted: 2023-01-05\n', 1
    )
    third = BASE.replace('"91411721MA00000154"', '"93411721MA0000023Q"').replace("code: C35", "code: C13")
    docs = [load_text(BASE, FILE), load_text(other, "records/91411721MA9XP0Q72X.yaml"), load_text(third, "records/93411721MA0000023Q.yaml")]
    registry = build_registry(docs, default_policy(), TODAY)
    first = next(o for o in registry.entries[0].outcomes if o.rule == "art5.leading" and o.severity == "info")
    assert "2 家中" in first.message and "排第 2" in first.message
    assert "有效专利 2 件，排第 2" in first.message


def test_ranking_ties_are_worded_as_ties() -> None:
    twin = BASE.replace('"91411721MA00000154"', '"91411721MA9XP0Q72X"')
    registry = build_registry([load_text(BASE, FILE), load_text(twin, "records/91411721MA9XP0Q72X.yaml")], default_policy(), TODAY)
    note = next(o for o in registry.entries[0].outcomes if o.rule == "art5.leading" and o.severity == "info")
    assert "0 件，与另 1 家并列第 1" in note.message and "2 件，与另 1 家并列第 1" in note.message


def test_trademark_main_business() -> None:
    assert verdict("art5.trademark") == "pass"
    assert verdict("art5.trademark", ("    main_business: true\n", "")) == "error"


def test_missing_finance_year_is_an_error() -> None:
    assert verdict("art5.revenue", ("  - year: 2024\n    revenue", "  - year: 2023\n    revenue")) == "error"


def test_reserve_holds_art5_for_reference_only() -> None:
    reserve = ("category: advantage", "category: reserve\nrecommendation: 特色明显")
    low = ("revenue: 5000000", "revenue: 2000000")
    assert verdict("art5.revenue", low, ("patent_revenue: 1500000", "patent_revenue: 900000")) == "error"
    [o] = outcomes("art5.revenue", reserve, low, ("patent_revenue: 1500000", "patent_revenue: 900000"))
    assert (o.ok, o.effective_severity(), o.path) == (False, "info", ("finance", 0, "revenue"))  # v2: 参照, not a warning
    assert "参照" in o.message
    assert verdict("art4.compliance", reserve, ("environmental: true", "environmental: false")) == "error"  # Art. 4 stays an error


def test_reserve_needs_recommendation() -> None:
    assert verdict("art6.reserve", ("category: advantage", "category: reserve")) == "error"
    assert verdict("art6.reserve", ("category: advantage", "category: reserve\nrecommendation: 特色明显")) == "pass"
    assert [o.ok for o in outcomes("art6.reserve")] == [None]


def test_preference_lists_valid_honors() -> None:
    honors = "honors:\n  - type: high_tech\n    awarded: 2023-11-20\n    expires: {}\nconduct:\n"
    assert verdict("art4.preference", ("conduct:\n", honors.format("2025-06-10"))) == "info"
    assert verdict("art4.preference", ("conduct:\n", honors.format("2025-06-09"))) == "pass"


def test_preference_names_henans_key_industries_with_its_basis() -> None:
    """Art. 4(5): 符合我省重点产业发展方向 is a preference factor (information) beside the honours."""
    key = "key_industry:\n  basis: 高端装备产业，省重点产业链目录（测试）\nconduct:\n"
    found = outcomes("art4.preference", ("conduct:\n", key))
    assert [(o.ok, o.severity, o.message, o.path) for o in found] == [
        (None, "info", "符合我省重点产业发展方向：高端装备产业，省重点产业链目录（测试）", ("key_industry",))
    ]
    assert verdict("art4.preference") == "pass"


APPLIED = ("    type: filed\n    document: 西市监〔2025〕31号\n", "    type: applied\n")


@pytest.mark.parametrize("today", [date(2025, 12, 31), date(2026, 1, 1), date(2026, 11, 25)])
def test_pending_record_is_evaluated_at_its_application(today: date) -> None:
    """The January case: a pending record gives the same answer on 31 December and on 1 January."""
    text = BASE.replace(*APPLIED)
    registry = build_registry([load_text(text, FILE)], default_policy(), today)
    entry = registry.entries[0]
    assert entry.status is not None and entry.status.status == "pending" and entry.on == date(2025, 6, 10)
    assert [f for f in registry.findings if f.severity != "info"] == []


def test_pending_without_application_date_is_an_error() -> None:
    text = BASE.replace("events:\n  - date: 2025-06-10\n    type: filed\n    document: 西市监〔2025〕31号\n", "events: []\n")
    registry = build_registry([load_text(text, FILE)], default_policy(), TODAY)
    assert [f.rule for f in registry.findings if f.severity == "error"] == ["events.applied"]


def test_finance_year_offset_comes_from_policy() -> None:
    [o] = outcomes("art5.revenue", policy={"finance_year_offset": 2})
    assert o.ok is False and "缺少 2023 年财务数据" in o.message


@pytest.mark.parametrize(
    "patent_revenue,need,shown",
    [
        (999_999, 20, "19.9%，低于 20.0%"),
        (999_500, 20, "19.9%，低于 20.0%"),
        (1_000_000, 20, "20.0%，不低于 20.0%"),
        (1_002_000, "20.05", "20.04%，低于 20.05%"),
        (1_002_499, "20.05", "20.04%，低于 20.05%"),
        (1_002_500, "20.05", "20.05%，不低于 20.05%"),
        (1_000_001, "20.00001", "20.00002%，不低于 20.00001%"),
        (1_000_000, "20.00001", "20.00000%，低于 20.00001%"),
    ],
)
def test_share_below_threshold_never_prints_as_equal(patent_revenue: int, need: object, shown: str) -> None:
    [o] = outcomes(
        "art5.patent-revenue-share",
        ("patent_revenue: 1500000", f"patent_revenue: {patent_revenue}"),
        policy={"patent_revenue_share_percent": need},
    )
    assert shown in o.message


def test_zero_revenue_is_an_error_not_a_division() -> None:
    [o] = outcomes("art5.patent-revenue-share", ("revenue: 5000000", "revenue: 0"), ("patent_revenue: 1500000", "patent_revenue: 0"))
    assert o.ok is False and "营业收入为 0" in o.message


def test_missing_training_year_is_an_error() -> None:
    for rule in ("art5.training-management", "art5.training-employees"):
        [o] = outcomes(rule, ("  - year: 2024\n    management", "  - year: 2023\n    management"))
        assert (o.ok, o.effective_severity()) == (False, "error") and "缺少 2024 年培训数据" in o.message


def test_findings_carry_their_figures_as_params() -> None:
    text = BASE.replace("revenue: 5000000", "revenue: 2900000").replace("patent_revenue: 1500000", "patent_revenue: 900000")
    registry = build_registry([load_text(text, FILE)], default_policy(), TODAY)
    [finding] = [f for f in registry.findings if f.rule == "art5.revenue"]
    assert finding.as_dict()["params"] == {"year": 2024, "revenue": 2900000, "minimum": 3000000}
    [share] = outcomes("art5.patent-revenue-share", ("patent_revenue: 1500000", "patent_revenue: 999999"))
    assert dict(share.params) == {
        "year": 2024,
        "patent_revenue": 999999,
        "revenue": 5000000,
        "percent": "19.99998",
        "minimum_percent": "20",
    }


@pytest.mark.parametrize("notified,expected", [("2025-06-10", "error"), ("2025-06-11", "pass")])
def test_abnormal_patent_notified_on_d_counts(notified: str, expected: str) -> None:
    block = f"  abnormal_patent_applications:\n    - notified: {notified}\n"
    assert verdict("art4.abnormal-patent", ("  abnormal_patent_applications: []\n", block)) == expected


@pytest.mark.parametrize(
    "group,trained,expected",
    [("management_rd", 799, "error"), ("management_rd", 800, "pass"), ("employees", 599, "error"), ("employees", 600, "pass")],
)
def test_training_thresholds_where_a_tenth_of_a_percent_matters(group: str, trained: int, expected: str) -> None:
    rule = "art5.training-management" if group == "management_rd" else "art5.training-employees"
    reps = [
        ("management_rd_total: 20", "management_rd_total: 1000"),
        ("management_rd_trained: 18", "management_rd_trained: 900"),
        ("employees_total: 100", "employees_total: 2000"),
        ("employees_trained: 70", "employees_trained: 1400"),
    ]
    if group == "management_rd":
        reps[1] = ("management_rd_trained: 18", f"management_rd_trained: {trained}")
    else:
        reps[2], reps[3] = ("employees_total: 100", "employees_total: 1000"), ("employees_trained: 70", f"employees_trained: {trained}")
    assert verdict(rule, *reps) == expected


@pytest.mark.parametrize("share,expected", [(199_999, "error"), (200_000, "pass")])
def test_share_threshold_where_a_thousandth_matters(share: int, expected: str) -> None:
    assert (
        verdict(
            "art5.patent-revenue-share", ("revenue: 5000000", "revenue: 1000000"), ("patent_revenue: 1500000", f"patent_revenue: {share}")
        )
        == expected
    )


def test_budget_of_one_yuan_is_a_budget() -> None:
    assert verdict("art5.system", ("budget: 200000", "budget: 1")) == "pass"
    assert verdict("art5.system", ("managers: 2", "managers: 0")) == "error"


def test_without_ip_management() -> None:
    block = BASE[BASE.index("ip_management:\n") : BASE.index("finance:\n")]
    assert verdict("art5.system", (block, "")) == "error"
    assert verdict("art5.standard", (block, "")) == "error"
    assert verdict("art5.policies", (block, "")) == "error"
    assert verdict("art5.agencies", (block, "")) == "warning"


def test_violation_review_counts_today_and_lists_in_date_order() -> None:
    both = (
        "  infringements: []\n",
        (
            "  infringements:\n    - date: 2026-11-25\n      kind: judicial\n      authority: 驻马店市中级人民法院\n"
            "    - date: 2026-01-05\n      kind: administrative\n      authority: 西平县市场监管局\n"
        ),
    )
    found = outcomes("art8.violation-review", both)
    assert [o.path for o in found] == [("conduct", "infringements", 1), ("conduct", "infringements", 0)]  # oldest first
    assert all(o.ok is False for o in found)
    revoked = ("    document: 西市监〔2025〕31号\n", "    document: 西市监〔2025〕31号\n  - date: 2026-02-01\n    type: revoked\n")
    assert outcomes("art8.violation-review", both, revoked) == [o for o in outcomes("art8.violation-review", both, revoked) if o.ok]
