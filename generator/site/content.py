"""The generator core of the site: published enterprises -> pages (Markdown) and fragments, as plain data.

Nothing here knows MkDocs: ``build_content`` returns a SiteContent whose pages could be written
to a folder for any other static-site engine. Enterprise pages are rendered one record at a time
by ``site_part``, which ``ipreg build`` runs in the worker processes that check the records.
Record text goes through ``escape.md`` (Jinja's ``finalize``) everywhere; charts (``charts``, SVG drawn
here at build time) contain no record text but dates and counts.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from generator import qr
from generator.labels import CATEGORY_ZH, CONVENTION_ZH, DUE_KIND_ZH, STATUS_MEANING_ZH
from generator.lifecycle import Status
from generator.policy import Measures, Policy, PolicyHistory, default_policy
from generator.public import PublicEnterprise, public_enterprise
from generator.registry import Local
from generator.site.charts import lifecycle_chart
from generator.site.escape import md, rel, safe_url
from generator.site.pages import (
    guide_fragments,
    history_page,
    home_fragments,
    licence_fragment,
    policy_pages,
    public_fields,
    sitemap_page,
    statistics_page,
    timeline_page,
    verify_page,
)
from generator.site.privacy import Secret, secrets
from generator.site.templating import PUBLISHED_STATUSES, badge, days_left, environment, key_date, linker
from generator.staff.support import SupportEntry, support_entries

LIST_PAGE_SIZE = 500  # default rows per list page (mkdocs.yml extra.ipreg_list_page_size): a page stays light however large the registry
CHANGED_MARK = "<!-- ipreg:changed -->"  # replaced by the record's last change date (Git) when the site is assembled
# around an enterprise page's 本页二维码: the section is dropped when the site has no real address (``qr.has_address``)
QR_SECTION = re.compile(r"<!-- ipreg:qr -->(.*?)<!-- /ipreg:qr -->", re.DOTALL)


@dataclass(frozen=True)
class SiteContent:
    """Generated Markdown pages (by source path), fragments for hand-written pages, static files."""

    pages: dict[str, str] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


def status_sentence(st: Status, today: date, cause: str | None) -> str:
    """The status in one plain sentence with its dates and days left (the enterprise page's first fact)."""
    if st.status == "valid" and st.term_end:
        return f"有效：列入公开名单，有效期至 {st.term_end}，{days_left((st.term_end - today).days)}。"
    if st.status == "review_due" and st.term_end:
        return (f"待复核：列入公开名单，有效期至 {st.term_end}，{days_left((st.term_end - today).days)}；"
                "有效期满后由县市场监管局（知识产权局）组织复核。")
    if st.status == "under_review" and st.review_deadline and st.term_end:
        return (f"复核中：有效期已于 {st.term_end} 届满，复核结果作出前仍列入公开名单；复核期限至 {st.review_deadline}，"
                f"{days_left((st.review_deadline - today).days)}。")
    if st.status == "conditional" and st.grace_until:
        return (f"保留资格：复核未通过，保留资格至 {st.grace_until}，{days_left((st.grace_until - today).days)}，其间再次参加复核；"
                "仍列入公开名单。")
    if st.status == "lapsed":
        return f"逾期未复核：{cause or '没有复核结果'}，自 {st.ended_on} 起暂不列入公开名单，等待备案机关录入复核结果或撤销决定。"
    if st.status == "withdrawn":
        return f"已退出：企业申请退出，{st.ended_on} 起不在公开名单中。"
    ban = f"；至 {st.ban_until}（含）不得再申请备案" if st.ban_until and st.ban_until >= today else ""
    return f"已撤销：{st.ended_on} 从名单中撤销（{cause or '见备案事件'}），不在公开名单中{ban}。"


def site_part(local: Local, policy: PolicyHistory, today: date) -> tuple[tuple[PublicEnterprise, str] | None, tuple[Secret, ...],
                                                                          tuple[SupportEntry, ...]]:
    """The public view of one checked record and its page (None when it is not published: no cycle of it had a
    decision, or not a valid record), the values no hand-written page may show (``privacy.secrets``) and its services
    and priority support for the public aggregates (``staff.support``). Runs where the record is checked, in a worker
    process."""
    if local.record is None or local.status is None:
        return None, (), ()
    e = public_enterprise(local.record, local.status, today, policy)
    hidden = secrets(local.record, published=e is not None)
    support = support_entries(local.record)
    if e is None:
        return None, hidden, support
    return (e, enterprise_page(e, today)), hidden, support


def build_content(items: list[PublicEnterprise], pages: dict[str, str], today: date, measures: str, schema: dict[str, Any],
                  list_page_size: int = LIST_PAGE_SIZE, history: PolicyHistory | None = None, extra: Mapping[str, Any] | None = None,
                  changed: Mapping[str, date] | None = None, versions: Sequence[tuple[Measures, str]] = (),
                  qr_codes: bool = True, support: Sequence[SupportEntry] = ()) -> SiteContent:
    """Every generated page and fragment, given the published enterprises (by USCC) and their pages.

    The open data files come from ``opendata.open_data``; the site builds them on the side. ``changed`` maps
    ``records/X.yaml`` to the date of its last commit (``history.last_changes``). ``versions``: each version of the
    measures with its text (policy.yml ``measures``); without them ``measures`` is the text in force. ``qr_codes``: False
    when the site has no real address, and the pages leave out the QR code of their address. ``support``: every record's
    services and priority support (``site_part``), published as aggregates only (data/support.json, .csv).
    """
    policy = (history or default_policy()).on(today)  # the texts show the values in force on the data date
    extra = extra or {}
    changed = changed or {}
    env = environment()
    content = SiteContent()
    content.pages.update(list_pages(env, [e for e in items if e.status.listed], today, list_page_size))
    for e in items:
        source = f"enterprises/{e.uscc}.md"
        day = changed.get(f"records/{e.uscc}.yaml")
        note = f"记录最后修改于 <time>{day}</time>。" if day else ""
        content.pages[source] = QR_SECTION.sub(lambda m: m[1] if qr_codes else "", pages[source].replace(CHANGED_MARK, note))
    content.pages["timeline.md"] = timeline_page(env, items, today)
    content.pages["history.md"] = history_page(env, items)
    changes = (history or default_policy()).changes()  # every dated change of a value, published (ARCHITECTURE.md section 7)
    content.pages.update(policy_pages(versions or [(_unstated(policy), measures)], today, changes))
    content.fragments.update(home_fragments(items, today, policy.review_notice_days))
    content.fragments.update(guide_fragments(policy, extra, today, changes))
    content.fragments["public-fields"] = public_fields()
    content.fragments["licence"] = licence_fragment(extra, policy.issuer)
    from generator.site.opendata import policy_json
    from generator.site.verify import verify_index

    content.files["data/policy.json"] = policy_json(history or default_policy(), today, extra.get("ipreg_licence"))
    _support_files(content, items, support, today, extra, history or default_policy())
    content.files["data/verify.json"] = verify_index(items, today, policy.certificate_format, extra.get("ipreg_contact") or {})
    content.pages["verify.md"] = verify_page(extra, policy.issuer)
    content.pages["statistics.md"] = statistics_page(items, today)
    content.pages["sitemap.md"] = sitemap_page(content.pages)
    content.fragments["status-legend"] = (
        '<dl class="ipreg-legend">\n'
        + "".join(f"<dt>{badge(s)}</dt><dd>{md(STATUS_MEANING_ZH[s])}</dd>\n" for s in PUBLISHED_STATUSES)
        + "</dl>\n"
    )
    return content


def list_pages(env: Environment, listed: list[PublicEnterprise], today: date, size: int = LIST_PAGE_SIZE) -> dict[str, str]:
    """The public list: list.md, and list/2.md, list/3.md ... when more than ``size`` enterprises are listed
    (each page a slice in USCC order, with a pager; search and the CSV cover the whole list)."""
    chunks = [listed[i : i + size] for i in range(0, len(listed), size)] or [[]]
    sources = ["list.md"] + [f"list/{n}.md" for n in range(2, len(chunks) + 1)]
    out = {}
    urls = ["list/"] + [f"list/{n}/" for n in range(2, len(chunks) + 1)]
    for number, (source, url, chunk) in enumerate(zip(sources, urls, chunks, strict=True), 1):
        links = [
            f'<strong aria-current="page">{n}</strong>' if n == number else f'<a href="{rel(url, target)}">{n}</a>'
            for n, target in enumerate(urls, 1)
        ]
        pager = Markup('<nav class="ipreg-pager" aria-label="名单分页">' + " · ".join(links) + "</nav>")
        out[source] = env.get_template("list.md.j2").render(
            today=today,
            items=chunk,
            total=len(listed),
            number=number,
            pages=len(chunks),
            pager=pager,
            size=size,
            first=chunk[0].uscc if chunk else "",
            last=chunk[-1].uscc if chunk else "",
            root=Markup("../" * source.count("/")),
            url_root=Markup(rel(url, "")),  # raw HTML is not rewritten by MkDocs: relative to the page's URL, not its source
            link=linker(url),
            industries=sorted({(e.data["industry"]["code"], e.data["industry"]["name"]) for e in listed if e.data["industry"]["code"]}),
            categories=sorted({e.data["category"] for e in listed}),  # the filters cover the whole list (ipreg.js)
        )
    return out


def enterprise_page(e: PublicEnterprise, today: date) -> str:
    st = e.status
    label, day = key_date(st)
    certificates = [ev for ev in e.data["events"] if ev["certificate"] and ev["type"] in ("filed", "review_passed")]
    # the QR code is its own file (qr.svg, made with the open data in the background: site_files); the page shows it
    code = (
        Markup(
            f'<img class="ipreg-qr" src="qr.svg" width="{qr.PAGE_QR_PX}" height="{qr.PAGE_QR_PX}" loading="lazy" '
            f'alt="二维码：{md(e.name)}的本页地址">'
        )
        if st.listed
        else None
    )
    return (
        environment()
        .get_template("enterprise.md.j2")
        .render(
            e=e,
            d=e.data,
            today=today,
            status_sentence=_after_badge(status_sentence(st, today, e.cause_zh), e.data["category"]),
            website=safe_url(e.data["website"]),
            deadline_zh=DUE_KIND_ZH.get(st.next_deadline_kind or "", ""),
            key_label=label,
            key_day=day,
            days_left=(st.next_deadline - today).days if st.next_deadline else None,
            diagram=lifecycle_chart(st, today),
            link=linker(e.page),
            meta_title=front_matter_title(e.name),
            meta_description=front_matter_title(f"{e.name}（{e.uscc}）：{status_sentence(st, today, e.cause_zh)}"),
            changed_mark=Markup(CHANGED_MARK),
            certificates=certificates,
            qr_code=code,
            verify=lambda number: Markup(html.escape(qr.verify_url("../../", number, e.uscc))),
            conventions="、".join(conventions(e)),
        )
    )


def _after_badge(sentence: str, category: str) -> str:
    """The status sentence as it follows the status badge: without repeating the status word ("有效 有效：…"), and
    with the category the enterprise is filed as."""
    rest = sentence.split("：", 1)[1] if "：" in sentence else sentence
    return f"{CATEGORY_ZH[category]}，{rest}"


def conventions(e: PublicEnterprise) -> list[str]:
    """What on this page the measures do not say and this registry chose (shown as such, never as an article)."""
    found = []
    if e.data["category"] == "reserve":
        found.append(CONVENTION_ZH["reserve_term"])
    if e.status.status == "review_due":
        found.append(CONVENTION_ZH["review_notice"])
    if e.status.status == "under_review" or any(s["status"] == "under_review" for s in e.data.get("status_intervals", ())):
        found.append(CONVENTION_ZH["review_deadline"])
    if any(s["status"] == "lapsed" for s in e.data.get("status_intervals", ())):
        found.append(CONVENTION_ZH["lapsed"])
    return found


def front_matter_title(text: str) -> Markup:
    """A page title for YAML front matter. Material prints ``page.meta.title`` unescaped into
    ``<title>`` and the header, so it is HTML-escaped here, then quoted as a JSON (= YAML) string."""
    return Markup(json.dumps(html.escape(text.replace("\n", " "), quote=True)))




def _unstated(policy: Policy) -> Measures:
    """The measures when policy.yml does not describe them: its name, in force since the first day records allow."""
    return Measures(policy.name, None, None, date(1949, 1, 1), None)


def _support_files(content: SiteContent, items: list[PublicEnterprise], support: Sequence[SupportEntry], today: date,
                   extra: Mapping[str, Any], history: PolicyHistory) -> None:
    """data/support.json, .csv and the page 服务与支持, from the same aggregates."""
    from generator.site.support import support_csv, support_figures, support_json, support_page
    from generator.staff.yearly import report_years

    years = support_figures(support, next(iter(report_years(items, today)), None), today, history)
    content.files["data/support.json"] = support_json(years, today, extra.get("ipreg_licence"))
    content.files["data/support.csv"] = support_csv(years)
    content.pages["support.md"] = support_page(years, history, today)
