"""The generator core of the site: published enterprises -> pages (Markdown) and fragments, as plain data.

Nothing here knows MkDocs: ``build_content`` returns a SiteContent whose pages could be written
to a folder for any other static-site engine. Enterprise pages are rendered one record at a time
by ``site_part``, which ``ipreg build`` runs in the worker processes that check the records.
Record text goes through ``escape.md`` (Jinja's ``finalize``) everywhere; Mermaid diagrams
contain no record text but USCCs, dates and counts.
"""

from __future__ import annotations

import functools
import html
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.dates import anniversary
from generator.labels import CATEGORY_ZH, DUE_KIND_ZH, EVENT_ZH, SEVERITY_ZH, STATUS_ZH
from generator.lifecycle import STATUSES
from generator.policy import Policy, default_policy
from generator.registry import Local
from generator.rules import ARTICLE_ANCHORS, CATALOGUE
from generator.site.escape import md, rel, safe_url
from generator.site.measures import measures_markdown
from generator.site.privacy import Secret, secrets
from generator.site.public import PUBLIC_FIELDS, PublicEnterprise, honor_zh, public_enterprise

TEMPLATES = Path(__file__).resolve().parent / "templates"
LIST_PAGE_SIZE = 500  # default rows per list page (mkdocs.yml extra.ipreg_list_page_size): a page stays light however large the registry
GANTT_MAX_ROWS = 60  # beyond this a bar per enterprise is unreadable (and Mermaid refuses diagrams over 50,000 characters)
PUBLISHED_STATUSES = tuple(s for s in STATUSES if s != "pending")


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
    env.globals.update(category_zh=CATEGORY_ZH, event_zh=EVENT_ZH, honor_zh=honor_zh, badge=badge)
    return env


def badge(status: str) -> Markup:
    return Markup(f'<span class="ipreg-badge ipreg-{status}">{STATUS_ZH[status]}</span>')


def _linker(page: str) -> Any:
    return lambda target: Markup(rel(page, target))


def rule_link(rule_id: str, page: str) -> Markup:
    """A rule id as a link to its article on the policy page (plain code when it has none)."""
    article = CATALOGUE[rule_id].article
    anchor = ARTICLE_ANCHORS.get(article or "")
    if anchor is None:
        return Markup(f"<code>{md(rule_id)}</code>")
    return Markup(f'<a href="{rel(page, "policy/")}#{anchor}"><code>{md(rule_id)}</code></a>')


def site_part(local: Local, today: date) -> tuple[tuple[PublicEnterprise, str] | None, tuple[Secret, ...]]:
    """The public view of one checked record and its page (None when it is not published: pending, or not
    a valid record), and the values no hand-written page may show (``privacy.secrets``). Runs where the
    record is checked, in a worker process."""
    if local.record is None or local.status is None:
        return None, ()
    hidden = secrets(local.record, local.status)
    if local.status.status == "pending":
        return None, hidden
    e = public_enterprise(local.record, local.status, today)
    return (e, enterprise_page(e, today)), hidden


def build_content(items: list[PublicEnterprise], pages: dict[str, str], today: date, measures: str, schema: dict[str, Any],
                  list_page_size: int = LIST_PAGE_SIZE, policy: Policy | None = None) -> SiteContent:
    """Every generated page and fragment, given the published enterprises (by USCC) and their pages.

    The open data files come from ``exports.open_data``; the site builds them on the side.
    """
    policy = policy or default_policy()
    env = environment()
    content = SiteContent()
    content.pages.update(list_pages(env, [e for e in items if e.status.listed], today, list_page_size))
    content.pages.update(pages)
    content.pages["timeline.md"] = _timeline_page(env, items, today)
    content.pages["history.md"] = _history_page(env, items)
    content.pages["policy.md"] = "---\nhide:\n  - navigation\n---\n\n# 政策原文：西平县知识产权强企培育备案管理办法\n\n" + measures_markdown(measures)
    content.fragments.update(_home_fragments(items, today, policy.review_notice_days))
    content.fragments["field-reference"] = field_reference(schema)
    content.fragments["rule-reference"] = rule_reference("guide/", policy)
    content.fragments["public-fields"] = public_fields()
    return content


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
    if st.listed:
        sentence = f"列入 {today} 的公开名单。"
    elif st.status == "lapsed":
        sentence = f"{e.cause_zh}，自 {st.ended_on} 起不在公开名单中，等待备案机关录入复核结果或撤销决定。"
    elif st.status == "withdrawn":
        sentence = f"已于 {st.ended_on} 退出（{e.cause_zh}），不在公开名单中。"
    else:
        sentence = f"已于 {st.ended_on} 撤销（{e.cause_zh}），不在公开名单中。"
    return environment().get_template("enterprise.md.j2").render(
        e=e, d=e.data, today=today, status_sentence=sentence, website=safe_url(e.data["website"]),
        deadline_zh=DUE_KIND_ZH.get(st.next_deadline_kind or "", ""),
        diagram=enterprise_diagram(e), link=_linker(e.page), meta_title=front_matter_title(e.name),
    )


