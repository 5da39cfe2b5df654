"""Charts drawn at build time as inline SVG: no JavaScript, readable at 360 px, dark-mode aware, with a text alternative.

Colours are CSS classes (``ipreg-c-term`` ...) whose fills are CSS variables set for the light and the dark scheme in
docs/assets/stylesheets/ipreg.css. Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in
words what the bars show. The view box is 320 units wide, the width of the text column on a 360 px phone, and the text
is sized by ipreg.css in those units (12, 15 in large text), so it is at least 12 px on a phone and grows with the 大字
switch; on wider screens the figure is at most 420 px wide. Every year has its label on the axis (turned upright when
the years are close). No record text goes into a chart: only dates, counts and fixed Chinese labels.
"""

from __future__ import annotations

import hashlib
import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from generator.labels import DUE_KIND_ZH, ENDED_SHORT_ZH, EVENT_SHORT_ZH
from generator.lifecycle import Status

WIDTH = 320  # view box units: the text column of a 360 px phone; the SVG scales to the column width (max 420 px)
LABEL = 66  # left column for row labels (four characters in large text)
RIGHT = 12
ROW = 26
FONT = 12


@dataclass(frozen=True)
class Bar:
    row: str  # row label (fixed Chinese text)
    start: date
    end: date  # inclusive
    kind: str  # term, review, grace, ban
    text: str  # the bar in words, for the text alternative


def _x(day: date, first: date, last: date) -> float:
    span = max((last - first).days, 1)
    return LABEL + (WIDTH - LABEL - RIGHT) * (day - first).days / span


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _svg(title: str, desc: str, height: int, body: list[str], css: str) -> Markup:
    """The chart as a figure: the SVG is named by its <title> and described by the visible caption (the same facts in words)."""
    ident = hashlib.sha1(f"{title}\0{desc}".encode()).hexdigest()[:8]  # stable: the same records give the same bytes
    return Markup(
        f'<figure class="ipreg-chart {css}">'
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="ct{ident}" aria-describedby="cd{ident}" data-search-exclude '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f'<title id="ct{ident}">{_esc(title)}</title>'
        + "".join(body) + f'</svg><figcaption id="cd{ident}">{_esc(desc)}</figcaption></figure>')


def _clip(bars: list[Bar], st: Status) -> list[Bar]:
    """Terms stop where they really ended: at a revocation or withdrawal (the day before the cycle ended)."""
    out = []
    for bar in bars:
        end = bar.end
        if bar.kind in ("term", "review", "grace") and st.ended and st.ended_on is not None and bar.start < st.ended_on <= end:
            end = st.ended_on - timedelta(days=1)
        for ban_start, _ in st.bans:
            if bar.kind != "ban" and bar.start < ban_start <= end:
                end = ban_start - timedelta(days=1)
        if end >= bar.start:
            out.append(Bar(bar.row, bar.start, end, bar.kind, bar.text))
    return out


def lifecycle_bars(st: Status) -> list[Bar]:
    """The terms, the review window after the current term, grace years and bans of one enterprise."""
    bars = [Bar("有效期", start, end, "term", f"第 {i} 期有效期 {start} 至 {end}") for i, (start, end) in enumerate(st.terms, 1)]
    if st.review_deadline and st.term_end and st.review_deadline > st.term_end and st.status in ("under_review", "lapsed", "conditional") \
            and not st.ended:
        start = st.term_end + timedelta(days=1)
        bars.append(Bar("复核期", start, st.review_deadline, "review", f"复核期 {start} 至 {st.review_deadline}"))
    bars += [Bar("保留资格", start, end, "grace", f"保留资格 {start} 至 {end}") for start, end in st.graces]
    bars += [Bar("禁止申请", start, end, "ban", f"禁止申请 {start} 至 {end}") for start, end in st.bans]
    return _clip(bars, st)


