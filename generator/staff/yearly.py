"""Annual statistics (``ipreg report --year Y`` and the site's /statistics/ page): the year's decisions, counts by
status, category and industry at the end of the year, and the enterprises that entered or left the public list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.labels import CATEGORY_ZH, EVENT_ZH, STATUS_ZH
from generator.lifecycle import status
from generator.model import Record
from generator.policy import Office, PolicyHistory
from generator.public import PublicEnterprise, public_enterprise
from generator.staff.support import SupportYear


@dataclass(frozen=True)
class YearReport:
    """One year of the public record: the site's /statistics/ row and ``ipreg report``'s workbook are both made of it."""

    year: int
    until: date  # the year's last day, or the data date for the current year
    decisions: list[tuple[date, str, str, str, str, str]]  # date, type, document, uscc, name, certificate
    by_status: Counter[str]  # every enterprise with a public record on ``until``, by its status that day
    by_category: Counter[str]  # listed on ``until``
    by_industry: Counter[tuple[str, str]]  # listed on ``until``
    entered: list[tuple[str, str]]  # listed on ``until`` and not on the last day of the year before
    left: list[tuple[str, str]]  # the other way round

    @property
    def by_type(self) -> Counter[str]:
        return Counter(kind for _, kind, *_ in self.decisions)

    @property
    def listed(self) -> int:
        return sum(self.by_category.values())


def _status_on(e: PublicEnterprise, day: str) -> dict[str, Any] | None:
    spans: list[dict[str, Any]] = e.data["status_intervals"]
    return next((s for s in spans if s["from"] <= day and (s["to"] is None or day <= s["to"])), None)


def year_figures(items: Sequence[PublicEnterprise], year: int, today: date) -> YearReport:
    """The figures of ``year`` from the public record alone (events and status intervals of ``public_enterprise``):
    an enterprise that left the list without a decision that year counts as left; one that applies again keeps its
    earlier cycles (ARCHITECTURE.md section 3)."""
    until = min(date(year, 12, 31), today)
    end, before = until.isoformat(), date(year - 1, 12, 31).isoformat()
    decisions = sorted((date.fromisoformat(ev["date"]), ev["type"], ev["document"] or "", e.uscc, e.name, ev["certificate"] or "")
                       for e in items for ev in e.data["events"] if ev["date"][:4] == str(year) and ev["date"] <= end)
    by_status: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    by_industry: Counter[tuple[str, str]] = Counter()
    entered, left = [], []
    for e in items:
        now, then = _status_on(e, end), _status_on(e, before)
        if now is None:
            continue  # no public cycle yet at the end of the year
        by_status[str(now["status"])] += 1
        listed, was = bool(now["listed"]), bool(then and then["listed"])
        if listed:
            by_category[e.data["category"]] += 1
            by_industry[(e.data["industry"]["code"], e.data["industry"]["name"])] += 1
        if listed and not was:
            entered.append((e.uscc, e.name))
        if was and not listed:
            left.append((e.uscc, e.name))
    return YearReport(year, until, decisions, by_status, by_category, by_industry, sorted(entered), sorted(left))


def report_years(items: Sequence[PublicEnterprise], today: date) -> list[int]:
    """Every year from the first public decision to the data date's year (years without a decision included)."""
    first = min((int(ev["date"][:4]) for e in items for ev in e.data["events"]), default=None)
    return list(range(first, today.year + 1)) if first is not None else []


def year_report(records: Sequence[Record], policy: PolicyHistory, year: int, today: date) -> YearReport:
    """``ipreg report --year``: the same figures as the site's statistics page, from the records' public view."""
    items = [e for r in records if (e := public_enterprise(r, status(r, policy, today), today, policy)) is not None]
    return year_figures(items, year, today)


def report_xlsx(report: YearReport, office: Office, support: SupportYear | None = None) -> bytes:
    """The annual statistics as a workbook for the city bureau (``office``: policy.yml's ``documents``, the county in
    the title and the organ as 填报单位): decisions by type with a 合计, then one sheet per
    table, counts as numbers (unit 家 or 项) with a 合计 row, dates as dates; with ``support``, the 服务台账 and its
    totals after them (``support.support_sheets``)."""
    from generator.staff.spreadsheets import Sheet, workbook
    from generator.staff.support import support_sheets

    by_type: dict[str, int] = {}
    for _day, kind, *_rest in report.decisions:
        by_type[kind] = by_type.get(kind, 0) + 1
    return workbook(
        [
            Sheet(f"{report.year}年决定", ["日期", "决定", "文号", "统一社会信用代码", "企业名称", "证书编号"],
                  [[d.isoformat(), EVENT_ZH[t], doc, uscc, name, cert] for d, t, doc, uscc, name, cert in report.decisions],
                  empty=f"{report.year}年没有作出决定。"),
            Sheet("按决定类型", ["决定", "项数"], [[EVENT_ZH[k], by_type[k]] for k in EVENT_ZH if k in by_type], total=True, unit="项"),
            Sheet("按状态", ["状态", "企业数"],
                  [[STATUS_ZH[s], n] for s, n in sorted(report.by_status.items(), key=lambda x: list(STATUS_ZH).index(x[0]))],
                  total=True, unit="家"),
            Sheet("按类别", ["类别（公开名单）", "企业数"], [[CATEGORY_ZH[c], n] for c, n in sorted(report.by_category.items())],
                  total=True, unit="家"),
            Sheet("按行业", ["行业代码", "行业", "企业数（公开名单）"],
                  [[code, name, n] for (code, name), n in sorted(report.by_industry.items())], total=True, unit="家"),
            Sheet("进入名单", ["统一社会信用代码", "企业名称"], [list(x) for x in report.entered],
                  empty=f"{report.year}年没有企业进入名单。"),
            Sheet("离开名单", ["统一社会信用代码", "企业名称"], [list(x) for x in report.left],
                  empty=f"{report.year}年没有企业离开名单。"),
            *(support_sheets(support) if support is not None else []),
        ],
        f"{report.year}年{office.county}知识产权强企备案统计（截至{report.until.year}年{report.until.month}月{report.until.day}日）",
        office.organ,
    )
