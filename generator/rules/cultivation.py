"""What the bureau does for and with listed enterprises (design section 10): services (Art. 11), priority support
(Art. 13), supervision (Art. 3) and the certificate taken back after a revocation (Art. 8(5)). Each entry is judged
against the lifecycle's status on its own date (``status_on``), never on today's: a service given while the
enterprise was listed stays right after a later revocation."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from generator.labels import FINDING_ZH, PROGRAMME_ZH, SERVICE_KIND_ZH, STATUS_ZH
from generator.lifecycle import Phase, Status, phases_on, replay, violations
from generator.model import Record
from generator.policy import PolicyHistory
from generator.rules import CONVENTION
from generator.rules.art8 import ART8_VIOLATION_REVIEW
from generator.rules.base import Context, EligibilityRule, Outcome

LISTS = ("services", "priority_support", "supervision")
class Dated(Protocol):
    """An entry of services, priority_support or supervision: its date and its place in its list."""

    @property
    def date(self) -> date: ...

    @property
    def index(self) -> int: ...


LIST_ZH = {"services": "服务", "priority_support": "优先支持", "supervision": "日常监管"}


def status_on(record: Record, history: PolicyHistory, day: date) -> Status:
    """The lifecycle's status of ``record`` on ``day``: what ``ipreg status --today day`` says."""
    return replay(record.events, history, day, record.category, violations(record))


def cultivation_future(ctx: Context) -> Iterator[Outcome]:
    """No service, priority support or supervision dated after today, and no compliance confirmed after it (Art. 4(2):
    ``compliance.confirmed``, what the bureau confirmed)."""
    found = False
    for name in LISTS:
        for entry in getattr(ctx.record, name):
            if entry.date > ctx.today:
                found = True
                yield Outcome(CULTIVATION_FUTURE.id, False, f"{LIST_ZH[name]}的日期 {entry.date} 晚于今天（{ctx.today}）",
                              (name, entry.index, "date"))
    confirmed = ctx.record.compliance_confirmed
    if confirmed is not None and confirmed > ctx.today:
        found = True
        yield Outcome(CULTIVATION_FUTURE.id, False, f"合规确认的日期 {confirmed} 晚于今天（{ctx.today}）：只能录入已经确认的日期",
                      ("compliance", "confirmed"))
    if not found:
        yield Outcome(CULTIVATION_FUTURE.id, True, "服务、优先支持、监管和合规确认的日期都不晚于今天")


CULTIVATION_FUTURE = EligibilityRule(
    "cultivation.future", None, "error", "服务、优先支持、日常监管和合规确认（compliance.confirmed）的日期不得晚于今天", lifecycle=True,
    check=cultivation_future,
)


def cultivation_order(ctx: Context) -> Iterator[Outcome]:
    """Each list in date order, as the events are (ipreg service and ipreg priority insert an entry at its date)."""
    found = False
    for name in LISTS:
        entries = getattr(ctx.record, name)
        for before, entry in zip(entries, entries[1:], strict=False):
            if entry.date < before.date:
                found = True
                yield Outcome(CULTIVATION_ORDER.id, False, f"{LIST_ZH[name]}的日期 {entry.date} 早于上一项的 {before.date}：请按日期排列",
                              (name, entry.index, "date"))
    if not found:
        yield Outcome(CULTIVATION_ORDER.id, True, "服务、优先支持和监管都按日期排列")


CULTIVATION_ORDER = EligibilityRule(  # the usual order check (design section 10), an error as events.order is
    "cultivation.order", None, "error", "服务、优先支持和日常监管各按日期从早到晚排列", lifecycle=True, check=cultivation_order
)


def art3_violation_referred(ctx: Context) -> Iterator[Outcome]:
    """A supervision finding ``violation_referred`` while the qualification was held, with no conduct entry dated in the
    same period and no revocation after it: staff check whether it is a major violation (Art. 8(5))."""
    rec, found = ctx.record, False
    held = ctx.status.held
    facts = violations(rec)
    revocations = [e.date for e in rec.events if e.type == "revoked"]
    for entry in rec.supervision:
        if entry.finding != "violation_referred" or entry.date > ctx.today:
            continue
        span = next(((s, e) for s, e in held if s <= entry.date <= (e or ctx.today)), None)
        if span is None:
            continue
        last = span[1] or ctx.today
        if any(span[0] <= d <= last for d in facts) or any(entry.date <= d <= last + timedelta(days=1) for d in revocations):
            continue
        found = True
        yield Outcome(
            ART3_VIOLATION_REFERRED.id, False,
            f"{entry.date} 日常监管结论为“{FINDING_ZH[entry.finding]}”，守法诚信情况（conduct）中没有对应的记录，也没有撤销决定："
            f"请核实是否属于重大违法违规（{ART8_VIOLATION_REVIEW.article}）",
            ("supervision", entry.index, "finding"),
        )
    if not found:
        yield Outcome(ART3_VIOLATION_REFERRED.id, True, "有效期内移送的违法违规都有对应的记录或撤销决定")


ART3_VIOLATION_REFERRED = EligibilityRule(
    "art3.violation-referred", "第三条", "warning",
    "有效期内日常监管发现违法违规并移送，但没有对应的违法违规记录或撤销决定：请核实是否属于重大违法违规", lifecycle=True,
    check=art3_violation_referred,
)