def front_matter_title(text: str) -> Markup:
    """A page title for YAML front matter. Material prints ``page.meta.title`` unescaped into
    ``<title>`` and the header, so it is HTML-escaped here, then quoted as a JSON (= YAML) string."""
    return Markup(json.dumps(html.escape(text.replace("\n", " "), quote=True)))


def _mermaid(lines: list[str]) -> Markup:
    return Markup('<div data-search-exclude markdown>\n\n```mermaid\n' + "\n".join(lines) + "\n```\n\n</div>\n")


def enterprise_diagram(e: PublicEnterprise) -> Markup:
    """A Mermaid gantt of the terms, grace periods and bans (no record text, only dates)."""
    st = e.status
    lines = ["gantt", "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m", "    title 有效期、保留资格期与禁止申请期"]
    lines.append("    section 有效期")
    for i, (start, end) in enumerate(st.terms, 1):
        lines.append(f"    第{i}期 :{'active, ' if st.listed and i == len(st.terms) else ''}t{i}, {start}, {end}")
    if st.graces:
        lines.append("    section 保留资格")
        lines += [f"    保留资格 :crit, g{i}, {start}, {end}" for i, (start, end) in enumerate(st.graces, 1)]
    if st.bans:
        lines.append("    section 禁止申请")
        lines += [f"    禁止申请 :crit, b{i}, {start}, {end}" for i, (start, end) in enumerate(st.bans, 1)]
    return _mermaid(lines)


@dataclass(frozen=True)
class _Row:
    day: date
    kind: str
    e: PublicEnterprise


def _timeline_page(env: Environment, items: list[PublicEnterprise], today: date) -> str:
    horizon = anniversary(today, 2)
    rows: list[_Row] = []
    for e in items:
        if not e.status.listed:
            continue
        if e.status.term_end and today <= e.status.term_end <= horizon and e.status.status != "conditional":
            rows.append(_Row(e.status.term_end, "有效期届满", e))
        if e.status.grace_until and today <= e.status.grace_until <= horizon and e.status.status == "conditional":
            rows.append(_Row(e.status.grace_until, "保留资格期届满", e))
    rows.sort(key=lambda r: (r.day, r.e.uscc))
    months: dict[str, list[_Row]] = {}
    for r in rows:
        months.setdefault(f"{r.day.year}年{r.day.month}月", []).append(r)
    if len(rows) <= GANTT_MAX_ROWS:
        lines = ["gantt", "    dateFormat YYYY-MM-DD", "    axisFormat %Y-%m", "    title 24 个月内届满（按统一社会信用代码）"]
        for month, month_rows in months.items():
            lines.append(f"    section {month}")
            for i, r in enumerate(month_rows):
                start = r.e.status.term_start if r.kind == "有效期届满" else r.e.status.graces[-1][0]
                lines.append(f"    {r.e.uscc} :{'crit, ' if r.kind != '有效期届满' else ''}{r.e.uscc[-6:]}{i}, {start}, {r.day}")
    else:
        lines = _monthly_bars(rows, today, horizon)
    return env.get_template("timeline.md.j2").render(
        today=today, horizon=horizon, months=list(months.items()), diagram=_mermaid(lines), link=_linker("timeline/"))


