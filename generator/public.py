"""The public allow-list (ARCHITECTURE.md section 2): the only fields that reach the site and open data.

Everything not named here (finance, training, budget, management, conduct details, notes, the
printed valid_until of events, copyrights, ...) is private and never leaves this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from generator.dates import ONE_DAY
from generator.labels import CAUSE_ZH, DATE_ZH, FIELD_ZH, HONOR_ZH, STATUS_ZH
from generator.lifecycle import Status, replay, violations
from generator.model import TERM_EVENTS, Event, Record
from generator.policy import PolicyHistory, default_policy

# Field name -> Chinese label, in the order of the open data. The site's /data/ page lists them.
PUBLIC_FIELDS: dict[str, str] = {
    "uscc": FIELD_ZH["uscc"],
    "name": FIELD_ZH["name"],
    "industry": "所属行业（代码和名称）",
    "main_products": "主营产品（服务）",
    "address": "企业地址",
    "website": "企业网站",
    "category": "备案类别",
    "status": "状态（按生成日期计算）",
    "listed": "是否列入公开名单",
    "term_start": "本期有效期起",
    "term_end": "本期有效期至",
    "review_deadline": "复核期限（有效期届满后等待复核结果的最后一天，本登记簿的约定）",
    "grace_until": DATE_ZH["grace_until"],
    "ban_until": DATE_ZH["ban_until"],
    "next_deadline": "下一个期限",
    "honors": "荣誉称号（类型、获得日期、有效期至）",
    "valid_patents": "有效专利件数（发明、实用新型、外观设计）",
    "valid_trademarks": "有效注册商标件数",
    "events": "备案事件（日期、类型、文号、证书编号；备案确定和复核通过另有这一期的备案类别）",
    "status_intervals": "状态的历史：每段的起止日期（含）、状态和是否列入公开名单；最后一段的 to 为 null（至今）",
    "url": "企业页面地址（相对站点根目录）",
}


def public_events(events: Iterable[Event]) -> tuple[Event, ...]:
    """The events the public record is made of (ARCHITECTURE.md section 3): those of every cycle that had a decision,
    without the applications themselves. A cycle that never had a decision (an application still pending, or
    withdrawn before any decision) leaves no trace, so adding an ``applied`` event to a revoked, withdrawn or lapsed
    record changes nothing public. Events in date order; the caller drops those after its day."""
    out: list[Event] = []
    cycle: list[Event] = []
    decided = False
    for event in sorted(events, key=lambda e: (e.date, e.index)):
        if event.type == "applied" or (event.type == "filed" and decided):  # a new cycle begins
            if decided:
                out += cycle
            cycle, decided = [], False
        if event.type == "applied":
            continue
        if event.type == "withdrawn" and not decided:  # an application withdrawn before any decision
            cycle = []
            continue
        decided = decided or event.type == "filed"
        cycle.append(event)
    if decided:
        out += cycle
    return tuple(out)


def intervals(events: Iterable[Event], policy: PolicyHistory, today: date, category: str = "advantage",
              violations: tuple[date, ...] = ()) -> list[tuple[date, date | None, Status]]:
    """The record's statuses over time up to ``today``: ``(from, to, status)`` with ``to`` inclusive, None for the one
    in force today. Each status is what ``replay`` says on its first day, using only the events known by then."""
    events = [e for e in events if e.date <= today]
    candidates = {e.date for e in events}
    done: set[date] = set()
    statuses: dict[date, Status] = {}
    while candidates - done:
        day = min(candidates - done)
        done.add(day)
        st = replay(events, policy, day, category, violations)  # replay reads only the events known on ``day``
        statuses[day] = st
        for edge in (st.term_end, st.review_deadline, st.grace_until, st.ban_until, st.next_deadline):
            if edge is not None and edge < today:
                candidates.add(edge + ONE_DAY)
        if st.term_end is not None:
            due = st.term_end - timedelta(days=policy.on(st.term_end).review_notice_days)
            if day < due <= today:
                candidates.add(due)
    out: list[tuple[date, date | None, Status]] = []
    for day in sorted(statuses):
        st = statuses[day]
        if out and out[-1][2].status == st.status and out[-1][2].listed == st.listed:
            continue
        if out:
            out[-1] = (out[-1][0], day - ONE_DAY, out[-1][2])
        out.append((day, None, st))
    return out


def is_public(field: str) -> bool:
    """Whether a record's field (a top-level key, or a ``Record`` attribute: industry_code and industry_name are the
    public ``industry``) is on the allow-list."""
    return field in PUBLIC_FIELDS or field in ("industry_code", "industry_name")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class PublicEnterprise:
    """One published enterprise: its public fields and its status on the build date."""

    data: dict[str, Any]
    status: Status  # the public status: computed from the public events alone
    ends: tuple[str | None, ...] = ()  # for each status interval, the date its status runs to as the public reads it:
    # 有效期至 (valid, review_due), 复核期限 (under_review), 保留资格至 (conditional), 禁止申请至 (revoked); None for the others
    hidden_since: date | None = None  # never published: the first day of a later cycle without a decision (its events are
    # not public), so the last-change date is read from the history before it (``history.last_changes``)
    imported: tuple[str, str] | None = None  # (source, on) of an imported record (design section 11): its page says which
    # decisions are imported history, and shows no row for what the list did not state (industry, products, patents)
    recovered: tuple[str | None, ...] = ()  # per public event: the day its certificate was taken back (Art. 8(5)), which
    # verification answers (已收回); not in ``data``: the open data carries no delivery or recovery

    @property
    def uscc(self) -> str:
        return str(self.data["uscc"])

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def page(self) -> str:
        return f"enterprises/{self.uscc}/"

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status.status]

    @property
    def cause_zh(self) -> str | None:
        return CAUSE_ZH.get(self.status.cause or "")


def public_enterprise(record: Record, st: Status, today: date, policy: PolicyHistory | None = None) -> PublicEnterprise | None:
    """The allow-listed view of one record on ``today`` (``st`` is its status that day), or None when no cycle of it
    ever had a decision. Only the events of cycles that had a decision count (ARCHITECTURE.md section 3): a later
    application, pending or withdrawn, changes nothing here."""
    policy = policy or default_policy()
    known = [e for e in record.events if e.date <= today]
    events = public_events(known)
    if not events:
        return None
    hidden = [e for e in known if (e.date, e.index) > (events[-1].date, events[-1].index) and e not in events]
    if hidden or len(events) != sum(e.type != "applied" for e in known):
        st = replay(events, policy, today, record.category, violations(record))
    history = intervals(events, policy, today, record.category, violations(record))
    spans = [{"from": start.isoformat(), "to": _iso(end), "status": s.status, "listed": s.listed} for start, end, s in history]
    counts = {kind: sum(p.type == kind and p.valid_on(today) for p in record.patents) for kind in ("invention", "utility_model", "design")}
    data: dict[str, Any] = {
        "uscc": record.uscc,
        "name": record.name,
        "industry": {"code": record.industry_code, "name": record.industry_name},
        "main_products": list(record.main_products),
        "address": record.address,
        "website": record.website,
        "category": record.term_category(on=events[-1].date),  # the last term's (design section 10)
        "status": st.status,
        "listed": st.listed,
        "term_start": _iso(st.term_start),
        "term_end": _iso(st.term_end),
        "review_deadline": _iso(st.review_deadline),
        "grace_until": _iso(st.grace_until),
        "ban_until": _iso(st.ban_until),
        "next_deadline": _iso(st.next_deadline),
        "honors": [{"type": h.type, "awarded": h.awarded.isoformat(), "expires": _iso(h.expires)} for h in record.honors],
        "valid_patents": counts,
        "valid_trademarks": sum(t.valid_on(today) for t in record.trademarks),
        "events": [_event(record, e) for e in events],
        "status_intervals": spans,
        "url": f"enterprises/{record.uscc}/",
    }
    assert list(data) == list(PUBLIC_FIELDS)
    imported = (record.imported_source or "", record.imported_on.isoformat()) if record.imported_on else None
    return PublicEnterprise(data, st, tuple(_iso(status_end(s)) for _, _, s in history), hidden[0].date if hidden else None, imported,
                            tuple(_iso(e.recovered) if e.recovered and e.recovered <= today else None for e in events))


def _event(record: Record, e: Event) -> dict[str, Any]:
    """A public event; a decision that starts a term also names that term's category (design section 10)."""
    out = {"date": e.date.isoformat(), "type": e.type, "document": e.document, "certificate": e.certificate}
    return out | {"category": record.term_category(e)} if e.type in TERM_EVENTS else out


# the date each status runs to, as a certificate's reader asks "until when" (Status field; labels.DATE_ZH names it)
STATUS_END = {"valid": "term_end", "review_due": "term_end", "under_review": "review_deadline", "conditional": "grace_until",
              "revoked": "ban_until"}


def status_end(st: Status) -> date | None:
    """The date a status runs to: the term end, the review deadline, the end of the grace period, the last day of a ban."""
    field = STATUS_END.get(st.status)
    return getattr(st, field) if field else None


def honor_zh(kind: str) -> str:
    return HONOR_ZH[kind]