def _each_on_its_day(ctx: Context, rule: str, field: str, entries: Sequence[Dated],
                     problem: Callable[[Any, Phase], str | None], fine: str) -> Iterator[Outcome]:
    """Each entry dated up to today judged against the status on its own date (``phases_on``: what ``status_on``
    says, for all the dates in one pass): ``problem`` says what is wrong with it (None: nothing); ``fine`` when
    nothing is."""
    rec, found = ctx.record, False
    dated = [entry for entry in entries if entry.date <= ctx.today]
    phases = phases_on(rec.events, ctx.policy_history(), [entry.date for entry in dated], rec.category, violations(rec)) \
        if dated else {}
    for entry in dated:
        message = problem(entry, phases[entry.date])
        if message is not None:
            found = True
            yield Outcome(rule, False, message, (field, entry.index, "date"))
    if not found:
        yield Outcome(rule, True, fine)


def art11_not_listed(ctx: Context) -> Iterator[Outcome]:
    """A service dated on a day the enterprise was not 通过备案 (not listed): Art. 11 serves listed enterprises."""
    def problem(entry: Any, st: Phase) -> str | None:
        return None if st.listed else (f"{entry.date} 的服务“{entry.title}”（{SERVICE_KIND_ZH[entry.kind]}）："
                                       f"当天企业的状态是{_status_zh(st)}，不是通过备案的强企")
    yield from _each_on_its_day(ctx, ART11_NOT_LISTED.id, "services", ctx.record.services, problem,
                                "每项服务的日期企业都处于通过备案的状态")


ART11_NOT_LISTED = EligibilityRule(
    "art11.not-listed", "第十一条", "warning", "服务的日期企业须处于通过备案的状态（列入公开名单）", lifecycle=True,
    check=art11_not_listed,
)


# the item of Art. 11 each kind of service carries out: SERVICE_KIND_ZH lists the kinds in the order of the article's items
SERVICE_ARTICLE = {kind: f"{ART11_NOT_LISTED.article}第{'一二三四五六'[i]}项" for i, kind in enumerate(SERVICE_KIND_ZH)}


def articles_in_force(history: PolicyHistory, day: date) -> tuple[str, dict[str, str], str]:
    """Art. 11, each kind of service's item of it (its first item …) and Art. 13, as the version of the measures in force
    on ``day`` numbers them (the catalogue's, renumbered by policy.yml ``measures.articles``, as ``cite`` does)."""
    art11 = history.article(ART11_NOT_LISTED.id, day, ART11_NOT_LISTED.article) or ""
    art13 = history.article(ART13_NOT_ENTITLED.id, day, ART13_NOT_ENTITLED.article) or ""
    items = {k: art11 + SERVICE_ARTICLE[k].removeprefix(ART11_NOT_LISTED.article or "") for k in SERVICE_KIND_ZH}  # 第十一条 + 第一项
    return art11, items, art13


def entitled_on(st: Phase | Status, history: PolicyHistory, day: date) -> bool:
    """Whether an enterprise whose status on ``day`` is ``st`` may get priority support then (Art. 13: one of
    ``priority_support_statuses`` in force that day)."""
    return st.status in history.on(day).priority_support_statuses


def art13_not_entitled(ctx: Context) -> Iterator[Outcome]:
    """Priority support on a day the enterprise's status was not one of ``priority_support_statuses`` (on that day)."""
    history = ctx.policy_history()

    def problem(entry: Any, st: Phase) -> str | None:
        if entitled_on(st, history, entry.date):
            return None
        return f"{entry.date} 的优先支持（{PROGRAMME_ZH[entry.programme]}）：当天企业的状态是{_status_zh(st)}，不属于可获优先支持的状态"
    yield from _each_on_its_day(ctx, ART13_NOT_ENTITLED.id, "priority_support", ctx.record.priority_support, problem,
                                "每项优先支持的日期企业都可获优先支持")


ART13_NOT_ENTITLED = EligibilityRule(
    "art13.not-entitled", "第十三条", "error",
    "优先支持的日期企业须通过备案：状态为 {priority_support_statuses} 之一（哪些状态算作通过备案是本登记簿的约定）", lifecycle=True,
    check=art13_not_entitled,
)


def art8_certificate_recovery(ctx: Context) -> Iterator[Outcome]:
    """After a revocation, the certificate of the decision before it recorded as recovered within
    ``certificate_recovery_days`` (on the event that issued it). A withdrawal takes no certificate back (the measures
    say nothing of it and the record has no date for it): a revocation that follows one (design section 3 v2: a
    violation of the last term found after the enterprise withdrew) asks for that term's certificate too."""
    rec, found = ctx.record, False
    history = ctx.policy_history()
    issued = None
    for event in sorted(rec.events, key=lambda e: (e.date, e.index)):
        if event.date > ctx.today:
            break
        if event.type in ("filed", "review_passed"):
            issued = event
        elif event.type == "revoked" and issued is not None:
            days = history.on(event.date).certificate_recovery_days
            if issued.recovered is None and (ctx.today - event.date).days > days:
                found = True
                yield Outcome(
                    ART8_CERTIFICATE_RECOVERY.id, False,
                    f"{event.date} 取消资格已超过 {days} 天，{issued.date} 颁发的证书{issued.certificate or ''}"
                    "还没有录入收回日期（recovered）",
                    ("events", issued.index),
                )
            issued = None
    if not found:
        yield Outcome(ART8_CERTIFICATE_RECOVERY.id, True, "取消资格的证书都已录入收回日期，或还在收回期限内")


ART8_CERTIFICATE_RECOVERY = EligibilityRule(
    "art8.certificate-recovery", CONVENTION, "warning",
    "取消资格后 {certificate_recovery_days} 天内录入证书收回日期（recovered）", lifecycle=True,
    check=art8_certificate_recovery,
)


def _status_zh(st: Phase | Status) -> str:
    return f"“{STATUS_ZH[st.status]}”"
