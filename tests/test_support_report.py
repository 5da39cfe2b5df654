"""``ipreg report --year``'s 服务台账 and its totals (design section 10), read back from the workbook, and the public
aggregates of the same entries (data/support.json): counts and totals only."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

from generator.model import PrioritySupport, Record, Service, Supervision
from generator.policy import default_policy
from generator.rules.cultivation import ART3_VIOLATION_REFERRED, ART11_NOT_LISTED, ART13_NOT_ENTITLED, SERVICE_ARTICLE
from generator.site.support import support_csv, support_figures, support_json
from generator.staff.support import public_support, support_entries, support_year, support_years
from generator.staff.yearly import report_xlsx, year_report
from tests.helpers import CASES, ROOT, check_case, required, tool
from tests.sitekit import make_uscc

POLICY = default_policy()
TODAY = date(2026, 11, 25)
NOTE = "专利标识不规范，限期整改"


def _base() -> Record:
    entry = check_case(CASES / "valid" / "advantage.yaml").entries[0]  # filed 2025-06-10: listed all of 2026
    assert entry.record is not None
    return entry.record


BASE = _base()


def _records() -> list[Record]:
    a = replace(BASE, services=(
        Service(0, date(2025, 12, 30), "expert_service", "上一年的专家服务"),
        Service(1, date(2026, 3, 1), "pledge_financing", "专利权质押贷款", "质押合同1号", "县局", None, 3_000_000, "西平县测试银行"),
        Service(2, date(2026, 5, 20), "training", "2026年知识产权培训", provider="县局知识产权股", participants=6),
    ), priority_support=(PrioritySupport(0, date(2026, 4, 1), "city_recommendation", "recommended", "西知〔2026〕3号"),),
        supervision=(Supervision(0, date(2025, 11, 3), "routine", "none"),
                     Supervision(1, date(2026, 6, 8), "on_site", "rectification_required", "西市监〔2026〕7号", NOTE)))
    b = replace(BASE, uscc=make_uscc("MA0CB901"), name="西平县测试示例服务二号有限公司", services=(
        Service(0, date(2026, 5, 20), "training", "2026年知识产权培训", provider="县局知识产权股", participants=4),
    ))
    c = replace(BASE, uscc=make_uscc("MA0CB902"), name="西平县测试示例没有服务有限公司")
    return [a, b, c]


def _sheets() -> dict[str, list[list[Any]]]:
    records = _records()
    data = report_xlsx(year_report(records, POLICY, 2026, TODAY), POLICY.first.documents, support_year(records, POLICY, 2026, TODAY))
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows(min_row=3, values_only=True)] for ws in book.worksheets}


def test_the_ledger_has_one_row_per_entry_of_the_year_with_its_article() -> None:
    sheets = _sheets()
    header, *rows = sheets["服务台账"]
    assert header[:6] == ["日期", "类型", "统一社会信用代码", "企业名称", "事项", "条款"]
    assert [(r[0].date(), r[1], r[4], r[5]) for r in rows] == [
        (date(2026, 3, 1), "服务", "质押融资", SERVICE_ARTICLE["pledge_financing"]),
        (date(2026, 4, 1), "优先支持", "市知识产权优势企业和示范企业申报", ART13_NOT_ENTITLED.article),
        (date(2026, 5, 20), "服务", "人才培养培训", SERVICE_ARTICLE["training"]),
        (date(2026, 5, 20), "服务", "人才培养培训", SERVICE_ARTICLE["training"]),
    ]
    assert SERVICE_ARTICLE["pledge_financing"] == f"{ART11_NOT_LISTED.article}第四项"
    assert SERVICE_ARTICLE["training"] == f"{ART11_NOT_LISTED.article}第六项"
    pledge = dict(zip(header, rows[0], strict=True))
    assert pledge["金额（元）"] == 3_000_000 and pledge["贷款机构"] == "西平县测试银行" and pledge["文号"] == "质押合同1号"
    assert dict(zip(header, rows[1], strict=True))["结果"] == "已推荐"
    assert all(dict(zip(header, r, strict=True))["当天状态"] == "有效" for r in rows)  # filed 2025-06-10: listed all of 2026
    assert all(dict(zip(header, r, strict=True))["当天符合条件"] == "是" for r in rows)


def test_the_ledger_says_who_did_not_qualify_on_the_day() -> None:
    """Whether each was entitled on the day (issue 39): a service and a priority support dated after a revocation say
    已撤销 and 否, in the workbook as the bureau reads it — what art11.not-listed and art13.not-entitled report."""
    from generator.model import Event

    revoked = replace(BASE, events=(*BASE.events, Event(len(BASE.events), date(2026, 2, 1), "revoked", "西市监〔2026〕2号")),
                      services=(Service(0, date(2026, 3, 1), "expert_service", "撤销后的专家服务"),),
                      priority_support=(PrioritySupport(0, date(2026, 1, 31), "training", "granted"),
                                        PrioritySupport(1, date(2026, 3, 2), "training", "granted")))
    data = report_xlsx(year_report([revoked], POLICY, 2026, TODAY), POLICY.first.documents, support_year([revoked], POLICY, 2026, TODAY))
    header, *rows = [list(r) for r in load_workbook(io.BytesIO(data))["服务台账"].iter_rows(min_row=3, values_only=True)]
    seen = [(r[0].date().isoformat(), r[1], r[header.index("当天状态")], r[header.index("当天符合条件")]) for r in rows]
    assert seen == [("2026-01-31", "优先支持", "有效", "是"), ("2026-03-01", "服务", "已撤销", "否"),
                    ("2026-03-02", "优先支持", "已撤销", "否")]


def test_the_year_s_supervision_has_a_sheet_of_its_own() -> None:
    """What its supervision found, for any year (issue 39): one row per 日常监管 entry of the year, with its article
    and the enterprise's status that day; an entry of another year is not in it."""
    header, *rows = _sheets()["日常监管"]
    assert header == ["日期", "统一社会信用代码", "企业名称", "方式", "结论", "条款", "当天状态", "文号", "备注"]
    assert [(r[0].date(), r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows] == [
        (date(2026, 6, 8), "现场检查", "责令整改", ART3_VIOLATION_REFERRED.article, "有效", "西市监〔2026〕7号", NOTE)]


def test_the_totals_by_kind_by_enterprise_and_per_listed_enterprise() -> None:
    """The 合计 of 企业数 counts each enterprise once (the first enterprise had a pledge and a training: 2, not 1 + 2, as
    /support/ says), and the money column is pledge financing's alone."""
    sheets = _sheets()
    header, *rows = sheets["服务按类别"]
    assert header == ["服务类别", "条款", "项数", "企业数", "质押融资金额（元）", "参加人数"]
    assert rows == [["质押融资", SERVICE_ARTICLE["pledge_financing"], 1, 1, 3_000_000, 0],
                    ["人才培养培训", SERVICE_ARTICLE["training"], 1 + 1, 2, None, 10], ["合计", None, 3, 2, 3_000_000, 10]]
    _, *programmes = sheets["优先支持按项目"]
    assert programmes[0] == ["市知识产权优势企业和示范企业申报", ART13_NOT_ENTITLED.article, 1, 0, 0, 0, 1]
    _, *enterprises = sheets["服务按企业"]
    by_name = {r[1]: r[2:] for r in enterprises[:-1]}
    assert by_name == {BASE.name: ["是", 2, 1, 3_000_000, 6], "西平县测试示例服务二号有限公司": ["是", 1, 0, 0, 4],
                       "西平县测试示例没有服务有限公司": ["是", 0, 0, 0, 0]}
    assert enterprises[-1][0] == "合计" and enterprises[-1][3:] == [3, 1, 3_000_000, 10]
    per = {row[0]: row[1] for row in sheets["每家强企"][1:]}
    assert per["2026-11-25 在名单的强企（家）"] == 3 and per["其中获得服务的（家）"] == 2 and per["每家强企平均服务项数"] == 1.0


def test_a_year_without_entries_says_so_on_every_sheet() -> None:
    """A year with nothing recorded: each sheet says so in a sentence under its header (a printed page is never a bare
    header), and the sentence is not taken for a data row with a 合计."""
    records = [replace(r, services=(), priority_support=(), supervision=()) for r in _records()]
    data = report_xlsx(year_report(records, POLICY, 2024, TODAY), POLICY.first.documents, support_year(records, POLICY, 2024, TODAY))
    book = load_workbook(io.BytesIO(data))
    said = {ws.title: [row for row in ws.iter_rows(min_row=4, values_only=True)] for ws in book.worksheets}
    assert said["服务台账"] == [("2024年没有登记服务或优先支持。", *[None] * 14)]
    assert said["服务按类别"][0][0] == "2024年没有登记服务。" and said["优先支持按项目"][0][0] == "2024年没有登记优先支持。"
    assert said["日常监管"][0][0] == "2024年没有登记日常监管。" and said["备案审核"][0][0] == "2024年没有备案决定。"
    said.pop("每家强企")  # its indicators are rows of their own (0 and blank shares)
    assert all(len(rows) == 1 and isinstance(rows[0][0], str) and rows[0][0].endswith("。") for rows in said.values()), said


def test_the_public_aggregates_hold_counts_and_no_lone_amount() -> None:
    entries = [x for r in _records() for x in support_entries(r)]
    assert support_years(entries, None, TODAY) == [2025, 2026]
    years = public_support(entries, [2025, 2026], TODAY, POLICY)
    assert [y["year"] for y in years] == [2025, 2026]
    assert years[0]["services"] == 1 and years[0]["priority_support"] == 0
    kinds = {k["kind"]: k for k in years[1]["by_kind"]}
    assert kinds["training"]["count"] == 2 and kinds["training"]["enterprises"] == 2
    assert kinds["pledge_financing"]["amount"] is None  # one enterprise's loan: its total would be its amount
    assert years[1]["by_programme"][0]["outcomes"]["recommended"] == 1
    assert "3000000" not in repr(years) and "西平县测试银行" not in repr(years)


def test_support_json_follows_its_schema_and_the_csv_says_when_a_year_had_nothing() -> None:
    entries = [x for r in _records() for x in support_entries(r)]
    years = support_figures(entries, 2024, TODAY, POLICY)
    payload = json.loads(support_json(years, TODAY))
    schema = json.loads((ROOT / "schemas/public-support.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(payload)) == []
    assert [y["year"] for y in payload["years"]] == [2024, 2025, 2026] and payload["years"][0]["by_kind"] == []
    rows = list(csv.reader(io.StringIO(support_csv(years).decode("utf-8-sig"))))
    assert rows[0][:5] == ["年份", "类型", "事项", "条款", "项数"]
    assert rows[1][:3] == ["2024", "无", "本年度没有登记服务或优先支持"]
    assert ["2026", "服务", "质押融资", SERVICE_ARTICLE["pledge_financing"], "1", "1", ""] in [r[:7] for r in rows]
    # the CSV carries support.json's year totals too: 2026's two enterprises served counted once (the first had two kinds)
    totals = {(r[0], r[2]): r for r in rows if r[1] == "合计"}
    assert totals[("2026", "服务（各类合计）")][4:6] == [str(payload["years"][2]["services"]), "2"] == ["3", "2"]
    assert totals[("2026", "优先支持（各项目合计）")][4] == "1" and totals[("2026", "优先支持（各项目合计）")][7] == "1"
    assert ("2024", "服务（各类合计）") not in totals and totals[("2025", "服务（各类合计）")][4:6] == ["1", "1"]
    assert totals[("2025", "优先支持（各项目合计）")][4] == "0"  # both totals in a year with either, as support.json has them
    nothing = list(csv.reader(io.StringIO(support_csv([]).decode("utf-8-sig"))))
    assert nothing[1][1:3] == ["无", "还没有登记任何服务或优先支持"]


@pytest.mark.office
def test_the_printed_workbook_reads_whole_on_every_page(tmp_path: Path) -> None:
    """The annual workbook as a clerk prints it (LibreOffice → PDF, read with pdftotext): every page names its sheet
    and its page number; the title is never printed cut; the ledger, too wide for one page, repeats its header row and
    the enterprise's code and name on each page, every column whole on some page; the tables that fit are one page
    wide; amounts have thousands separators."""
    required("LibreOffice (libreoffice-calc-nogui)", tool("soffice"))
    required("pdftotext (poppler-utils)", tool("pdftotext"))
    records = _records()
    xlsx = tmp_path / "report.xlsx"
    xlsx.write_bytes(report_xlsx(year_report(records, POLICY, 2026, TODAY), POLICY.first.documents,
                                 support_year(records, POLICY, 2026, TODAY)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(xlsx)], capture_output=True, timeout=180, check=True)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    pages = [re.sub(r"[ \t]+", " ", page) for page in text.split("\f")[:-1]]
    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    by_sheet: dict[str, list[str]] = {}
    for number, page in enumerate(pages, 1):
        footer = re.search(rf"(\S+) 第 {number} 页，共 {len(pages)} 页", page)
        assert footer, page
        by_sheet.setdefault(footer[1], []).append(page)
        title = "2026年西平县知识产权强企备案统计（截至2026年11月25日）"
        assert title in page and "填报单位：西平县市场监督管理局" in page, page  # whole, on every page (cells or page header)
    assert list(by_sheet) == [ws.title for ws in book.worksheets]
    for ws in book.worksheets:
        headers = [c.value for c in ws[3] if c.value]
        printed = by_sheet[ws.title]
        assert all(any(h in page for page in printed) for h in headers), (ws.title, headers)  # no column left off or cut
        if len(printed) == 1:
            continue
        assert ws.title == "服务台账", (ws.title, len(printed))  # only the ledger is wider than a page
        for page in printed:
            assert "统一社会信用代码" in page and "企业名称" in page, page
            assert all(r.name in page for r in records[:2]), page  # whose row it is, on every page
    ledger = "".join(by_sheet["服务台账"])
    assert len(by_sheet["服务台账"]) <= 3, len(by_sheet["服务台账"])  # long texts wrap sooner in a split table: 3 pages, not 4
    assert "3,000,000" in ledger and "西平县测试银行" in ledger
    assert "市知识产权优势企业和示范企业申报" in re.sub(r"\s+", "", ledger)  # wrapped in its cell, never cut
    assert "3,000,000" in by_sheet["服务按企业"][0] and "3,000,000" in by_sheet["服务按类别"][0]


def test_a_wrapped_text_gets_a_row_tall_enough_for_its_lines() -> None:
    """No printing program grows a row for a wrapped cell: the ledger's row of a long programme name is as tall as its
    lines (else the second line is cut off on paper), and its other values stand at the top beside the first line."""
    records = _records()
    data = report_xlsx(year_report(records, POLICY, 2026, TODAY), POLICY.first.documents, support_year(records, POLICY, 2026, TODAY))
    ws = load_workbook(io.BytesIO(data))["服务台账"]
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "优先支持")
    long = next(c for c in row if c.value == "市知识产权优势企业和示范企业申报")
    assert long.alignment.wrap_text and ws.row_dimensions[long.row].height >= 2 * 15
    assert row[0].alignment.vertical == "top"
    short = next(r for r in ws.iter_rows(min_row=4) if r[4].value == "质押融资")
    assert ws.row_dimensions[short[0].row].height is None  # one line: the program's own height


def test_the_workbook_cites_the_articles_as_numbered_in_force() -> None:
    """A version of the measures in force from 2026-05-01 moves Art. 11 to Art. 12 and Art. 13 to Art. 14 (policy.yml
    ``measures.articles``): each ledger row cites the numbering in force on its own date (the legal basis when the service
    was given), the totals the numbering of the year's last day; read back from the workbook as a clerk opens it."""
    from generator.policy import policy_from_mapping

    measures = {"name": "办法", "in_force": "2018-01-01", "versions": [{
        "name": "办法（修订）", "in_force": "2026-05-01",
        "articles": {ART11_NOT_LISTED.id: "第十二条", ART13_NOT_ENTITLED.id: "第十四条"}}]}
    history = policy_from_mapping({"measures": measures})
    records = _records()
    data = report_xlsx(year_report(records, history, 2026, TODAY), history.first.documents, support_year(records, history, 2026, TODAY))
    book = load_workbook(io.BytesIO(data))
    ledger = [list(r) for r in book["服务台账"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    cited = {(row[0].date().isoformat(), row[4]): row[5] for row in ledger}  # real Excel dates
    assert cited[("2026-03-01", "质押融资")] == "第十一条第四项"  # before the new version
    assert cited[("2026-04-01", "市知识产权优势企业和示范企业申报")] == "第十三条"
    assert cited[("2026-05-20", "人才培养培训")] == "第十二条第六项"  # on its first day and after
    totals = [list(r) for r in book["服务按类别"].iter_rows(min_row=4, values_only=True)]
    assert {row[1] for row in totals if row[0] in ("质押融资", "人才培养培训")} == {"第十二条第四项", "第十二条第六项"}
    programmes = [list(r) for r in book["优先支持按项目"].iter_rows(min_row=4, values_only=True)]
    assert [row[1] for row in programmes if row[0] == "市知识产权优势企业和示范企业申报"] == ["第十四条"]


def test_who_reviewed_each_filing_of_the_year() -> None:
    """Who reviewed each filing (Art. 7, issue 39), for any year: the assessment on the filed event, else on the
    application of the same cycle (never one of an earlier cycle); 未录入 when none was recorded; the term's category."""
    from generator.model import Assessment, Event

    review = Assessment("县局知识产权股", "材料齐全，符合第四条至第六条", date(2026, 2, 20))
    on_filing = Assessment("局务会", "同意备案", date(2026, 3, 14))
    old = Assessment("县局知识产权股", "上一轮的审核意见", date(2023, 1, 5))
    a = replace(BASE, uscc=make_uscc("MA0RW001"), name="西平县测试审核一号有限公司", category="reserve", events=(
        Event(0, date(2023, 1, 2), "applied", assessment=old), Event(1, date(2023, 2, 1), "filed", "西市监〔2023〕1号"),
        Event(2, date(2026, 1, 3), "revoked", "西市监〔2026〕1号"), Event(3, date(2026, 2, 1), "applied", assessment=review),
        Event(4, date(2026, 3, 15), "filed", "西市监〔2026〕5号", category="advantage")))
    b = replace(BASE, uscc=make_uscc("MA0RW002"), name="西平县测试审核二号有限公司", events=(
        Event(0, date(2026, 3, 15), "filed", "西市监〔2026〕5号", assessment=on_filing),))
    c = replace(BASE, uscc=make_uscc("MA0RW003"), name="西平县测试审核三号有限公司", events=(
        Event(0, date(2024, 5, 1), "applied", assessment=old), Event(1, date(2024, 6, 1), "filed", "西市监〔2024〕2号"),
        Event(2, date(2026, 4, 1), "withdrawn"), Event(3, date(2026, 5, 1), "filed", "西市监〔2026〕8号")))
    records = [a, b, c]
    data = report_xlsx(year_report(records, POLICY, 2026, TODAY), POLICY.first.documents, support_year(records, POLICY, 2026, TODAY))
    header, *rows = [list(r) for r in load_workbook(io.BytesIO(data))["备案审核"].iter_rows(min_row=3, values_only=True)]
    assert header == ["备案日期", "文号", "统一社会信用代码", "企业名称", "备案类别", "审核人", "审核日期", "审核意见"]
    got = [(r[0].date(), r[3], r[4], r[5], r[6].date() if r[6] else None, r[7]) for r in rows]
    assert got == [
        (date(2026, 3, 15), a.name, "知识产权优势企业", "县局知识产权股", date(2026, 2, 20), review.opinion),
        (date(2026, 3, 15), b.name, "知识产权优势企业", "局务会", date(2026, 3, 14), "同意备案"),
        (date(2026, 5, 1), c.name, "知识产权优势企业", "未录入", None, None),  # the 2024 cycle's assessment is not this one's
    ]


def test_a_misspelt_kind_is_one_error_not_advice_to_delete_the_amount(tmp_path: Path) -> None:
    """amount and lender are refused on the five other kinds of service, not on a kind the schema does not know: a
    misspelt pledge_financing gets the kind's error alone (the clerk must fix the kind, not delete the amount)."""
    case = (CASES / "invalid" / "schema" / "amount-on-a-training.yaml").read_text(encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(case.replace("    kind: training\n", "    kind: pledge_finance\n"), encoding="utf-8")
    found = [(f.rule, f.message) for e in check_case(path).entries for f in e.findings if f.severity == "error"]
    assert len(found) == 1 and "pledge_finance" in found[0][1] and "不适用" not in found[0][1], found
