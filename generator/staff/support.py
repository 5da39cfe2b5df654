"""Services (Art. 11) and priority support (Art. 13) of a year (design section 10): the 服务台账 of ``ipreg report --year``
with its totals by kind, by enterprise and per listed enterprise, and the aggregates the public sees (data/support.json,
the page 服务与支持) — counts and totals only, never an enterprise, an amount of one, a lender, a provider or a
supervision entry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.labels import CATEGORY_ZH, FINDING_ZH, PROGRAMME_ZH, SERVICE_KIND_ZH, SUPERVISION_KIND_ZH, SUPPORT_OUTCOME_ZH
from generator.model import TERM_EVENTS, Assessment, Event, PrioritySupport, Record, Service, Supervision
from generator.policy import PolicyHistory
from generator.rules.cultivation import ART3_VIOLATION_REFERRED, articles_in_force, entitled_on, status_on
from generator.staff.spreadsheets import Sheet

# a total of pledge-financing amounts is published only when it sums at least this many enterprises' loans: with fewer,
# the total would tell one enterprise's amount (or, with two, each one's to the other)
MIN_ENTERPRISES = 3


@dataclass(frozen=True)
class SupportYear:
    """The services, priority support, supervision and filings dated in ``year`` up to ``until``, and who was listed on
    ``until``: what the annual workbook says of the year's cultivation (design section 10)."""

    year: int
    until: date
    services: list[tuple[Record, Service]]
    priority: list[tuple[Record, PrioritySupport]]
    listed: list[Record]  # on ``until``
    supervision: list[tuple[Record, Supervision]]
    filings: list[tuple[Record, Event]]  # the year's filed decisions, each reviewed under Art. 7
    policy: PolicyHistory  # for the articles: each entry's as numbered on its date, the totals' as on ``until``


def support_year(records: Sequence[Record], policy: PolicyHistory, year: int, today: date) -> SupportYear:
    until = min(date(year, 12, 31), today)
    services = sorted(((r, x) for r in records for x in r.services if x.date.year == year and x.date <= until),
                      key=lambda p: (p[1].date, p[0].uscc, p[1].index))
    priority = sorted(((r, x) for r in records for x in r.priority_support if x.date.year == year and x.date <= until),
                      key=lambda p: (p[1].date, p[0].uscc, p[1].index))
    listed = [r for r in records if status_on(r, policy, until).listed]
    supervision = sorted(((r, x) for r in records for x in r.supervision if x.date.year == year and x.date <= until),
                         key=lambda p: (p[1].date, p[0].uscc, p[1].index))
    filings = sorted(((r, e) for r in records for e in r.events if e.type == "filed" and e.date.year == year and e.date <= until),
                     key=lambda p: (p[1].date, p[0].uscc, p[1].index))
    return SupportYear(year, until, services, priority, sorted(listed, key=lambda r: r.uscc), supervision, filings, policy)


def _int(value: int | None) -> int | str:
    return value if value is not None else ""


def ledger_rows(s: SupportYear) -> list[list[Any]]:
    """服务台账: one row per service and per priority support, by date, each citing its article (item) as the measures in
    force on its date number it, with the enterprise's status that day and whether it qualified then (a service: listed,
    Art. 11; priority support: one of the statuses entitled to it, Art. 13) — what ``art11.not-listed`` and
    ``art13.not-entitled`` check."""
    rows: list[tuple[date, int, list[Any]]] = []
    for r, x in s.services:
        st = status_on(r, s.policy, x.date)
        item = articles_in_force(s.policy, x.date)[1][x.kind]
        rows.append((x.date, 0, [x.date.isoformat(), "服务", r.uscc, r.name, SERVICE_KIND_ZH[x.kind], item, st.status_zh, _yes(st.listed),
                                 x.title, x.document or "", x.provider or "", x.result or "", _int(x.amount), x.lender or "",
                                 _int(x.participants)]))
    for r, p in s.priority:
        st = status_on(r, s.policy, p.date)
        art13 = articles_in_force(s.policy, p.date)[2]
        rows.append((p.date, 1, [p.date.isoformat(), "优先支持", r.uscc, r.name, PROGRAMME_ZH[p.programme], art13, st.status_zh,
                                 _yes(entitled_on(st, s.policy, p.date)), "", p.document or "", "", SUPPORT_OUTCOME_ZH[p.outcome], "",
                                 "", ""]))
    return [row for _, _, row in sorted(rows, key=lambda t: (t[0], t[1], t[2][2]))]


def _yes(value: bool) -> str:
    return "是" if value else "否"


LEDGER_HEADERS = ["日期", "类型", "统一社会信用代码", "企业名称", "事项", "条款", "当天状态", "当天符合条件", "名称", "文号", "提供方",
                  "结果", "金额（元）", "贷款机构", "参加人数"]


