"""Services (Art. 11) and priority support (Art. 13) on the public site: data/support.json
(schemas/public-support.schema.json), data/support.csv and the page 服务与支持 (support.md), aggregates per year only
(design section 10; ``staff.support.public_support``): counts and totals, never an enterprise, a provider or a lender."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from markupsafe import Markup

from generator.labels import PROGRAMME_ZH, SERVICE_KIND_ZH, SERVICE_MEANING_ZH, SUPPORT_OUTCOME_ZH
from generator.policy import PolicyHistory
from generator.rules.cultivation import articles_in_force
from generator.site.escape import md
from generator.site.measures import chinese_number
from generator.site.opendata import licence_of
from generator.site.templating import LISTED_STATUSES, PUBLISHED_STATUSES, environment, html_table
from generator.staff.support import MIN_ENTERPRISES, SupportEntry, public_support, support_years

_ARTICLE = re.compile(r"^第(?P<n>[一二三四五六七八九十]+)条(?:第(?P<item>[一二三四五六七八九十]+)项)?$")

SUPPORT_CSV_COLUMNS = ["年份", "类型", "事项", "条款", "项数", "企业数", "金额（元）", *SUPPORT_OUTCOME_ZH.values()]


def support_figures(entries: Sequence[SupportEntry], first: int | None, today: date, history: PolicyHistory) -> list[dict[str, Any]]:
    """The years of data/support.json: from the first entry or public decision (``first``) to the data date's year, each
    item's article as the measures in force on ``today`` number it (as the page cites it)."""
    return public_support(entries, support_years(entries, first, today), today, history)


