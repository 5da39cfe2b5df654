"""The registry-wide pages and fragments of the site, each from the published enterprises only: home, timeline,
history, statistics, verification, site map, and the guide's and data page's fragments (content.build_content
assembles them)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from generator.dates import anniversary
from generator.labels import DUE_KIND_ZH, EVENT_ZH, STATUS_MEANING_ZH
from generator.policy import Change, Measures, Policy
from generator.public import PUBLIC_FIELDS, PublicEnterprise
from generator.site.charts import monthly_chart
from generator.site.escape import md, rel
from generator.site.templating import LISTED_STATUSES, PUBLISHED_STATUSES, badge, days_left, environment, html_table, linker


def statistics_page(items: list[PublicEnterprise], today: date) -> str:
    """年度统计 from the public data only, one row per year from the first decision to the data date (the figures of
    ``ipreg report``: ``yearly.year_figures``), with an SVG chart."""
    from generator.site.charts import DECISION_LABELS, yearly_chart
    from generator.staff.yearly import report_years, year_figures

    years = [year_figures(items, year, today) for year in report_years(items, today)]
    rows = [
        [
            Markup(f"<strong>{y.year}</strong>"),
            *(md(y.by_type.get(k, 0)) for k in DECISION_LABELS),
            md(y.listed),
            md(len(y.entered)),
            md(len(y.left)),
        ]
        for y in years
    ]
    header = ["年份", *DECISION_LABELS.values(), "年底在名单中", "当年进入", "当年离开"]
    table = html_table(header, rows, 0) if rows else "暂无。\n"
    chart = Markup(yearly_chart({y.year: y.by_type for y in years}))
    return environment().get_template("statistics.md.j2").render(today=Markup(today.isoformat()), chart=chart, table=Markup(table))


SITE_MAP = (
    ("首页", "index.md"),
    ("名单", "list.md"),
    ("复核时间表", "timeline.md"),
    ("撤销与历史", "history.md"),
    ("证书核验", "verify.md"),
    ("年度统计", "statistics.md"),
    ("服务与支持", "support.md"),
    ("政策原文", "policy.md"),
    ("申报指南", "guide.md"),
    ("开放数据", "data.md"),
    ("隐私声明", "privacy.md"),
)


def sitemap_page(pages: Mapping[str, str]) -> str:
    """网站地图: every page kind, and the list's pages (each enterprise is reached from the list and the search)."""
    more = sorted((p for p in pages if p.startswith("list/")), key=lambda p: int(p[5:-3]))
    list_pages = ["list.md", *more] if more else []
    return environment().get_template("sitemap.md.j2").render(site_map=SITE_MAP, list_pages=list_pages)


def verify_page(extra: Mapping[str, Any], issuer: str) -> str:
    contact = extra.get("ipreg_contact") or {}
    who = " ".join(str(contact[k]) for k in ("office", "phone") if contact.get(k)) or issuer
    # the answer comes first (a certificate's QR code opens this page with ?cert=&uscc=): it is the first thing on a phone
    return environment().get_template("verify.md.j2").render(issuer=issuer, who=who)


@dataclass(frozen=True)
class _Row:
    day: date
    kind: str
    e: PublicEnterprise


def timeline_page(env: Environment, items: list[PublicEnterprise], today: date) -> str:
    """Every upcoming deadline of a listed enterprise within 24 months: term ends, review deadlines of 复核中 and grace
    ends, by month, with a monthly SVG chart. Past dates are not shown."""
    horizon = anniversary(today, 2)
    rows: list[_Row] = []
    for e in items:
        st = e.status
        if st.listed and st.next_deadline and st.next_deadline_kind and today <= st.next_deadline <= horizon:
            rows.append(_Row(st.next_deadline, st.next_deadline_kind, e))
    rows.sort(key=lambda r: (r.day, r.e.uscc))
    months: dict[str, list[_Row]] = {}
    for r in rows:
        months.setdefault(f"{r.day.year}年{r.day.month}月", []).append(r)
    span = (horizon.year - today.year) * 12 + horizon.month - today.month + 1  # this month through the horizon's
    chart = monthly_chart([(r.day, r.kind) for r in rows], today, span)
    return env.get_template("timeline.md.j2").render(
        today=today,
        horizon=horizon,
        months=list(months.items()),
        diagram=chart,
        link=linker("timeline/"),
        kind_zh=DUE_KIND_ZH,
        month_id=lambda r: Markup(f"m{r.day.year}-{r.day.month:02d}"),  # not escaped: an entity in an id leaks into the TOC as a stash key
    )


