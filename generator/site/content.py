"""The generator core of the site: published enterprises -> pages (Markdown) and fragments, as plain data.

Nothing here knows MkDocs: ``build_content`` returns a SiteContent whose pages could be written
to a folder for any other static-site engine. Enterprise pages are rendered one record at a time
by ``site_part``, which ``ipreg build`` runs in the worker processes that check the records.
Record text goes through ``escape.md`` (Jinja's ``finalize``) everywhere; charts (``charts``, SVG drawn
here at build time) contain no record text but dates and counts.
"""

from __future__ import annotations

import functools
import html
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator import qr
from generator.dates import anniversary
from generator.labels import CATEGORY_ZH, DATE_ZH, DUE_KIND_ZH, EVENT_ZH, STATUS_MEANING_ZH, STATUS_ZH
from generator.lifecycle import STATUSES, Status
from generator.policy import Policy, default_policy
from generator.registry import Local
from generator.site.charts import lifecycle_chart, monthly_chart
from generator.site.escape import md, rel, safe_url
from generator.site.measures import measures_markdown
from generator.site.privacy import Secret, secrets
from generator.site.public import PUBLIC_FIELDS, PublicEnterprise, honor_zh, public_enterprise

TEMPLATES = Path(__file__).resolve().parent / "templates"
LIST_PAGE_SIZE = 500  # default rows per list page (mkdocs.yml extra.ipreg_list_page_size): a page stays light however large the registry
PUBLISHED_STATUSES = tuple(s for s in STATUSES if s != "pending")
LISTED_STATUSES = ("valid", "review_due", "under_review", "conditional")
CHANGED_MARK = "<!-- ipreg:changed -->"  # replaced by the record's last change date (Git) when the site is assembled


@dataclass(frozen=True)
class SiteContent:
    """Generated Markdown pages (by source path), fragments for hand-written pages, static files."""

    pages: dict[str, str] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md(value)


@functools.cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, finalize=_finalize,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals.update(date_zh=DATE_ZH, category_zh=CATEGORY_ZH, event_zh=EVENT_ZH, honor_zh=honor_zh, badge=badge, key_date=key_date,
                       status_meaning=STATUS_MEANING_ZH, status_zh=STATUS_ZH, listed_statuses=LISTED_STATUSES,
                       published_statuses=PUBLISHED_STATUSES)
    return env


def badge(status: str) -> Markup:
    """A status badge: the status is written out (colour is never the only sign), its meaning in the title."""
    return Markup(f'<span class="ipreg-badge ipreg-{status}" title="{md(STATUS_MEANING_ZH[status])}">{STATUS_ZH[status]}</span>')


def key_date(st: Status) -> tuple[str, str]:
    """The one date a reader needs for a status, and what it is: the term end, the review deadline, the grace end,
    or when the cycle ended."""
    if st.status == "under_review" and st.review_deadline:
        return "复核期限", st.review_deadline.isoformat()
    if st.status == "conditional" and st.grace_until:
        return "保留资格至", st.grace_until.isoformat()
    if st.status in ("valid", "review_due") and st.term_end:
        return "有效期至", st.term_end.isoformat()
    if st.ended_on:
        return {"lapsed": "不再列出自", "revoked": "撤销于", "withdrawn": "退出于"}.get(st.status, "终止于"), st.ended_on.isoformat()
    return "", ""


def _days(n: int) -> str:
    return "今天" if n == 0 else f"还有 {n} 天"


def status_sentence(st: Status, today: date, cause: str | None) -> str:
    """The status in one plain sentence with its dates and days left (the enterprise page's first fact)."""
    if st.status == "valid" and st.term_end:
        return f"有效：列入公开名单，有效期至 {st.term_end}，{_days((st.term_end - today).days)}。"
    if st.status == "review_due" and st.term_end:
        return (f"待复核：列入公开名单，有效期至 {st.term_end}，{_days((st.term_end - today).days)}；"
                "有效期满后由县市场监管局（知识产权局）组织复核。")
    if st.status == "under_review" and st.review_deadline and st.term_end:
        return (f"复核中：有效期已于 {st.term_end} 届满，复核结果作出前仍列入公开名单；复核期限至 {st.review_deadline}，"
                f"{_days((st.review_deadline - today).days)}。")
    if st.status == "conditional" and st.grace_until:
        return (f"保留资格：复核未通过，保留资格至 {st.grace_until}，{_days((st.grace_until - today).days)}，其间再次参加复核；"
                "仍列入公开名单。")
    if st.status == "lapsed":
        return f"逾期未复核：{cause or '没有复核结果'}，自 {st.ended_on} 起暂不列入公开名单，等待备案机关录入复核结果或撤销决定。"
    if st.status == "withdrawn":
        return f"已退出：企业申请退出，{st.ended_on} 起不在公开名单中。"
    ban = f"；至 {st.ban_until}（含）不得再申请备案" if st.ban_until and st.ban_until >= today else ""
    return f"已撤销：{st.ended_on} 从名单中撤销（{cause or '见备案事件'}），不在公开名单中{ban}。"


