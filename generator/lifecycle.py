"""Art. 8: the lifecycle of a filing, computed by ``status(record, policy, today)`` (ARCHITECTURE.md section 3).

Pure: the same events, policy and ``today`` always give the same Status. Events dated after
``today`` are ignored here (``events.future`` reports them). Problems found while replaying the
events (an event that cannot follow the one before, a filing inside a ban, a review result too
early, a printed ``valid_until`` that differs from the computed end) are returned as data for
the rules layer.

Phases of a cycle: ``pending`` (applied, no decision yet), ``term``, ``grace`` (after a failed
review, Art. 8(3)), ``lapsed`` (a deadline passed with no result: this registry's convention) and
``ended`` (revoked or withdrawn). The calendar alone moves ``term`` and ``grace`` to ``lapsed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, NamedTuple, Protocol

from generator.dates import ONE_DAY, period_end
from generator.findings import Severity
from generator.labels import CAUSE_ZH, STATUS_ZH
from generator.model import Event
from generator.policy import Policy, PolicyHistory

STATUSES = ("pending", "valid", "review_due", "under_review", "conditional", "lapsed", "revoked", "withdrawn")
REVIEW_RESULTS = frozenset({"review_passed", "review_failed", "review_absent"})


class HasEvents(Protocol):
    @property
    def events(self) -> tuple[Event, ...]: ...

    @property
    def category(self) -> str: ...


ProblemKind = Literal["order", "ban", "term-mismatch", "early-review", "revocation-basis"]
REVOCATION_BASIS = "撤销须有有效期内的违法违规记录：请在 conduct 中录入事实（日期、机关、文书）"
Span = tuple[date, date | None]  # a period the qualification was held, its last day inclusive (None: still held)


@dataclass(frozen=True)
class EventProblem:
    """Something wrong with one event, found while replaying the lifecycle: a fact, by kind; the rule it breaks is
    declared where the fact becomes a finding (order: ``events.order`` in ``rules/records.py``; the others: Art. 8 in
    ``rules/art8.py``)."""

    kind: ProblemKind
    event_index: int
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class Status:
    status: str
    listed: bool
    term_start: date | None = None
    term_end: date | None = None
    grace_until: date | None = None
    ban_until: date | None = None
    review_deadline: date | None = None  # last day of the under_review window (= term_end when review_pending_years is 0)
    next_deadline: date | None = None
    next_deadline_kind: str | None = None  # term_end, review_deadline, grace_until, ban_until
    ended_on: date | None = None  # first day of the status revoked, withdrawn or lapsed
    cause: str | None = None  # why the cycle ended or lapsed (labels.CAUSE_ZH keys)
    decision: date | None = None  # the decision in force: latest filed / review_passed
    applied: date | None = None  # the application of the current cycle
    terms: tuple[tuple[date, date], ...] = ()
    graces: tuple[tuple[date, date], ...] = ()
    bans: tuple[tuple[date, date], ...] = ()
    held: tuple[Span, ...] = ()  # when the qualification was held: terms, 复核中 and 保留资格 (design section 3 v4)
    problems: tuple[EventProblem, ...] = field(default=(), compare=False)

    @property
    def ended(self) -> bool:
        """Revoked or withdrawn: the cycle has no decision in force."""
        return self.status in ("revoked", "withdrawn")

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    def dates(self) -> dict[str, str | None]:
        """term_start, term_end, grace_until and ban_until as YYYY-MM-DD (None when absent)."""
        return {name: (value.isoformat() if value else None) for name, value in (
            ("term_start", self.term_start), ("term_end", self.term_end), ("grace_until", self.grace_until), ("ban_until", self.ban_until))}


@dataclass
class _Replay:
    """Every period takes its length from the policy in force on the day it starts (ARCHITECTURE.md section 7): a term
    from its decision, a grace from the failed review, a ban from the revocation, the review window from the day after
    the term ends."""

    policy: PolicyHistory
    category: str
    violations: tuple[date, ...] = ()  # dates of the conduct entries (infringement findings, dishonesty listings, violations)
    phase: str = "none"  # none, pending, term, grace, lapsed, ended
    term_start: date | None = None
    term_end: date | None = None
    grace_until: date | None = None
    ended_on: date | None = None
    ended_as: str | None = None  # revoked, withdrawn
    cause: str | None = None
    revoked_on: date | None = None
    ban_until: date | None = None
    decision: date | None = None
    applied: date | None = None
    terms: list[tuple[date, date]] = field(default_factory=list)
    graces: list[tuple[date, date]] = field(default_factory=list)
    bans: list[tuple[date, date]] = field(default_factory=list)
    held: list[Span] = field(default_factory=list)
    deferred: list[Event] = field(default_factory=list)  # early review_failed / review_absent: effective after the term end
    problems: list[EventProblem] = field(default_factory=list)
    deadline_of: tuple[date | None, date | None] = (None, None)  # (term end, its review deadline)

    def review_deadline(self) -> date | None:
        if self.term_end is None:
            return None
        if self.deadline_of[0] != self.term_end:  # asked on every event and every day phases_on settles: once per term end
            first = self.term_end + ONE_DAY
            self.deadline_of = (self.term_end, period_end(first, self.policy.on(first).review_pending_years))
        return self.deadline_of[1]

    def settle(self, day: date) -> None:
        """Apply what the calendar alone does by ``day``: early review results that take effect the day after the term
        end (design section 3 v4), a review deadline or a grace period that ran out."""
        if self.deferred and self.term_end is not None and day > self.term_end:
            deferred, self.deferred = self.deferred, []
            for event in deferred:
                self.outcome(event, self.term_end + ONE_DAY)
        deadline = self.review_deadline()
        if self.phase == "term" and deadline is not None and day > deadline:
            self.lapse(deadline + ONE_DAY, "review_overdue")
        elif self.phase == "grace" and self.grace_until is not None and day > self.grace_until:
            self.lapse(self.grace_until + ONE_DAY, "grace_expired")

    def lapse(self, day: date, cause: str) -> None:
        self.release(day - ONE_DAY)
        self.phase, self.ended_on, self.cause = "lapsed", day, cause

    def end(self, day: date, as_: str, cause: str, last: date | None = None) -> None:
        """The cycle ends on ``day``; the qualification was held through ``last`` (the decision's own day by default)."""
        self.release(day if last is None else last)
        self.phase, self.ended_on, self.ended_as, self.cause, self.deferred = "ended", day, as_, cause, []

    def release(self, last: date) -> None:
        """The qualification held since the open span's start is no longer held after ``last``."""
        if self.held and self.held[-1][1] is None:
            self.held[-1] = (self.held[-1][0], last)

    def basis(self, day: date) -> bool:
        """A revocation on ``day`` has its facts: a violation dated while the qualification was held, not after ``day``."""
        return any(s <= d <= (e or day) for d in self.violations for s, e in self.held)

    def problem(self, kind: ProblemKind, event: Event, message: str, severity: Severity = "error") -> None:
        self.problems.append(EventProblem(kind, event.index, message, severity))

    def in_ban(self, day: date) -> bool:
        return self.revoked_on is not None and self.ban_until is not None and self.revoked_on <= day <= self.ban_until

    def start_term(self, event: Event) -> None:
        years = validity_years(self.policy.on(event.date), event.category or self.category)  # the term's own (design section 10)
        computed = period_end(event.date, years)
        end = computed
        if event.valid_until is not None and event.valid_until < computed:
            end = event.valid_until
            self.problem("term-mismatch", event,
                         f"证书印明有效期至 {event.valid_until}，早于按 {event.date} 起 {years} 年计算的 {computed}："
                         "以证书为准，请核对", "warning")
        elif event.valid_until is not None and event.valid_until > computed:
            self.problem(
                "term-mismatch",
                event,
                f"证书印明有效期至 {event.valid_until}，晚于按 {event.date} 起 {years} 年计算的 {computed}："
                f"有效期最长 {years} 年，请核对证书（按 {computed} 计）",
            )
        self.phase, self.term_start, self.term_end, self.decision = "term", event.date, end, event.date
        self.grace_until = self.ended_on = self.ended_as = self.cause = None
        self.terms.append((event.date, end))
        self.deferred = []
        if not self.held or self.held[-1][1] is not None:
            self.held.append((event.date, None))

    def apply(self, event: Event) -> None:
        self.settle(event.date)
        kind = event.type
        if kind in ("applied", "filed"):
            self.application(event)
        elif kind in REVIEW_RESULTS:
            self.review(event)
        elif kind == "revoked":
            self.revoke(event)
        elif kind == "withdrawn":
            self.withdraw(event)

    def refuse(self, event: Event, why: str) -> None:
        self.problem("order", event, f"{event.date} 的 {event.type} 事件不能出现在这里：{why}")

    def application(self, event: Event) -> None:
        """applied / filed: the start of a cycle (filed may follow applied)."""
        if self.phase in ("term", "grace"):
            self.refuse(event, "当时资格仍在有效期或保留资格期内，续期请用 review_passed")
            return
        if event.type == "applied" and self.phase == "pending":
            self.refuse(event, "本轮已经申报，尚无备案决定")
            return
        if self.in_ban(event.date):
            self.problem(
                "ban",
                event,
                f"{self.revoked_on} 被取消资格，至 {self.ban_until}（含）不得申请备案："
                f"{event.date} 的{'申报' if event.type == 'applied' else '备案'}无效，资格仍为已撤销",
            )
            return
        if event.type == "applied":
            self.phase, self.applied, self.ended_on, self.ended_as, self.cause = "pending", event.date, None, None, None
            self.term_start = self.term_end = self.grace_until = self.decision = None
            return
        if self.phase != "pending":
            self.applied = None
        self.start_term(event)

    def review(self, event: Event) -> None:
        if self.phase not in ("term", "grace", "lapsed"):
            self.refuse(event, "没有待复核的有效期（尚未备案，或资格已撤销、已退出）")
            return
        assert self.term_end is not None
        kinds = [e.type for e in self.deferred]
        if "review_absent" in kinds or kinds.count("review_failed") == 2:
            self.refuse(event, f"已录入的复核结果在有效期届满次日（{self.term_end + ONE_DAY}）除名，不能再录入复核结果")
            return
        early_days = self.policy.on(event.date).review_early_days
        earliest = self.term_end - timedelta(days=early_days)
        if self.phase == "term" and event.date < earliest:  # in grace the day is past the term end (results take effect after it)
            self.problem(
                "early-review",
                event,
                f"复核结果日期 {event.date} 早于有效期届满日 {self.term_end} 前 "
                f"{early_days} 天（{earliest}）：复核在有效期届满前后进行，请核对日期",
            )
        if event.type != "review_passed" and self.phase == "term" and event.date <= self.term_end:
            self.deferred.append(event)  # design section 3 v4: an early result never cuts the term short
            return
        self.outcome(event, event.date)

    def outcome(self, event: Event, day: date) -> None:
        """What a review result does, taking effect on ``day``: the event's own day, or the day after the term end for a
        failure or an absence recorded before it (held through the term end)."""
        assert self.term_end is not None
        last = None if day == event.date else day - ONE_DAY
        if event.type == "review_passed":
            self.start_term(event)
        elif event.type == "review_absent":
            self.end(day, "revoked", "review_absent" if self.phase != "lapsed" else "review_absent_lapsed", last)
        elif self.phase == "term":
            self.phase = "grace"
            self.grace_until = max(self.term_end, period_end(event.date, self.policy.on(event.date).grace_years))
            if day <= self.grace_until:
                self.graces.append((day, self.grace_until))
        else:
            if self.graces and self.graces[-1][0] == day:  # a grace that never ran a day (two failures on one day)
                self.graces.pop()
            self.end(day, "revoked", "review_failed_twice" if self.phase == "grace" else "review_failed_lapsed", last)

    def revoke(self, event: Event) -> None:
        if self.phase in ("none", "pending") or (self.ended_as == "revoked" and self.cause in ("revoked", "violation")):
            self.refuse(event, "没有可以取消的资格（尚未备案，或已经撤销）")
            return
        removed = self.phase == "lapsed" or self.ended_as == "revoked"  # after a removal (design section 3 v3)
        if not self.basis(event.date):
            self.problem("revocation-basis", event, REVOCATION_BASIS)  # design section 3 v4: every revocation
            if removed:  # v3: without its facts a revocation after a removal changes nothing (no ban)
                return
        self.end(event.date, "revoked", "violation" if removed else "revoked")
        self.revoked_on, self.ban_until = event.date, period_end(event.date, self.policy.on(event.date).ban_years)
        self.bans.append((event.date, self.ban_until))

    def withdraw(self, event: Event) -> None:
        if self.phase in ("none", "ended"):
            self.refuse(event, "没有可以退出的申报或资格（尚未申报，或已经撤销、退出）")
            return
        self.end(event.date, "withdrawn", "withdrawn")

    def result(self, today: date) -> Status:
        self.settle(today)
        status, listed, ban, kind = self.now(today)
        deadline = self.review_deadline()
        following = {"term_end": self.term_end, "review_deadline": deadline, "grace_until": self.grace_until, "ban_until": ban}
        return Status(
            status, listed, term_start=self.term_start, term_end=self.term_end, grace_until=self.grace_until, ban_until=ban,
            review_deadline=deadline, next_deadline=following[kind] if kind is not None else None, next_deadline_kind=kind,
            ended_on=self.ended_on, cause=self.cause, decision=self.decision, applied=self.applied, terms=tuple(self.terms),
            graces=tuple(self.graces), bans=tuple(self.bans), held=tuple(self.held), problems=tuple(self.problems),
        )

    def now(self, today: date) -> tuple[str, bool, date | None, str | None]:
        """(status, listed, ban_until, which deadline comes next) on ``today``, the calendar settled up to it."""
        if self.phase in ("none", "pending"):
            return "pending", False, None, None
        if self.phase in ("ended", "lapsed"):
            status = (self.ended_as or "revoked") if self.phase == "ended" else "lapsed"
            ban = self.ban_until if status == "revoked" and self.cause in ("revoked", "violation") else None
            return status, False, ban, "ban_until" if ban is not None and today <= ban else None
        if self.phase == "grace":
            return "conditional", True, None, "grace_until"
        assert self.term_end is not None
        if today <= self.term_end:
            due = (self.term_end - today).days <= self.policy.on(self.term_end).review_notice_days
            return "review_due" if due else "valid", True, None, "term_end"
        return "under_review", True, None, "review_deadline"


def validity_years(policy: Policy, category: str) -> int:
    """Art. 8(1) names three years for 优势企业; reserve enterprises use ``reserve_validity_years`` (this registry's convention)."""
    return policy.reserve_validity_years if category == "reserve" else policy.validity_years


def status(record: HasEvents, policy: PolicyHistory, today: date) -> Status:
    """Status of ``record`` on ``today`` under ``policy`` (ARCHITECTURE.md section 3)."""
    return replay(record.events, policy, today, record.category, violations(record))


def violations(record: object) -> tuple[date, ...]:
    """The dates of a record's conduct entries (infringement findings, dishonesty listings, other violations): a
    revocation needs one dated while the qualification was held (design section 3 v4)."""
    found = [x.date for x in getattr(record, "infringements", ())] + [x.listed for x in getattr(record, "dishonesty", ())]
    return tuple(sorted(found + [x.date for x in getattr(record, "violations", ())]))


def held_on(held: Iterable[Span], fact: date, revoked: date) -> bool:
    """Whether a fact dated ``fact`` may ground the revocation of ``revoked``: dated while the qualification was held
    (``Status.held``) and not after the revocation."""
    return fact <= revoked and any(s <= fact <= (e or revoked) for s, e in held)


def replay(events: Iterable[Event], policy: PolicyHistory, today: date, category: str = "advantage",
           violations: tuple[date, ...] = ()) -> Status:
    state = _Replay(policy, category, violations)
    for event in sorted((e for e in events if e.date <= today), key=lambda e: (e.date, e.index)):
        state.apply(event)
    return state.result(today)


class Phase(NamedTuple):
    """The part of a Status that says where the record stands on a day."""

    status: str
    listed: bool


def phases_on(events: Iterable[Event], policy: PolicyHistory, days: Iterable[date], category: str = "advantage",
              violations: tuple[date, ...] = ()) -> dict[date, Phase]:
    """What ``replay(events, policy, day, ...)`` says of status and listing on each of ``days``, in one pass over the
    events: the calendar's own changes (``settle``) only move forward, so settling up to one day and then applying
    the events up to a later one is the replay of that later day."""
    state = _Replay(policy, category, violations)
    ordered = sorted(events, key=lambda e: (e.date, e.index))
    out: dict[date, Phase] = {}
    at = 0
    for day in sorted(set(days)):
        while at < len(ordered) and ordered[at].date <= day:
            state.apply(ordered[at])
            at += 1
        state.settle(day)
        status, listed, _, _ = state.now(day)
        out[day] = Phase(status, listed)
    return out


__all__ = ["CAUSE_ZH", "REVOCATION_BASIS", "STATUSES", "STATUS_ZH", "EventProblem", "Phase", "Status", "held_on", "phases_on", "replay",
           "status", "validity_years"]