@dataclass(frozen=True)
class _HistoryRow:
    day: date | None
    reason: str | None
    document: str | None
    e: PublicEnterprise


def history_page(env: Environment, items: list[PublicEnterprise]) -> str:
    rows = []
    for e in items:
        st = e.status
        if st.ended:
            ending = next(
                (ev for ev in reversed(e.data["events"]) if ev["type"] in ("revoked", "withdrawn", "review_absent", "review_failed")), None
            )
            rows.append(_HistoryRow(st.ended_on, e.cause_zh, ending["document"] if ending else None, e))
        elif st.status == "lapsed":
            rows.append(_HistoryRow(st.ended_on, e.cause_zh, None, e))
    rows.sort(key=lambda r: (r.day or date.min, r.e.uscc), reverse=True)
    return env.get_template("history.md.j2").render(items=rows, link=linker("history/"))


def home_fragments(items: list[PublicEnterprise], today: date, window: int) -> dict[str, str]:
    """The home page's blocks: counts that add up (the listed statuses sum to the list), the next deadlines, and the
    latest changes (decisions, and removals nobody decided: a review deadline or grace year that ran out)."""
    counts = Counter(e.status.status for e in items)
    listed = sum(counts.get(s, 0) for s in LISTED_STATUSES)
    rows = [[badge(s), Markup(str(counts.get(s, 0))), md(STATUS_MEANING_ZH[s])] for s in LISTED_STATUSES]
    rows.append([Markup("<strong>合计</strong>"), Markup(f"<strong>{listed}</strong>"), md("公开名单中的企业")])
    off = [[badge(s), Markup(str(counts.get(s, 0))), md(STATUS_MEANING_ZH[s])] for s in PUBLISHED_STATUSES if s not in LISTED_STATUSES]
    out = {
        "status-counts": (
            f"截至 **{today}**，公开名单中共有 **{listed}** 家企业：\n\n"
            + html_table(["状态", "企业数", "含义"], rows, None)
            + "\n不在公开名单中的已备案企业：\n\n"
            + html_table(["状态", "企业数", "含义"], off, None)
        )
    }
    soon = sorted(
        (e for e in items if e.status.listed and e.status.next_deadline and 0 <= (e.status.next_deadline - today).days <= window),
        key=lambda e: (e.status.next_deadline or today, e.uscc),
    )
    upcoming = [
        [
            Markup(f'<a href="{rel("", e.page)}">{md(e.name)}</a>'),
            md(e.status.next_deadline),
            md(DUE_KIND_ZH[e.status.next_deadline_kind or "term_end"]),
            md(days_left((e.status.next_deadline - today).days) if e.status.next_deadline else ""),
            badge(e.status.status),
        ]
        for e in soon
    ]
    out["upcoming"] = (
        html_table(["企业", "日期", "事项", "剩余", "状态"], upcoming, 0)
        if upcoming
        else f"{window} 天内没有届满的有效期、复核期限或保留资格期。\n"
    )
    changes = [
        (day, e, EVENT_ZH[ev["type"]], ev["document"] or "—")
        for e in items
        for ev in e.data["events"]
        if (day := ev["date"]) <= today.isoformat()
    ]
    changes += [
        (e.status.ended_on.isoformat(), e, "移出名单（" + (e.cause_zh or "无复核结果") + "，未作决定）", "—")
        for e in items
        if e.status.status == "lapsed" and e.status.ended_on and e.status.ended_on <= today
    ]
    changes.sort(key=lambda x: (x[0], x[1].uscc), reverse=True)
    recent = [
        [Markup(f'<a href="{rel("", e.page)}">{md(e.name)}</a>'), md(day), md(what), md(document)]
        for day, e, what, document in changes[:10]
    ]
    out["recent-decisions"] = html_table(["企业", "日期", "变化", "文号"], recent, 0) if recent else "暂无。\n"
    latest = [  # the subscription page (subscribe.md): the feed's latest entries as a page a person reads
        [Markup(f'<a href="{rel("subscribe/", e.page)}">{md(e.name)}</a>'), md(day), md(what), md(document)]
        for day, e, what, document in changes[:50]
    ]
    out["latest-changes"] = html_table(["企业", "日期", "变化", "文号"], latest, 0) if latest else "暂无。\n"
    return out