def _linker(page: str) -> Any:
    return lambda target: Markup(rel(page, target))


def site_part(local: Local, policy: Policy, today: date) -> tuple[tuple[PublicEnterprise, str] | None, tuple[Secret, ...]]:
    """The public view of one checked record and its page (None when it is not published: no cycle of it had a
    decision, or not a valid record), and the values no hand-written page may show (``privacy.secrets``). Runs where the
    record is checked, in a worker process."""
    if local.record is None or local.status is None:
        return None, ()
    e = public_enterprise(local.record, local.status, today, policy)
    hidden = secrets(local.record, published=e is not None)
    if e is None:
        return None, hidden
    return (e, enterprise_page(e, today)), hidden


def build_content(items: list[PublicEnterprise], pages: dict[str, str], today: date, measures: str, schema: dict[str, Any],
                  list_page_size: int = LIST_PAGE_SIZE, policy: Policy | None = None, extra: Mapping[str, Any] | None = None,
                  changed: Mapping[str, date] | None = None) -> SiteContent:
    """Every generated page and fragment, given the published enterprises (by USCC) and their pages.

    The open data files come from ``opendata.open_data``; the site builds them on the side. ``changed`` maps
    ``records/X.yaml`` to the date of its last commit (``history.last_changes``).
    """
    policy = policy or default_policy()
    extra = extra or {}
    changed = changed or {}
    env = environment()
    content = SiteContent()
    content.pages.update(list_pages(env, [e for e in items if e.status.listed], today, list_page_size))
    for e in items:
        source = f"enterprises/{e.uscc}.md"
        day = changed.get(f"records/{e.uscc}.yaml")
        note = f"记录最后修改于 <time>{day}</time>。" if day else ""
        content.pages[source] = pages[source].replace(CHANGED_MARK, note)
    content.pages["timeline.md"] = _timeline_page(env, items, today)
    content.pages["history.md"] = _history_page(env, items)
    content.pages["policy.md"] = "---\nhide:\n  - navigation\n---\n\n# 政策原文：西平县知识产权强企培育备案管理办法 { #measures }\n\n" + measures_markdown(measures)
    content.fragments.update(_home_fragments(items, today, policy.review_notice_days))
    content.fragments.update(guide_fragments(policy, extra))
    content.fragments["public-fields"] = public_fields()
    content.fragments["licence"] = licence_fragment(extra, policy.issuer)
    from generator.site.verify import verify_index

    content.files["data/verify.json"] = verify_index(items, today, policy.certificate_format, extra.get("ipreg_contact") or {})
    content.pages["verify.md"] = _verify_page(extra, policy.issuer)
    content.pages["statistics.md"] = _statistics_page(items, today)
    content.pages["sitemap.md"] = _sitemap_page(content.pages)
    content.fragments["status-legend"] = ('<dl class="ipreg-legend">\n' + "".join(
        f"<dt>{badge(s)}</dt><dd>{md(STATUS_MEANING_ZH[s])}</dd>\n" for s in PUBLISHED_STATUSES) + "</dl>\n")
    return content


def _statistics_page(items: list[PublicEnterprise], today: date) -> str:
    """年度统计 from the public data only, one row per year from the first decision to the data date (the figures of
    ``ipreg report``: ``yearly.year_figures``), with an SVG chart."""
    from generator.site.charts import DECISION_LABELS, yearly_chart
    from generator.yearly import report_years, year_figures

    years = [year_figures(items, year, today) for year in report_years(items, today)]
    rows = [[Markup(f"<strong>{y.year}</strong>"), *(md(y.by_type.get(k, 0)) for k in DECISION_LABELS), md(y.listed),
             md(len(y.entered)), md(len(y.left))] for y in years]
    header = ["年份", *DECISION_LABELS.values(), "年底在名单中", "当年进入", "当年离开"]
    table = _table(header, rows, 0) if rows else "暂无。\n"
    return ("---\nhide:\n  - navigation\n---\n\n# 年度统计 { #statistics }\n\n"
            f"每年作出的备案决定，以及每年年底（当年为 <time>{today}</time>）公开名单中的企业数、当年进入和离开名单的企业数"
            "（没有作出决定的年份也列出：例如有效期届满后逾期未复核而离开名单）。数字由本站的公开数据计算（不含申报中的企业），"
            "与备案机关的年度统计表相同。\n\n"
            f"{yearly_chart({y.year: y.by_type for y in years})}\n\n{table}")


