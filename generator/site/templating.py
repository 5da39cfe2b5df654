"""The Jinja environment every generated page is rendered with (record text escaped by escape.md as its
finalize), and the small pieces the templates share: status badges, the one date a status shows, table cells."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.labels import CATEGORY_ZH, DATE_ZH, ENDED_ON_ZH, EVENT_ZH, STATUS_MEANING_ZH, STATUS_ZH
from generator.lifecycle import STATUSES, Status
from generator.public import STATUS_END, honor_zh
from generator.site.escape import md, rel

TEMPLATES = Path(__file__).resolve().parent / "templates"


PUBLISHED_STATUSES = tuple(s for s in STATUSES if s != "pending")


LISTED_STATUSES = ("valid", "review_due", "under_review", "conditional")


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
                       status_meaning=STATUS_MEANING_ZH, status_end=STATUS_END, status_zh=STATUS_ZH, listed_statuses=LISTED_STATUSES,
                       published_statuses=PUBLISHED_STATUSES)
    return env


def badge(status: str) -> Markup:
    """A status badge: the status is written out (colour is never the only sign), its meaning in the title."""
    return Markup(f'<span class="ipreg-badge ipreg-{status}" title="{md(STATUS_MEANING_ZH[status])}">{STATUS_ZH[status]}</span>')


def key_date(st: Status) -> tuple[str, str]:
    """The one date a reader needs for a status, and what it is: while listed, the date the status runs to
    (``public.STATUS_END``: the term end, the review deadline, the grace end); after, when the cycle ended."""
    field = STATUS_END.get(st.status) if st.listed else None
    day = getattr(st, field) if field else None
    if field and day:
        return DATE_ZH[field], day.isoformat()
    if st.ended_on:
        return ENDED_ON_ZH.get(st.status, DATE_ZH["ended_on"]), st.ended_on.isoformat()
    return "", ""


def linker(page: str) -> Any:
    return lambda target: Markup(rel(page, target))


def html_table(header: list[str], rows: list[list[Markup]], primary: int | None = None, caption: str | None = None) -> str:
    """A table that becomes cards on a phone: every cell carries its column's header (``data-label``); ``caption``
    (escaped here) names the table for a screen reader and above the cards."""
    head = "".join(f'<th scope="col">{h}</th>' if caption is not None else f"<th>{h}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(cell(header[i], c, i == primary) for i, c in enumerate(row)) + "</tr>" for row in rows)
    top = f"<caption>{md(caption)}</caption>\n" if caption is not None else ""
    return f'<table class="ipreg-table" data-search-exclude>\n{top}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n'


def cell(label: str, value: Markup, primary: bool = False) -> str:
    return f'<td class="ipreg-primary">{value}</td>' if primary else f'<td data-label="{md(label)}">{value}</td>'


def days_left(n: int) -> str:
    return "今天" if n == 0 else f"还有 {n} 天"
