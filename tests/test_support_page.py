"""The page 服务与支持 (/support/, issue 39, design section 10): what Art. 11 and 13 promise with their articles as the
measures in force number them, who is entitled, and each year's aggregates of data/support.json — a year without
entries as a sentence, never an empty table, and never one enterprise's amount."""

from __future__ import annotations

import re
from datetime import date

from generator.labels import PROGRAMME_ZH, SERVICE_KIND_ZH, SERVICE_MEANING_ZH, STATUS_ZH
from generator.model import PrioritySupport, Service
from generator.policy import PolicyHistory, default_policy, policy_from_mapping
from generator.rules.cultivation import ART11_NOT_LISTED, SERVICE_ARTICLE
from generator.site.support import support_figures, support_page
from generator.staff.support import MIN_ENTERPRISES, SupportEntry
from tests.sitekit import make_uscc

TODAY = date(2026, 11, 25)
AMOUNT = 3217654  # one enterprise's pledge financing: a number no public file may show, in any spelling


def _page(entries: list[SupportEntry], first: int | None = 2024, history: PolicyHistory | None = None) -> str:
    return support_page(support_figures(entries, first, TODAY, history or default_policy()), history or default_policy(), TODAY)


def _pledge(n: int, day: date = date(2025, 9, 1), amount: int = AMOUNT) -> SupportEntry:
    return make_uscc(f"MA0TK{n:03d}"), Service(0, day, "pledge_financing", "质押融资", amount=amount, lender="某银行", provider="某机构")


def _year(page: str, year: int) -> str:
    """The part of the page under the heading of ``year``."""
    start = page.index(f"### {year}年")
    following = page.find("\n### ", start + 1)
    return page[start: following if following > 0 else len(page)]


def test_articles_11_and_13_are_explained_with_their_items_and_links() -> None:
    page = _page([])
    for i, kind in enumerate(SERVICE_KIND_ZH, 1):
        assert f"**{SERVICE_KIND_ZH[kind]}**（[{SERVICE_ARTICLE[kind]}](policy.md#art11-{i})）：{SERVICE_MEANING_ZH[kind]}" in page
    assert all(f". {label}\n" in page for label in PROGRAMME_ZH.values())
    assert "[第十一条](policy.md#art11)" in page and "[第十三条](policy.md#art13)" in page
    assert "西平县市场监管局（知识产权局）" in page  # the issuer of policy.yml, who gives the services


def test_a_renumbered_measures_is_cited_by_its_new_numbers() -> None:
    """A version of the measures that moved Art. 11 to Art. 12 (policy.yml ``measures.articles``): the page cites and links
    the new numbers, in the explanation and in the year's table, never the old ones."""
    measures = {"name": "办法", "in_force": "2018-01-01",
                "versions": [{"name": "办法（修订）", "in_force": "2020-01-01", "articles": {ART11_NOT_LISTED.id: "第十二条"}}]}
    history = policy_from_mapping({"measures": measures})
    page = _page([_pledge(1)], history=history)
    assert "第十一条" not in page
    assert "[第十二条第四项](policy.md#art12-4)" in page and '<a href="../policy/#art12-4">第十二条第四项</a>' in page
    from generator.site.support import support_csv, support_json

    years = support_figures([_pledge(1)], 2024, TODAY, history)  # the open data cite what the page cites
    published = support_json(years, TODAY).decode("utf-8") + support_csv(years).decode("utf-8-sig")
    assert "第十二条第四项" in published and "第十一条" not in published


def test_who_is_entitled_follows_priority_support_statuses() -> None:
    page = _page([])
    for status in ("valid", "review_due", "under_review", "conditional"):
        assert f'<span class="ipreg-badge ipreg-{status}"' in page
    assert "本登记簿的约定" in page and "不在可以得到这些服务和优先支持的范围内" in page and "这些服务也计入数字" in page
    narrow = policy_from_mapping({"priority_support_statuses": ["valid"]})
    page = _page([], history=narrow)
    entitled = page[page.index("优先支持面向状态为"):]
    assert f">{STATUS_ZH['valid']}</span>的企业" in entitled and STATUS_ZH["review_due"] not in entitled.split("。")[0]
    assert f"“{STATUS_ZH['review_due']}”" in page and "不在可以得到优先支持的范围内" in page


def test_a_year_without_entries_is_a_sentence_not_an_empty_table() -> None:
    page = _page([_pledge(1)])
    assert re.findall(r"^### (\d{4})年", page, re.M) == ["2026", "2025", "2024"]  # newest first, every year from the first
    assert _year(page, 2026).strip().endswith("2026年（截至 2026&#45;11&#45;25）尚未登记服务或优先支持。")
    assert "2024年没有登记服务或优先支持。" in _year(page, 2024)
    assert "<table" not in _year(page, 2026) + _year(page, 2024)
    assert "2025年没有登记优先支持。" in _year(page, 2025) and _year(page, 2025).count("<table") == 1


def test_no_year_at_all_is_said_in_a_sentence() -> None:
    """Nothing recorded yet: one sentence, not a heading and a sentence for every year since the first decision."""
    for first in (None, 2018):
        page = _page([], first=first)
        assert "还没有登记任何服务或优先支持。" in page and "<table" not in page and not re.findall(r"^### ", page, re.M)


def test_one_enterprise_pledge_never_shows_its_amount() -> None:
    """A pledge financing of one enterprise (or two: each would know the other's): the table says the total is withheld."""
    for n in (1, 2):  # fewer than MIN_ENTERPRISES (3) whatever it is set to: the test does not move with it
        page = _page([_pledge(i) for i in range(n)])
        digits = re.sub(r"&#44;|,", "", page)
        assert str(AMOUNT) not in digits and str(AMOUNT * n) not in digits
        assert f"不公布（不足 {MIN_ENTERPRISES} 家企业）" in page
        assert "某银行" not in page and "某机构" not in page and make_uscc("MA0TK000") not in page


def test_a_pledge_total_of_enough_enterprises_is_shown() -> None:
    page = _page([_pledge(i, amount=1_000_000) for i in range(MIN_ENTERPRISES)])
    assert f"{MIN_ENTERPRISES * 1_000_000:,}".replace(",", "&#44;") in _year(page, 2025)


def test_a_year_table_has_a_caption_totals_and_counts() -> None:
    uscc = make_uscc("MA0TK100")
    entries: list[SupportEntry] = [
        (uscc, Service(0, date(2026, 3, 1), "training", "培训", participants=12)),
        (uscc, Service(1, date(2026, 5, 1), "expert_service", "专家服务")),
        (make_uscc("MA0TK101"), Service(0, date(2026, 5, 2), "expert_service", "专家服务")),
        (uscc, PrioritySupport(0, date(2026, 4, 1), "city_recommendation", "recommended")),
        (uscc, PrioritySupport(1, date(2026, 6, 1), "city_recommendation", "granted")),
    ]
    year = _year(_page(entries), 2026)
    assert year.count("<caption>") == 2 and '<th scope="col">服务类别</th>' in year
    assert "共登记服务 3 项，2 家企业得到服务" in year and "共登记优先支持 2 项" in year
    expert = re.search(r"<tr><td class=\"ipreg-primary\">专家服务</td>.*?</tr>", year)
    assert expert is not None and '<td data-label="项数">2</td><td data-label="企业数">2</td>' in expert[0]
    assert "质押融资金额" not in year  # no pledge this year: no column for it
    assert "12" not in re.sub(r"\d{4}&#45;\d\d&#45;\d\d|#art\d+", "", year)  # participants are not a public figure