SITE_MAP = (("首页", "index.md"), ("名单", "list.md"), ("复核时间表", "timeline.md"), ("撤销与历史", "history.md"), ("证书核验", "verify.md"),
            ("年度统计", "statistics.md"), ("政策原文", "policy.md"), ("申报指南", "guide.md"), ("开放数据", "data.md"), ("隐私声明", "privacy.md"))


def _sitemap_page(pages: Mapping[str, str]) -> str:
    """网站地图: every page kind, and the list's pages (each enterprise is reached from the list and the search)."""
    lines = [f"- [{title}]({source})" for title, source in SITE_MAP]
    more = sorted((p for p in pages if p.startswith("list/")), key=lambda p: int(p[5:-3]))
    if more:
        lines.append("- 名单的各页：" + "、".join(f"[第 {i} 页]({p})" for i, p in enumerate(["list.md", *more], 1)))
    lines.append("- 每家企业的页面：从[名单](list.md)、[复核时间表](timeline.md)、[撤销与历史](history.md)或页面上方的搜索进入")
    lines.append("- 开放数据文件：[enterprises.json](data/enterprises.json)、[enterprises.csv](data/enterprises.csv)、"
                 "[reviews.ics](data/reviews.ics)、[changes.xml](data/changes.xml)")
    return "---\nhide:\n  - navigation\n---\n\n# 网站地图 { #sitemap }\n\n" + "\n".join(lines) + "\n"


def _verify_page(extra: Mapping[str, Any], issuer: str) -> str:
    contact = extra.get("ipreg_contact") or {}
    who = md(" ".join(str(contact[k]) for k in ("office", "phone") if contact.get(k)) or issuer)
    # the answer comes first (a certificate's QR code opens this page with ?cert=&uscc=): it is the first thing on a phone
    return f"""---
hide:
  - navigation
---

# 证书核验 {{ #verify }}

<div id="ipreg-verify-result" class="ipreg-verify-result" aria-live="polite" tabindex="-1"></div>

<form id="ipreg-verify" class="ipreg-verify" data-index="../data/verify.json" data-issuer="{md(issuer)}" aria-label="证书核验">
<p><label for="ipreg-verify-q">证书编号、统一社会信用代码或企业名称</label><br>
<input id="ipreg-verify-q" name="cert" type="text" autocomplete="off" required aria-describedby="ipreg-verify-hint"><br>
<small id="ipreg-verify-hint">括号可以不输入，例如 <span class="ipreg-nowrap">2024-1</span> 或 <span class="ipreg-nowrap">2024001</span>；
代码可以只输入最后 6 位以上；名称可以只输入一部分。</small></p>
<p><label for="ipreg-verify-day">查询某一天的状态（可不填）</label><br>
<input id="ipreg-verify-day" name="date" type="date"></p>
<p><button type="submit" class="md-button md-button--primary">核验</button></p>
</form>

<noscript><p>核验需要浏览器启用 JavaScript。也可以在<a href="../list/">名单</a>中查找，或下载<a href="../data/">开放数据</a>。</p></noscript>

输入证书编号、统一社会信用代码或企业名称，查看证书是否真实、企业今天是否在知识产权强企名单中、状态到哪一天；填写日期还可以查看那一天的状态（例如银行核实企业在贷款申请日是否在名单中）。证书上的二维码会直接打开本页并显示核验结果。

没有找到、或结果与证书不符的，请联系{who}。

<script src="../assets/javascripts/verify.js"></script>
"""