def guide_fragments(policy: Policy, extra: Mapping[str, Any], today: date | None = None, changes: Sequence[Change] = ()) -> dict[str, str]:
    """The applicant's guide: the conditions in plain words with the numbers of policy.yml in force on the data date
    ``today`` (``policy``), the dated changes of those numbers (decided for later, and in force), and the bureau's
    contact from mkdocs.yml ``extra.ipreg_contact``."""
    from generator.site.revisions import guide_note

    p = policy
    conditions = "\n" + environment().get_template("guide-conditions.md.j2").render(p=p)
    conditions += guide_note(list(changes), today) if today is not None else ""
    contact = extra.get("ipreg_contact") or {}
    lines = [
        f"- {label}：{_phone_link(contact[key]) if key == 'phone' else md(contact[key])}"
        for key, label in (("office", "受理部门"), ("address", "地址"), ("phone", "电话"), ("hours", "办公时间"))
        if contact.get(key)
    ]
    limit = contact.get("time_limit")
    timing = (f"{md(limit)}（本登记簿公布的办理时限；《办法》没有规定审核时限）\n" if limit
              else f"《办法》没有规定审核时限，请向{md(p.issuer)}咨询办理进度（联系方式见下）。\n")
    return {"conditions": conditions, "time-limit": timing,
            "contact": "\n".join(lines) + "\n" if lines else f"请向{md(p.issuer)}咨询。\n"}


def _phone_link(phone: str) -> str:
    """A telephone number a phone can call with one tap (tel:, digits and + only), shown as written."""
    digits = re.sub(r"[^0-9+]", "", phone.split("（")[0])
    return f'<a href="tel:{digits}">{md(phone)}</a>' if len(digits) >= 7 else md(phone)


def public_fields() -> str:
    rows = [[Markup(f"<code>{md(k)}</code>"), md(v)] for k, v in PUBLIC_FIELDS.items()]
    return html_table(["字段", "说明"], rows)


def licence_fragment(extra: Mapping[str, Any], issuer: str) -> str:
    licence = extra.get("ipreg_licence") or {}
    name, url = (
        licence.get("name", "知识共享署名 4.0 国际许可协议（CC BY 4.0）"),
        licence.get("url", "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"),
    )
    return (
        f"本站的开放数据按[{md(name)}]({url})许可发布：可以自由复制、分发和改编，包括商业使用，"
        f"但须注明来源“{md(issuer)}知识产权强企名单”。JSON 文件中的 `licence` 字段写明同样的许可。\n"
    )


def policy_pages(versions: Sequence[tuple[Measures, str]], today: date, changes: Sequence[Change] = ()) -> dict[str, str]:
    """政策原文: the version in force on the data date with its 文号, dates and 现行有效, the versions before it (each
    on a page of its own, policy/<施行日期>.md, with the days it was in force) and any published but not yet in force.
    ``versions``: each version of the measures with its text, oldest first; ``changes``: the dated changes of values
    (``PolicyHistory.changes``), listed above the text in force, which states the values as issued."""
    from generator.site.measures import measures_markdown
    from generator.site.revisions import policy_note

    env = environment()
    current_index = max([i for i, (v, _) in enumerate(versions) if v.in_force <= today], default=0)
    pages: dict[str, str] = {}
    earlier, coming = [], []
    for i, (version, text) in enumerate(versions):
        if i == current_index:
            continue
        until = versions[i + 1][0].in_force - timedelta(days=1) if i + 1 < len(versions) else None
        page = f"policy/{version.in_force}.md"
        state = "已废止" if i < current_index else "尚未施行"
        pages[page] = env.get_template("policy-version.md.j2").render(
            version=version, state=state, last_day=until if i < current_index else None, current_page=Markup("../"),
            body=Markup(measures_markdown(text)))
        link = Markup(f"{version.in_force}/")
        if i < current_index:
            earlier.append((version, until, Markup("policy/") + link))
        else:
            coming.append((version, Markup("policy/") + link))
    current, text = versions[current_index]
    pages["policy.md"] = env.get_template("policy.md.j2").render(current=current, earlier=earlier, coming=coming,
                                                                 revisions=policy_note(list(changes), today),
                                                                 body=Markup(measures_markdown(text)))
    return pages
