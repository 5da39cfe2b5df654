"""Annual statistics (``ipreg report --year Y`` and the site's /statistics/ page): the year's decisions, counts by
status, category and industry at the end of the year, and the enterprises that entered or left the public list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.labels import CATEGORY_ZH, EVENT_ZH, STATUS_ZH
from generator.lifecycle import status
from generator.model import Record
from generator.policy import Policy


@dataclass(frozen=True)
class YearReport:
    year: int
    until: date  # the year's last day, or today for the current year
    decisions: list[tuple[date, str, str, str, str, str]]  # date, type, document, uscc, name, certificate
    by_status: Counter[str]
    by_category: Counter[str]
    by_industry: Counter[tuple[str, str]]
    entered: list[tuple[str, str]]
    left: list[tuple[str, str]]


def year_report(records: Sequence[Record], policy: Policy, year: int, today: date) -> YearReport:
    until = min(date(year, 12, 31), today)
    start = date(year, 1, 1)
    decisions = sorted((e.date, e.type, e.document or "", r.uscc, r.name, e.certificate or "")
                       for r in records for e in r.events if e.type != "applied" and start <= e.date <= until)
    by_status: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    by_industry: Counter[tuple[str, str]] = Counter()
    entered, left = [], []
    for r in records:
        end = status(r, policy, until)
        if end.status == "pending" or not [e for e in r.events if e.date <= until and e.type != "applied"]:
            continue  # not published at the end of the year
        by_status[end.status] += 1
        if end.listed:
            by_category[r.category] += 1
            by_industry[(r.industry_code, r.industry_name)] += 1
        before = status(r, policy, date(year - 1, 12, 31))
        if end.listed and not before.listed:
            entered.append((r.uscc, r.name))
        if before.listed and not end.listed:
            left.append((r.uscc, r.name))
    return YearReport(year, until, decisions, by_status, by_category, by_industry, sorted(entered), sorted(left))


def report_xlsx(report: YearReport) -> bytes:
    """The annual statistics as a workbook: one sheet per table, every cell text except the counts."""
    from generator.exports import workbook

    widths = (14, 16, 22, 22, 34, 24)
    return workbook([
        (f"{report.year}年决定", ["日期", "决定", "文号", "统一社会信用代码", "企业名称", "证书编号"],
         [[d.isoformat(), EVENT_ZH[t], doc, uscc, name, cert] for d, t, doc, uscc, name, cert in report.decisions], widths),
        ("按状态", ["状态", "企业数"], [[STATUS_ZH[s], n] for s, n in sorted(report.by_status.items(), key=lambda x: list(STATUS_ZH).index(x[0]))],
         widths),
        ("按类别", ["类别（公开名单）", "企业数"], [[CATEGORY_ZH[c], n] for c, n in sorted(report.by_category.items())], widths),
        ("按行业", ["行业代码", "行业", "企业数（公开名单）"], [[code, name, n] for (code, name), n in sorted(report.by_industry.items())], widths),
        ("进入名单", ["统一社会信用代码", "企业名称"], [list(x) for x in report.entered], widths),
        ("离开名单", ["统一社会信用代码", "企业名称"], [list(x) for x in report.left], widths),
    ], f"{report.year}年知识产权强企备案统计（截至 {report.until}）")