def list_pages(env: Environment, listed: list[PublicEnterprise], today: date, size: int = LIST_PAGE_SIZE) -> dict[str, str]:
    """The public list: list.md, and list/2.md, list/3.md ... when more than ``size`` enterprises are listed
    (each page a slice in USCC order, with a pager; search and the CSV cover the whole list)."""
    chunks = [listed[i:i + size] for i in range(0, len(listed), size)] or [[]]
    sources = ["list.md"] + [f"list/{n}.md" for n in range(2, len(chunks) + 1)]
    out = {}
    urls = ["list/"] + [f"list/{n}/" for n in range(2, len(chunks) + 1)]
    for number, (source, url, chunk) in enumerate(zip(sources, urls, chunks), 1):
        links = [f'<strong aria-current="page">{n}</strong>' if n == number else f'<a href="{rel(url, target)}">{n}</a>'
                 for n, target in enumerate(urls, 1)]
        pager = Markup('<nav class="ipreg-pager" aria-label="名单分页">' + " · ".join(links) + "</nav>")
        out[source] = env.get_template("list.md.j2").render(
            today=today, items=chunk, total=len(listed), number=number, pages=len(chunks), pager=pager, size=size,
            first=chunk[0].uscc if chunk else "", last=chunk[-1].uscc if chunk else "",
            root=Markup("../" * source.count("/")), link=_linker(url))
    return out


def enterprise_page(e: PublicEnterprise, today: date) -> str:
    st = e.status
    label, day = key_date(st)
    certificates = [ev for ev in e.data["events"] if ev["certificate"] and ev["type"] in ("filed", "review_passed")]
    # the QR code is its own file (qr.svg, made with the open data in the background: site_files); the page shows it
    code = Markup(f'<img class="ipreg-qr" src="qr.svg" width="{qr.PAGE_QR_PX}" height="{qr.PAGE_QR_PX}" loading="lazy" '
                  f'alt="二维码：{md(e.name)}的本页地址">') if st.listed else None
    return environment().get_template("enterprise.md.j2").render(
        e=e, d=e.data, today=today, status_sentence=status_sentence(st, today, e.cause_zh), website=safe_url(e.data["website"]),
        deadline_zh=DUE_KIND_ZH.get(st.next_deadline_kind or "", ""), key_label=label, key_day=day,
        days_left=(st.next_deadline - today).days if st.next_deadline else None,
        diagram=lifecycle_chart(st, today), link=_linker(e.page), meta_title=front_matter_title(e.name), changed_mark=Markup(CHANGED_MARK),
        certificates=certificates, qr_code=code, verify=lambda number: Markup(html.escape(qr.verify_url("../../", number, e.uscc))),
    )


def front_matter_title(text: str) -> Markup:
    """A page title for YAML front matter. Material prints ``page.meta.title`` unescaped into
    ``<title>`` and the header, so it is HTML-escaped here, then quoted as a JSON (= YAML) string."""
    return Markup(json.dumps(html.escape(text.replace("\n", " "), quote=True)))


@dataclass(frozen=True)
class _Row:
    day: date
    kind: str
    e: PublicEnterprise


def _timeline_page(env: Environment, items: list[PublicEnterprise], today: date) -> str:
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
        today=today, horizon=horizon, months=list(months.items()), diagram=chart, link=_linker("timeline/"), kind_zh=DUE_KIND_ZH,
        month_id=lambda r: f"m{r.day.year}-{r.day.month:02d}")


@dataclass(frozen=True)
class _HistoryRow:
    day: date | None
    reason: str | None
    document: str | None
    e: PublicEnterprise


def _history_page(env: Environment, items: list[PublicEnterprise]) -> str:
    rows = []
    for e in items:
        st = e.status
        if st.ended:
            ending = next((ev for ev in reversed(e.data["events"]) if ev["type"] in ("revoked", "withdrawn", "review_absent", "review_failed")), None)
            rows.append(_HistoryRow(st.ended_on, e.cause_zh, ending["document"] if ending else None, e))
        elif st.status == "lapsed":
            rows.append(_HistoryRow(st.ended_on, e.cause_zh, None, e))
    rows.sort(key=lambda r: (r.day or date.min, r.e.uscc), reverse=True)
    return env.get_template("history.md.j2").render(items=rows, link=_linker("history/"))