def support_sheets(s: SupportYear) -> list[Sheet]:
    """The sheets ``ipreg report --year`` adds: the ledger, services by kind, priority support by programme and outcome,
    by enterprise (every enterprise listed on the year's last day, and any other that had an entry), per listed enterprise,
    the year's 日常监管 (Art. 3) and who reviewed each of its filings (Art. 7)."""
    kinds = [k for k in SERVICE_KIND_ZH if any(x.kind == k for _, x in s.services)]
    _, items, art13 = articles_in_force(s.policy, s.until)  # the totals cite the articles as numbered on the year's last day
    by_kind = [[SERVICE_KIND_ZH[k], items[k], sum(1 for _, x in s.services if x.kind == k),
                len({r.uscc for r, x in s.services if x.kind == k}),
                sum(x.amount or 0 for _, x in s.services if x.kind == k) if k == "pledge_financing" else "",
                sum(x.participants or 0 for _, x in s.services if x.kind == k)] for k in kinds]
    # 合计: an enterprise served in two kinds is one enterprise (the column of 企业数 does not add up)
    kind_totals = ["", len(s.services), len({r.uscc for r, _ in s.services}),
                   sum(x.amount or 0 for _, x in s.services if x.kind == "pledge_financing"),
                   sum(x.participants or 0 for _, x in s.services)]
    year = f"{s.until.year}年"
    outcomes = list(SUPPORT_OUTCOME_ZH)
    by_programme = []
    for programme in PROGRAMME_ZH:
        counts = Counter(p.outcome for _, p in s.priority if p.programme == programme)
        if counts:
            by_programme.append([PROGRAMME_ZH[programme], art13, *[counts[o] for o in outcomes],
                                 sum(counts.values())])
    return [
        Sheet("服务台账", LEDGER_HEADERS, ledger_rows(s), empty=f"{year}没有登记服务或优先支持。"),
        Sheet("服务按类别", ["服务类别", "条款", "项数", "企业数", "质押融资金额（元）", "参加人数"], by_kind, totals=kind_totals,
              empty=f"{year}没有登记服务。"),
        Sheet("优先支持按项目", ["项目", "条款", *[SUPPORT_OUTCOME_ZH[o] for o in outcomes], "项数"], by_programme, total=True, unit="项",
              empty=f"{year}没有登记优先支持。"),
        Sheet("服务按企业", ["统一社会信用代码", "企业名称", "年末在名单", "服务项数", "优先支持项数", "质押融资金额（元）", "培训人数"],
              _by_enterprise(s), total=True, empty=f"{year}年末没有在名单的强企，也没有企业得到服务或优先支持。"),
        Sheet("每家强企", ["指标", "数值"], _per_listed(s)),
        Sheet("日常监管", SUPERVISION_HEADERS, supervision_rows(s), empty=f"{year}没有登记日常监管。"),
        Sheet("备案审核", FILING_HEADERS, filing_rows(s), empty=f"{year}没有备案决定。"),
    ]


FILING_HEADERS = ["备案日期", "文号", "统一社会信用代码", "企业名称", "备案类别", "审核人", "审核日期", "审核意见"]


def filing_rows(s: SupportYear) -> list[list[Any]]:
    """Who reviewed each filing of the year (Art. 7 经审核后确定): the assessment recorded on the filed event, or on the
    application of the same cycle before it; 未录入 when neither has one."""
    rows = []
    for r, e in s.filings:
        found = e.assessment or _application_assessment(r, e)
        rows.append([e.date.isoformat(), e.document or "", r.uscc, r.name, CATEGORY_ZH[r.term_category(e)],
                     found.by if found else "未录入", found.date.isoformat() if found else "", found.opinion if found else ""])
    return rows


def _application_assessment(record: Record, filed: Event) -> Assessment | None:
    """The assessment on the latest application before ``filed`` and after the decision before it (the same cycle)."""
    before = [e for e in record.events if (e.date, e.index) < (filed.date, filed.index)]
    start = max(((e.date, e.index) for e in before if e.type in TERM_EVENTS), default=None)
    applications = [e for e in before if e.type == "applied" and (start is None or (e.date, e.index) > start)]
    latest = max(applications, key=lambda e: (e.date, e.index), default=None)
    return latest.assessment if latest is not None else None


SUPERVISION_HEADERS = ["日期", "统一社会信用代码", "企业名称", "方式", "结论", "条款", "当天状态", "文号", "备注"]


def supervision_rows(s: SupportYear) -> list[list[Any]]:
    """日常监管 (Art. 3) of the year: one row per entry, by date, with the enterprise's status that day (a violation
    referred while it was listed is what ``art3.violation-referred`` asks staff to look into)."""
    rows = []
    for r, v in s.supervision:
        article = s.policy.article(ART3_VIOLATION_REFERRED.id, v.date, ART3_VIOLATION_REFERRED.article) or ""
        rows.append([v.date.isoformat(), r.uscc, r.name, SUPERVISION_KIND_ZH[v.kind], FINDING_ZH[v.finding], article,
                     status_on(r, s.policy, v.date).status_zh, v.document or "", v.note or ""])
    return rows