def lifecycle_chart(st: Status, today: date) -> Markup | None:
    """One enterprise: a row per kind, bars where they really were, every year on the axis, a today line, and a mark where
    the enterprise left the list (withdrawal, revocation, removal). None without any bar."""
    bars = lifecycle_bars(st)
    if not bars:
        return None
    rows = list(dict.fromkeys(b.row for b in bars))
    first = min(min(b.start for b in bars), today)
    last = max(max(b.end for b in bars), today)
    first, last = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    top = 8
    axis_y = top + ROW * len(rows)
    years = range(first.year, last.year)
    upright = (WIDTH - LABEL - RIGHT) / max(len(years), 1) < 34  # too close for 2019 beside 2020: turn the labels upright
    labels = 40 if upright else 18
    body = []
    for year in range(first.year, last.year + 1):
        x = _x(date(year, 1, 1), first, last)
        body.append(f'<line class="ipreg-c-grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}"/>')
        if year in years:
            mid = (x + _x(date(year + 1, 1, 1), first, last)) / 2
            if upright:
                body.append(f'<text class="ipreg-c-text ipreg-c-year" x="{mid + 4:.1f}" y="{axis_y + 4}" font-size="{FONT}" '
                            f'text-anchor="end" transform="rotate(-90 {mid + 4:.1f} {axis_y + 4})">{year}</text>')
            else:
                body.append(f'<text class="ipreg-c-text ipreg-c-year" x="{mid:.1f}" y="{axis_y + 14}" font-size="{FONT}" '
                            f'text-anchor="middle">{year}</text>')
    for index, row in enumerate(rows):
        y = top + ROW * index
        body.append(f'<text class="ipreg-c-text" x="0" y="{y + 17}" font-size="{FONT}">{_esc(row)}</text>')
        for bar in (b for b in bars if b.row == row):
            x1, x2 = _x(bar.start, first, last), _x(bar.end + timedelta(days=1), first, last)
            body.append(
                f'<rect class="ipreg-c-{bar.kind}" x="{x1:.1f}" y="{y + 5}" width="{max(x2 - x1, 1.5):.1f}" height="{ROW - 10}" rx="2">'
                f"<title>{_esc(bar.text)}</title></rect>"
            )
    notes = [(today, f"今天 {today}", "ipreg-c-today")]
    if st.ended and st.ended_on is not None:
        notes.append((st.ended_on, f"{ENDED_SHORT_ZH.get(st.status, ENDED_SHORT_ZH['lapsed'])} {st.ended_on}", "ipreg-c-end"))
    line_y = axis_y + labels
    for day, text, css in notes:
        x = _x(day, first, last)
        body.append(f'<line class="{css}" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y + 2}"/>')
        anchor = "end" if x > WIDTH * 0.6 else "start"
        tx = x - 3 if anchor == "end" else x + 3
        line_y += 16
        body.append(f'<text class="{css}-text" x="{tx:.1f}" y="{line_y}" font-size="{FONT}" text-anchor="{anchor}">{_esc(text)}</text>')
    height = line_y + 8
    ended = f"；{notes[1][1]}" if len(notes) > 1 else ""
    desc = "；".join(b.text for b in bars) + ended + f"；今天 {today}。"
    return _svg("有效期、复核期、保留资格期与禁止申请期", desc, height, body, "ipreg-chart-lifecycle")


KIND_LABELS = {k: DUE_KIND_ZH[k] for k in ("term_end", "review_deadline", "grace_until")}


def _stacked_rows(rows: list[tuple[str, Counter[str]]], kinds: dict[str, str], label_width: int, row: int = 20) -> tuple[list[str], int]:
    """A row per label with one bar split by kind (classes ``ipreg-c-<kind>``), its total as text, and a legend that
    wraps at the view box's width. Returns the SVG elements and the height they take."""
    peak = max((sum(c.values()) for _, c in rows), default=0) or 1
    top, span = 4, WIDTH - label_width - 40
    body = []
    for index, (label, counts) in enumerate(rows):
        y = top + row * index
        body.append(f'<text class="ipreg-c-text" x="0" y="{y + row - 5}" font-size="{FONT}">{label}</text>')
        x = float(label_width)
        for kind in kinds:
            n = counts.get(kind, 0)
            if n:
                w = span * n / peak
                body.append(f'<rect class="ipreg-c-{kind} ipreg-c-segment" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}"/>')
                x += w
        body.append(f'<text class="ipreg-c-text" x="{x + 4:.1f}" y="{y + row - 5}" font-size="{FONT}">{sum(counts.values())}</text>')
    lx, ly = 0, top + row * len(rows) + 8
    for kind, label in kinds.items():
        width = 13 + 15 * len(label) + 10  # room for large text
        if lx + width > WIDTH:
            lx, ly = 0, ly + 20
        body.append(
            f'<rect class="ipreg-c-{kind}" x="{lx}" y="{ly}" width="10" height="10"/>'
            f'<text class="ipreg-c-text" x="{lx + 13}" y="{ly + 10}" font-size="{FONT}">{label}</text>'
        )
        lx += width
    return body, ly + 20


def monthly_chart(deadlines: Iterable[tuple[date, str]], today: date, months: int = 24) -> Markup:
    """How many deadlines fall in each month from this month on: a row per month, bars split by kind, counts as text."""
    per_month: dict[tuple[int, int], Counter[str]] = {}
    year, month = today.year, today.month
    for _ in range(months):
        per_month[(year, month)] = Counter()
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for day, kind in deadlines:
        if (day.year, day.month) in per_month:
            per_month[(day.year, day.month)][kind] += 1
    body, height = _stacked_rows([(f"{y}-{m:02d}", c) for (y, m), c in per_month.items()], KIND_LABELS, 70)
    keys = list(per_month)
    busy = [f"{y}年{m}月 {sum(c.values())} 项" for (y, m), c in per_month.items() if c]
    total = sum(sum(c.values()) for c in per_month.values())
    desc = (
        f"{keys[0][0]}年{keys[0][1]}月至{keys[-1][0]}年{keys[-1][1]}月共 {total} 项期限" + ("：" + "，".join(busy) if busy else "") + "。"
    )
    return _svg("每月届满的期限", desc, height, body, "ipreg-chart-monthly")


DECISION_LABELS = EVENT_SHORT_ZH


def yearly_chart(counts: dict[int, Counter[str]]) -> Markup:
    """Decisions per year: a row per year, bars split by kind of decision, the total as text, and a legend."""
    years = sorted(counts)
    body, height = _stacked_rows([(str(year), counts[year]) for year in years], DECISION_LABELS, 50, row=20)
    desc = (
        "；".join(
            f"{year}年：" + ("、".join(f"{DECISION_LABELS[k]}{n}项" for k, n in counts[year].items() if n) or "没有决定") for year in years
        )
        + "。"
    )
    return _svg("每年的备案决定", desc if years else "暂无决定。", height, body, "ipreg-chart-yearly")