def support_json(years: list[dict[str, Any]], today: date, licence: Mapping[str, str] | None = None) -> bytes:
    payload = {"today": today.isoformat(), "licence": licence_of(licence), "min_enterprises": MIN_ENTERPRISES, "years": years}
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def support_csv(years: list[dict[str, Any]]) -> bytes:
    """For Excel (UTF-8 with BOM, CRLF, like enterprises.csv): one row per year and kind of service or programme of
    priority support, then the year's totals as support.json has them (类型 合计: the enterprises served in any kind,
    counted once); a year without any has one row saying so."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUPPORT_CSV_COLUMNS)
    blank = [""] * len(SUPPORT_OUTCOME_ZH)
    for y in years:
        for k in y["by_kind"]:
            amount = "" if k.get("amount", "") is None else k.get("amount", "")
            writer.writerow([y["year"], "服务", k["label"], k["article"], k["count"], k["enterprises"], amount, *blank])
        for p in y["by_programme"]:
            writer.writerow([y["year"], "优先支持", p["label"], p["article"], p["count"], "", "", *p["outcomes"].values()])
        if y["by_kind"] or y["by_programme"]:
            totals = [sum(p["outcomes"][o] for p in y["by_programme"]) for o in SUPPORT_OUTCOME_ZH]
            writer.writerow([y["year"], "合计", "服务（各类合计）", "", y["services"], y["enterprises"], "", *blank])
            writer.writerow([y["year"], "合计", "优先支持（各项目合计）", "", y["priority_support"], "", "", *totals])
        else:
            writer.writerow([y["year"], "无", "本年度没有登记服务或优先支持", "", 0, 0, "", *blank])
    if not years:
        writer.writerow(["", "无", "还没有登记任何服务或优先支持", "", 0, 0, "", *blank])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def support_page(years: list[dict[str, Any]], history: PolicyHistory, today: date) -> str:
    """服务与支持: what Art. 11 and 13 promise a listed enterprise, in plain words, with their articles as the measures in
    force on ``today`` number them (the catalogue's, renumbered by policy.yml ``measures.articles``, as ``cite`` does),
    who is entitled (``priority_support_statuses``), then each year's figures of data/support.json, newest first; a year
    without any entry says so in a sentence."""
    policy = history.on(today)
    art11, items, art13 = articles_in_force(history, today)
    entitled = [s for s in PUBLISHED_STATUSES if s in policy.priority_support_statuses]
    return environment().get_template("support.md.j2").render(
        issuer=policy.issuer, art11=art11, art13=art13, today=Markup(today.isoformat()), min_enterprises=MIN_ENTERPRISES,
        served=list(LISTED_STATUSES), entitled=entitled, excluded=[s for s in PUBLISHED_STATUSES if s not in entitled],
        kinds=[{"label": SERVICE_KIND_ZH[k], "article": items[k], "meaning": SERVICE_MEANING_ZH[k]} for k in SERVICE_KIND_ZH],
        programmes=list(PROGRAMME_ZH.values()), outcomes=list(SUPPORT_OUTCOME_ZH.values()), policy_link=policy_link,
        years=[{"year": y["year"], "text": Markup(_year(y, items, art13, today))} for y in reversed(years)],
    )


def _year(y: dict[str, Any], items: Mapping[str, str], art13: str, today: date) -> str:
    """A year's figures: a table of services and one of priority support, or a sentence for what was not registered."""
    if not y["by_kind"] and not y["by_programme"]:
        return f"{md(_when(y['year'], today))}{_none(y['year'], today)}登记服务或优先支持。\n"
    return _services(y, items, today) + "\n" + _priority(y, art13, today)


def _none(year: int, today: date) -> str:
    """没有 for a year that is over, 尚未 for the data date's year (entries may still come)."""
    return "尚未" if year == today.year else "没有"


def policy_link(article: str) -> Markup:
    """The link from support.md to an article or item on the policy page (its anchors: ``measures.measures_markdown``)."""
    m = _ARTICLE.match(article)
    if m is None:
        return Markup("policy.md")
    item = f"-{chinese_number(m['item'])}" if m["item"] else ""
    return Markup(f"policy.md#art{chinese_number(m['n'])}{item}")


def _when(year: int, today: date) -> str:
    return f"{year}年（截至 {today.isoformat()}）" if year == today.year else f"{year}年"


def _article_cell(article: str) -> Markup:
    return Markup(f'<a href="../{policy_link(article).replace("policy.md", "policy/")}">{md(article)}</a>')


def _services(y: dict[str, Any], items: Mapping[str, str], today: date) -> str:
    """A year's services by kind as a table, or the sentence that there were none."""
    when = _when(y["year"], today)
    if not y["by_kind"]:
        return f"{md(when)}{_none(y['year'], today)}登记服务。\n"
    pledge = any(k["kind"] == "pledge_financing" for k in y["by_kind"])
    header = ["服务类别", "条款", "项数", "企业数", *(["质押融资金额（元）"] if pledge else [])]
    rows = []
    for k in y["by_kind"]:
        amount = [] if not pledge else [md("") if k["kind"] != "pledge_financing" else md(  # empty: left out of a phone's card
            f"{k['amount']:,}" if k.get("amount") is not None else f"不公布（不足 {MIN_ENTERPRISES} 家企业）")]
        rows.append([md(k["label"]), _article_cell(items[k["kind"]]), md(k["count"]), md(k["enterprises"]), *amount])
    rows.append([Markup("<strong>合计</strong>"), md(""), Markup(f"<strong>{y['services']}</strong>"),
                 Markup(f"<strong>{y['enterprises']}</strong>"), *([md("")] if pledge else [])])
    sentence = (f"{md(when)}共登记服务 {y['services']} 项，{y['enterprises']} 家企业得到服务"
                "（一家企业可以得到几类服务，合计的企业数不重复计算）。\n\n")
    return sentence + html_table(header, rows, 0, caption=f"{when}的服务（按类别）")


def _priority(y: dict[str, Any], article: str, today: date) -> str:
    """A year's priority support by programme and outcome as a table, or the sentence that there was none."""
    when = _when(y["year"], today)
    if not y["by_programme"]:
        return f"{md(when)}{_none(y['year'], today)}登记优先支持。\n"
    header = ["项目", "条款", *SUPPORT_OUTCOME_ZH.values(), "项数"]
    rows = [[md(p["label"]), _article_cell(article), *(md(p["outcomes"][o]) for o in SUPPORT_OUTCOME_ZH), md(p["count"])]
            for p in y["by_programme"]]
    totals = [sum(p["outcomes"][o] for p in y["by_programme"]) for o in SUPPORT_OUTCOME_ZH]
    rows.append([Markup("<strong>合计</strong>"), md(""), *(Markup(f"<strong>{n}</strong>") for n in totals),
                 Markup(f"<strong>{y['priority_support']}</strong>")])
    sentence = f"{md(when)}共登记优先支持 {y['priority_support']} 项。\n\n"
    return sentence + html_table(header, rows, 0, caption=f"{when}的优先支持（按项目和结果）")