def _table(header: list[str], rows: list[list[Markup]], primary: int | None = None) -> str:
    """A table that becomes cards on a phone: every cell carries its column's header (``data-label``)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(_cell(header[i], c, i == primary) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="ipreg-table" data-search-exclude>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n'


def _cell(label: str, value: Markup, primary: bool = False) -> str:
    return f'<td class="ipreg-primary">{value}</td>' if primary else f'<td data-label="{md(label)}">{value}</td>'


def _home_fragments(items: list[PublicEnterprise], today: date, window: int) -> dict[str, str]:
    """The home page's blocks: counts that add up (the listed statuses sum to the list), the next deadlines, and the
    latest changes (decisions, and removals nobody decided: a review deadline or grace year that ran out)."""
    counts = Counter(e.status.status for e in items)
    listed = sum(counts.get(s, 0) for s in LISTED_STATUSES)
    rows = [[badge(s), Markup(str(counts.get(s, 0))), md(STATUS_MEANING_ZH[s])] for s in LISTED_STATUSES]
    rows.append([Markup("<strong>合计</strong>"), Markup(f"<strong>{listed}</strong>"), md("公开名单中的企业")])
    off = [[badge(s), Markup(str(counts.get(s, 0))), md(STATUS_MEANING_ZH[s])] for s in PUBLISHED_STATUSES if s not in LISTED_STATUSES]
    out = {"status-counts": (f"截至 **{today}**，公开名单中共有 **{listed}** 家企业：\n\n" + _table(["状态", "企业数", "含义"], rows, None)
                             + "\n不在公开名单中的已备案企业：\n\n" + _table(["状态", "企业数", "含义"], off, None))}
    soon = sorted((e for e in items if e.status.listed and e.status.next_deadline and 0 <= (e.status.next_deadline - today).days <= window),
                  key=lambda e: (e.status.next_deadline or today, e.uscc))
    upcoming = [[Markup(f'<a href="{rel("", e.page)}">{md(e.name)}</a>'), md(e.status.next_deadline),
                 md(DUE_KIND_ZH[e.status.next_deadline_kind or "term_end"]),
                 md(_days((e.status.next_deadline - today).days) if e.status.next_deadline else ""), badge(e.status.status)] for e in soon]
    out["upcoming"] = (_table(["企业", "日期", "事项", "剩余", "状态"], upcoming, 0) if upcoming
                       else f"{window} 天内没有届满的有效期、复核期限或保留资格期。\n")
    changes = [(day, e, EVENT_ZH[ev["type"]], ev["document"] or "—") for e in items for ev in e.data["events"]
               if (day := ev["date"]) <= today.isoformat()]
    changes += [(e.status.ended_on.isoformat(), e, "移出名单（" + (e.cause_zh or "无复核结果") + "）", "—（无决定）")
                for e in items if e.status.status == "lapsed" and e.status.ended_on and e.status.ended_on <= today]
    changes.sort(key=lambda x: (x[0], x[1].uscc), reverse=True)
    recent = [[Markup(f'<a href="{rel("", e.page)}">{md(e.name)}</a>'), md(day), md(what), md(document)] for day, e, what, document in changes[:10]]
    out["recent-decisions"] = _table(["企业", "日期", "变化", "文号"], recent, 0) if recent else "暂无。\n"
    return out


def guide_fragments(policy: Policy, extra: Mapping[str, Any]) -> dict[str, str]:
    """The applicant's guide: the conditions in plain words with the numbers of policy.yml, and the bureau's contact
    from mkdocs.yml ``extra.ipreg_contact``."""
    p = policy
    conditions = "\n" + environment().get_template("guide-conditions.md.j2").render(p=p)
    contact = extra.get("ipreg_contact") or {}
    lines = [f"- {label}：{md(contact[key])}" for key, label in (("office", "受理部门"), ("address", "地址"), ("phone", "电话"),
                                                                 ("hours", "办公时间")) if contact.get(key)]
    return {"conditions": conditions, "contact": "\n".join(lines) + "\n" if lines else f"请向{md(p.issuer)}咨询。\n"}


def public_fields() -> str:
    rows = [[Markup(f"<code>{md(k)}</code>"), md(v)] for k, v in PUBLIC_FIELDS.items()]
    return _table(["字段", "说明"], rows)


def licence_fragment(extra: Mapping[str, Any], issuer: str) -> str:
    licence = extra.get("ipreg_licence") or {}
    name, url = licence.get("name", "知识共享 署名 4.0 国际（CC BY 4.0）"), licence.get("url", "https://creativecommons.org/licenses/by/4.0/deed.zh-hans")
    return (f"本站的开放数据按 [{md(name)}]({url}) 许可发布：可以自由复制、分发和改编，包括商业使用，"
            f"但须注明来源“{md(issuer)}知识产权强企名单”。JSON 文件中的 `licence` 字段写明同样的许可。\n")
