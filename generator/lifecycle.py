"""Art. 8: the lifecycle of a filing, computed by ``status(record, policy, today)``.

Pure: the same events, policy and ``today`` always give the same Status. Events dated after
``today`` are ignored here (``events.future`` reports them). Problems found while replaying
the events (a cycle that does not start with ``filed``, a filing inside a ban, a printed
``valid_until`` that differs from the computed end) are returned as data for the rules layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

from generator.dates import ONE_DAY, anniversary, period_end
from generator.model import Event
from generator.policy import Policy

STATUSES = ("pending", "valid", "review_due", "under_review", "conditional", "lapsed", "revoked")
LISTED = frozenset({"valid", "review_due", "under_review", "conditional"})
STATUS_ZH = {
    "pending": "申报中",
    "valid": "有效",
    "review_due": "待复核",
    "under_review": "复核中",
    "conditional": "保留资格",
    "lapsed": "逾期未复核",
    "revoked": "已撤销",
}
CAUSE_ZH = {
    "revoked": "重大违法违规，取消资格",
    "withdrawn": "企业申请退出",
    "review_absent": "未参加复核",
    "review_failed_twice": "复核仍未通过",
    "grace_expired": "保留资格期满未通过复核",
}


class HasEvents(Protocol):
    @property
    def events(self) -> tuple[Event, ...]: ...


@dataclass(frozen=True)
class EventProblem:
    """Something wrong with one event, found while replaying the lifecycle."""

    rule: str  # events.order, art8.ban, art8.term-mismatch
    event_index: int
    message: str


@dataclass(frozen=True)
class Status:
    status: str
    listed: bool
    term_start: date | None = None
    term_end: date | None = None
    grace_until: date | None = None
    ban_until: date | None = None
    review_deadline: date | None = None  # last day of the under_review window
    next_deadline: date | None = None
    deadline_kind: str | None = None  # term_end, review_deadline, grace_end, ban_end
    ended_on: date | None = None  # first day of `revoked` for the current cycle
    cause: str | None = None  # why the cycle ended (CAUSE_ZH keys)
    decision: date | None = None  # the decision in force: latest filed / review_passed
    terms: tuple[tuple[date, date], ...] = ()
    graces: tuple[tuple[date, date], ...] = ()
    bans: tuple[tuple[date, date], ...] = ()
    problems: tuple[EventProblem, ...] = field(default=(), compare=False)

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    def dates(self) -> dict[str, str | None]:
        """term_start, term_end, grace_until and ban_until as YYYY-MM-DD (None when absent)."""
        return {name: (value.isoformat() if value else None) for name, value in (
            ("term_start", self.term_start), ("term_end", self.term_end), ("grace_until", self.grace_until), ("ban_until", self.ban_until))}


@dataclass
class _Replay:
    policy: Policy
    phase: str = "none"  # none, term, grace, ended
    term_start: date | None = None
    term_end: date | None = None
    grace_from: date | None = None
    grace_until: date | None = None
    ended_on: date | None = None
    cause: str | None = None
    revoked_on: date | None = None
    ban_until: date | None = None
    decision: date | None = None
    terms: list[tuple[date, date]] = field(default_factory=list)
    graces: list[tuple[date, date]] = field(default_factory=list)
    bans: list[tuple[date, date]] = field(default_factory=list)
    problems: list[EventProblem] = field(default_factory=list)

    def review_deadline(self) -> date | None:
        if self.term_end is None:
            return None
        return period_end(self.term_end + ONE_DAY, self.policy.review_pending_years)

    def settle(self, day: date) -> None:
        """Apply what the calendar alone does by ``day``: a grace period that ran out."""
        if self.phase == "grace" and self.grace_until is not None and day > self.grace_until:
            self.end(self.grace_until + ONE_DAY, "grace_expired")

    def end(self, day: date, cause: str) -> None:
        self.phase, self.ended_on, self.cause = "ended", day, cause

    def start_term(self, event: Event) -> None:
        computed = period_end(event.date, self.policy.validity_years)
        end = event.valid_until or computed
        if event.valid_until is not None and event.valid_until != computed:
            self.problems.append(EventProblem(
                "art8.term-mismatch", event.index,
                f"证书印明有效期至 {event.valid_until}，按{event.date}起 {self.policy.validity_years} 年计算应至 {computed}："
                "以证书为准，请核对",
            ))
        self.phase, self.term_start, self.term_end, self.decision = "term", event.date, end, event.date
        self.grace_from = self.grace_until = self.ended_on = self.cause = None
        self.terms.append((event.date, end))

    def apply(self, event: Event) -> None:
        self.settle(event.date)
        kind = event.type
        if kind == "filed":
            self.filed(event)
            return
        if self.phase in ("none", "ended"):
            why = "尚未备案" if self.phase == "none" else "本轮资格已结束（撤销或退出），需先重新备案"
            self.problems.append(EventProblem("events.order", event.index, f"{event.date} 的 {kind} 事件无效：{why}；每轮的第一个事件必须是 filed"))
            return
        if kind == "review_passed":
            self.start_term(event)
        elif kind == "review_failed":
            if self.phase == "grace":
                self.end(event.date, "review_failed_twice")
            else:
                self.phase, self.grace_from = "grace", event.date
                self.grace_until = period_end(event.date, self.policy.grace_years)
                self.graces.append((event.date, self.grace_until))
        elif kind == "review_absent":
            self.end(event.date, "review_absent")
        elif kind == "withdrawn":
            self.end(event.date, "withdrawn")
        elif kind == "revoked":
            self.end(event.date, "revoked")
            self.revoked_on = event.date
            self.ban_until = period_end(event.date, self.policy.ban_years)
            self.bans.append((event.date, self.ban_until))

    def filed(self, event: Event) -> None:
        lapsed = self.phase == "term" and (deadline := self.review_deadline()) is not None and event.date > deadline
        if self.phase in ("term", "grace") and not lapsed:
            self.problems.append(EventProblem(
                "events.order", event.index,
                f"{event.date} 又有 filed 事件，但当时资格仍在有效期或复核期内：续期请用 review_passed",
            ))
            return
        if self.revoked_on is not None and self.ban_until is not None and self.revoked_on < event.date <= self.ban_until:
            self.problems.append(EventProblem(
                "art8.ban", event.index,
                f"{self.revoked_on} 被取消资格，{self.ban_until} 前不得申请备案，{event.date} 的备案无效（第八条第五项）",
            ))
        self.start_term(event)

    def result(self, today: date) -> Status:
        self.settle(today)
        if self.phase == "none":
            return Status("pending", False, problems=tuple(self.problems))
        base = Status(
            "pending", False, term_start=self.term_start, term_end=self.term_end, decision=self.decision,
            review_deadline=self.review_deadline(), terms=tuple(self.terms), graces=tuple(self.graces),
            bans=tuple(self.bans), problems=tuple(self.problems),
        )
        if self.phase == "ended":
            ban = self.ban_until if self.cause == "revoked" else None
            active = ban is not None and today <= ban
            return replace(base, status="revoked", grace_until=self.grace_until, ban_until=ban, ended_on=self.ended_on,
                           cause=self.cause, next_deadline=ban if active else None, deadline_kind="ban_end" if active else None)
        if self.phase == "grace":
            return replace(base, status="conditional", listed=True, grace_until=self.grace_until,
                           next_deadline=self.grace_until, deadline_kind="grace_end")
        assert self.term_end is not None and base.review_deadline is not None
        if today <= self.term_end:
            due = (self.term_end - today).days <= self.policy.review_notice_days
            return replace(base, status="review_due" if due else "valid", listed=True,
                           next_deadline=self.term_end, deadline_kind="term_end")
        if today <= base.review_deadline:
            return replace(base, status="under_review", listed=True,
                           next_deadline=base.review_deadline, deadline_kind="review_deadline")
        return replace(base, status="lapsed")


def status(record: HasEvents, policy: Policy, today: date) -> Status:
    """Status of ``record`` on ``today`` under ``policy`` (design.md section 3)."""
    return replay(record.events, policy, today)


def replay(events: Iterable[Event], policy: Policy, today: date) -> Status:
    state = _Replay(policy)
    for event in sorted((e for e in events if e.date <= today), key=lambda e: (e.date, e.index)):
        state.apply(event)
    return state.result(today)


__all__ = ["CAUSE_ZH", "LISTED", "STATUSES", "STATUS_ZH", "EventProblem", "Status", "anniversary", "replay", "status"]