def _monthly_bars(rows: list[_Row], today: date, horizon: date) -> list[str]:
    """A bar chart of how many terms and grace periods end in each month up to ``horizon`` (empty months too)."""
    counts = Counter((r.day.year, r.day.month) for r in rows)
    months = []
    year, month = today.year, today.month
    while (year, month) <= (horizon.year, horizon.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    labels = ", ".join(f'"{y}-{m:02d}"' for y, m in months)
    bars = ", ".join(str(counts.get(ym, 0)) for ym in months)
    return ['%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#e53935"}}}}%%',
            "xychart-beta horizontal",
            f'    title "每月届满的有效期和保留资格期（共 {len(rows)} 项）"',
            f"    x-axis [{labels}]",
            f'    y-axis "项数" 0 --> {max(counts.values())}',
            f"    bar [{bars}]"]


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


def _table(header: list[str], rows: list[list[Markup]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="ipreg-table" data-search-exclude>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n'


def _home_fragments(items: list[PublicEnterprise], today: date, window: int) -> dict[str, str]:
    counts = Counter(e.status.status for e in items)
    listed = sum(e.status.listed for e in items)
    status_rows = [[badge(s), Markup(str(counts.get(s, 0)))] for s in PUBLISHED_STATUSES]
    out = {"status-counts": f"截至 **{today}**，公开名单中共 **{listed}** 家企业。\n\n" + _table(["状态", "企业数"], status_rows)}
    soon = sorted((e for e in items if e.status.listed and e.status.next_deadline and (e.status.next_deadline - today).days <= window),
                  key=lambda e: (e.status.next_deadline or today, e.uscc))
    upcoming = [[md(e.status.next_deadline), md(DUE_KIND_ZH[e.status.next_deadline_kind or "term_end"]),
                 Markup(f'<a href="{rel("", e.page)}">{md(e.name)}</a>'), badge(e.status.status)] for e in soon]
    out["upcoming"] = _table(["日期", "事项", "企业", "状态"], upcoming) if upcoming else f"{window} 天内没有届满的有效期、复核期限或保留资格期。\n"
    events = sorted(((ev["date"], e, ev) for e in items for ev in e.data["events"]), key=lambda x: (x[0], x[1].uscc), reverse=True)[:10]
    recent = [[md(day), md(EVENT_ZH[ev["type"]]), Markup(f'<a href="{rel("", e.page)}">{md(e.name)}</a>'), md(ev["document"] or "—")]
              for day, e, ev in events]
    out["recent-decisions"] = _table(["日期", "决定", "企业", "文号"], recent) if recent else "暂无。\n"
    return out


def field_reference(schema: dict[str, Any]) -> str:
    """The record format, generated from the enterprise schema's Chinese titles and descriptions."""
    rows: list[list[Markup]] = []
    required_top = set(schema.get("required", []))
    defs = schema.get("$defs", {})

    def walk(props: dict[str, Any], prefix: str, required: set[str]) -> None:
        for name, spec in props.items():
            ref = spec.get("$ref", "")
            resolved = {**defs.get(ref.rsplit("/", 1)[-1], {}), **spec} if ref else spec
            path = f"{prefix}{name}"
            kind = resolved.get("type", "")
            rows.append([Markup(f"<code>{md(path)}</code>"), md(resolved.get("title", "")), md("是" if name in required else "否"),
                         md(_type_zh(resolved)), md(resolved.get("description", ""))])
            if kind == "object":
                walk(resolved.get("properties", {}), path + ".", set(resolved.get("required", [])))
            elif kind == "array" and resolved.get("items", {}).get("type") == "object":
                item = resolved["items"]
                walk(item.get("properties", {}), path + "[].", set(item.get("required", [])))

    walk(schema.get("properties", {}), "", required_top)
    return _table(["字段", "名称", "必填", "类型", "说明"], rows)


def _type_zh(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return "取值：" + " / ".join(str(v) for v in spec["enum"])
    if spec.get("format") == "date":
        return "日期"
    return {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true/false", "object": "映射", "array": "列表"}.get(spec.get("type", ""), "")


def rule_reference(page: str, policy: Policy) -> str:
    rows = [[rule_link(r.id, page), md(r.article or "—"), md(SEVERITY_ZH[r.severity]), md(r.describe(policy))] for r in CATALOGUE.values()]
    return _table(["规则", "依据", "级别", "检查内容"], rows)


def public_fields() -> str:
    rows = [[Markup(f"<code>{md(k)}</code>"), md(v)] for k, v in PUBLIC_FIELDS.items()]
    return _table(["字段", "说明"], rows)