def _by_enterprise(s: SupportYear) -> list[list[Any]]:
    listed = {r.uscc for r in s.listed}
    records = {r.uscc: r for r in s.listed} | {r.uscc: r for r, _ in s.services} | {r.uscc: r for r, _ in s.priority}
    rows = []
    for uscc, r in sorted(records.items()):
        mine = [x for q, x in s.services if q.uscc == uscc]
        rows.append([uscc, r.name, "是" if uscc in listed else "否", len(mine), sum(1 for q, _ in s.priority if q.uscc == uscc),
                     sum(x.amount or 0 for x in mine if x.kind == "pledge_financing"), sum(x.participants or 0 for x in mine)])
    return rows


def _per_listed(s: SupportYear) -> list[list[Any]]:
    listed = {r.uscc for r in s.listed}
    n = len(listed)
    served = len(listed & {r.uscc for r, _ in s.services})
    supported = len(listed & {r.uscc for r, _ in s.priority})

    def share(value: int) -> float | str:
        return round(value / n, 2) if n else ""

    return [
        [f"{s.until.isoformat()} 在名单的强企（家）", n],
        ["其中获得服务的（家）", served],
        ["其中获得优先支持的（家）", supported],
        ["每家强企平均服务项数", share(sum(1 for r, _ in s.services if r.uscc in listed))],
        ["每家强企平均优先支持项数", share(sum(1 for r, _ in s.priority if r.uscc in listed))],
        ["获得服务的强企占比（%）", round(100 * served / n, 1) if n else ""],
    ]


SupportEntry = tuple[str, Service | PrioritySupport]  # the enterprise's USCC and one of its entries


def support_entries(record: Record) -> tuple[SupportEntry, ...]:
    """What the public aggregates need of one record (the site keeps it while the record itself is dropped)."""
    entries: list[Service | PrioritySupport] = [*record.services, *record.priority_support]
    return tuple((record.uscc, x) for x in entries)


def support_years(entries: Sequence[SupportEntry], first: int | None, today: date) -> list[int]:
    """Every year from the first entry or public decision (``first``) to the data date's year, years without an entry
    included; none at all before the first entry (a registry that has recorded no service yet says so once, not once
    for every year since its first decision)."""
    dated = [x.date.year for _, x in entries if x.date <= today]
    if not dated:
        return []
    start = min(dated + ([first] if first is not None else []))
    return list(range(start, today.year + 1))


def public_support(entries: Sequence[SupportEntry], years: Sequence[int], today: date, history: PolicyHistory) -> list[dict[str, Any]]:
    """data/support.json's years: per year the services by kind (count, enterprises reached, the pledge-financing total
    when it sums at least MIN_ENTERPRISES enterprises' loans, else null) and the priority support by programme and
    outcome, each citing its article as the measures in force on ``today`` number it (as the page 服务与支持 does).
    Entries dated after ``today`` are left out (they are errors, cultivation.future)."""
    _, items, art13 = articles_in_force(history, today)
    return [_public_year(entries, year, today, items, art13) for year in years]


def _public_year(entries: Sequence[SupportEntry], year: int, today: date, items: dict[str, str], art13: str) -> dict[str, Any]:
    dated = [(u, x) for u, x in entries if x.date.year == year and x.date <= today]
    services = [(u, x) for u, x in dated if isinstance(x, Service)]
    priority = [x for _, x in dated if isinstance(x, PrioritySupport)]
    kinds = []
    for kind in SERVICE_KIND_ZH:
        mine = [(u, x) for u, x in services if x.kind == kind]
        if not mine:
            continue
        reached = len({u for u, _ in mine})
        item: dict[str, Any] = {"kind": kind, "label": SERVICE_KIND_ZH[kind], "article": items[kind], "count": len(mine),
                                "enterprises": reached}
        if kind == "pledge_financing":
            item["amount"] = sum(x.amount or 0 for _, x in mine) if reached >= MIN_ENTERPRISES else None
        kinds.append(item)
    programmes = [{"programme": p, "label": PROGRAMME_ZH[p], "article": art13,
                   "count": sum(1 for x in priority if x.programme == p),
                   "outcomes": {o: sum(1 for x in priority if x.programme == p and x.outcome == o) for o in SUPPORT_OUTCOME_ZH}}
                  for p in PROGRAMME_ZH if any(x.programme == p for x in priority)]
    return {"year": year, "services": len(services), "enterprises": len({u for u, _ in services}), "by_kind": kinds,
            "priority_support": len(priority), "by_programme": programmes}
