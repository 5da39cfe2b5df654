"""Art. 8 lifecycle: every status, the day before/on/after each boundary, leap days, invariants."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.dates import anniversary, period_end
from generator.lifecycle import REVOCATION_BASIS, STATUSES, Status, replay
from generator.model import EVENT_TYPES, Event
from generator.policy import PolicyHistory, default_policy

POLICY = default_policy()
D = date.fromisoformat


def _with(policy: PolicyHistory, **values: Any) -> PolicyHistory:
    """``policy`` with other values from the start (no dated change)."""
    return replace(policy, first=replace(policy.first, **values))


def events(*pairs: tuple[str, str], **extra: str) -> list[Event]:
    out = []
    for i, (day, kind) in enumerate(pairs):
        valid_until = extra.get(f"valid_until_{i}")
        out.append(Event(i, D(day), kind, valid_until=D(valid_until) if valid_until else None))
    return out


FACT = (D("2025-01-01"),)  # a violation inside FILED's term: the basis of the revocations below (design section 3 v4)


def at(today: str, *pairs: tuple[str, str], facts: tuple[date, ...] = FACT, **extra: str) -> Status:
    return replay(events(*pairs, **extra), POLICY, D(today), violations=facts)


FILED = ("2024-03-15", "filed")  # term ends 2027-03-14


LISTED = {"valid", "review_due", "under_review", "conditional"}


@pytest.mark.parametrize("today,expected", [
    ("2024-03-14", "pending"),        # the day before filing: the event is in the future
    ("2024-03-15", "valid"),
    ("2026-12-13", "valid"),          # 91 days before the term end
    ("2026-12-14", "review_due"),     # 90 days before
    ("2027-03-14", "review_due"),     # the term end
    ("2027-03-15", "under_review"),   # the day after
    ("2028-03-14", "under_review"),   # last day of the one-year review window
    ("2028-03-15", "lapsed"),
])
def test_term_boundaries(today: str, expected: str) -> None:
    st_ = at(today, FILED)
    assert st_.status == expected
    assert st_.listed is (expected in LISTED)


def test_valid_fields() -> None:
    st_ = at("2025-01-01", FILED)
    assert (st_.term_start, st_.term_end, st_.next_deadline, st_.next_deadline_kind) == (
        D("2024-03-15"),
        D("2027-03-14"),
        D("2027-03-14"),
        "term_end",
    )
    assert st_.grace_until is None and st_.ban_until is None and st_.review_deadline == D("2028-03-14")


def test_under_review_deadline_is_the_review_deadline() -> None:
    st_ = at("2027-06-01", FILED)
    assert (st_.status, st_.next_deadline, st_.next_deadline_kind) == ("under_review", D("2028-03-14"), "review_deadline")


def test_lapsed_has_no_deadline_but_keeps_its_window() -> None:
    st_ = at("2030-01-01", FILED)
    assert st_.status == "lapsed" and st_.review_deadline == D("2028-03-14") and st_.next_deadline is None
    assert st_.cause == "review_overdue" and st_.ended_on == D("2028-03-15") and not st_.listed


def test_review_pending_years_zero_means_no_listing_after_expiry() -> None:
    policy = _with(POLICY, review_pending_years=0)
    assert replay(events(FILED), policy, D("2027-03-14")).status == "review_due"
    st_ = replay(events(FILED), policy, D("2027-03-15"))
    assert st_.status == "lapsed" and st_.review_deadline == D("2027-03-14") and not st_.listed


@pytest.mark.parametrize("today,expected", [("2028-03-30", "conditional"), ("2028-03-31", "conditional"), ("2028-04-01", "lapsed")])
def test_grace_boundaries(today: str, expected: str) -> None:
    st_ = at(today, FILED, ("2027-04-01", "review_failed"))
    assert st_.status == expected
    assert st_.grace_until == D("2028-03-31")
    if expected == "lapsed":  # v2: nobody decided a revocation; delisted until staff record the result
        assert st_.cause == "grace_expired" and st_.ended_on == D("2028-04-01") and st_.ban_until is None and not st_.listed
    else:
        assert (st_.next_deadline, st_.next_deadline_kind) == (D("2028-03-31"), "grace_until")


@pytest.mark.parametrize(
    "kind,expected,cause",
    [
        ("review_failed", "revoked", "review_failed_lapsed"),
        ("review_absent", "revoked", "review_absent_lapsed"),
        ("review_passed", "valid", None),
    ],
)
def test_result_after_lapse(kind: str, expected: str, cause: str | None) -> None:
    st_ = at("2028-06-01", FILED, ("2028-05-01", kind))  # lapsed since 2028-03-15
    assert st_.status == expected and st_.cause == cause and st_.problems == ()
    assert st_.listed is (expected == "valid")


def test_result_after_grace_ran_out_revokes() -> None:
    st_ = at("2028-06-01", FILED, ("2027-04-01", "review_failed"), ("2028-05-01", "review_failed"))
    assert st_.status == "revoked" and not st_.listed and st_.ban_until is None


def test_review_passed_inside_grace_starts_new_term() -> None:
    st_ = at("2028-05-01", FILED, ("2027-04-01", "review_failed"), ("2028-03-31", "review_passed"))
    assert st_.status == "valid"
    assert (st_.term_start, st_.term_end, st_.grace_until) == (D("2028-03-31"), D("2031-03-30"), None)


def test_review_passed_after_expiry_restarts_validity() -> None:
    st_ = at("2027-06-01", FILED, ("2027-05-20", "review_passed"))
    assert st_.status == "valid" and st_.term_end == D("2030-05-19")
    assert st_.terms == ((D("2024-03-15"), D("2027-03-14")), (D("2027-05-20"), D("2030-05-19")))


def test_second_failure_revokes() -> None:
    st_ = at("2027-09-01", FILED, ("2027-04-01", "review_failed"), ("2027-08-01", "review_failed"))
    assert st_.status == "revoked" and st_.cause == "review_failed_twice" and st_.ended_on == D("2027-08-01")


def test_failure_after_new_term_is_a_first_failure_again() -> None:
    history = (FILED, ("2027-04-01", "review_failed"), ("2027-08-01", "review_passed"), ("2030-06-01", "review_failed"))
    assert at("2030-07-31", *history).status == "review_due"  # the new term ends 2030-07-31: an early result waits (v4)
    st_ = at("2030-08-01", *history)
    assert st_.status == "conditional" and st_.grace_until == D("2031-05-31") and st_.problems == ()
    assert st_.graces[-1] == (D("2030-08-01"), D("2031-05-31"))


@pytest.mark.parametrize("day,early", [("2026-12-14", False), ("2026-12-13", True)])  # term end 2027-03-14, 90 days
def test_early_review_boundary(day: str, early: bool) -> None:
    for kind in ("review_passed", "review_failed", "review_absent"):
        st_ = at("2027-01-01", FILED, (day, kind))
        assert [p.kind for p in st_.problems] == (["early-review"] if early else []), kind


def test_failure_inside_the_window_keeps_the_term() -> None:
    """design section 3 v4: a failure recorded before the term end takes effect the day after it."""
    for today in ("2027-01-01", "2027-03-14"):
        st_ = at(today, FILED, ("2027-01-01", "review_failed"))
        assert (st_.status, st_.listed, st_.grace_until, st_.next_deadline) == ("review_due", True, None, D("2027-03-14"))
    st_ = at("2027-03-15", FILED, ("2027-01-01", "review_failed"))
    assert st_.status == "conditional" and st_.listed
    assert st_.grace_until == D("2027-12-31")  # the later of the term end (2027-03-14) and a year from the failure
    assert st_.graces == ((D("2027-03-15"), D("2027-12-31")),) and st_.next_deadline == D("2027-12-31")
    short = _with(POLICY, grace_years=1, validity_years=3)
    st_ = replay(events(FILED, ("2026-12-20", "review_failed")), _with(short, review_early_days=200), D("2027-03-15"))
    assert st_.grace_until == D("2027-12-19")


def test_grace_never_ends_before_the_term() -> None:
    policy = _with(POLICY, review_early_days=400)
    st_ = replay(events(FILED, ("2026-03-01", "review_failed")), policy, D("2027-03-14"))
    assert st_.status == "review_due" and st_.listed  # the failure takes effect the day after the term end (v4)
    st_ = replay(events(FILED, ("2026-03-01", "review_failed")), policy, D("2027-03-15"))
    assert (st_.grace_until, st_.status, st_.cause, st_.ended_on) == (D("2027-03-14"), "lapsed", "grace_expired", D("2027-03-15"))
    assert st_.graces == ()


@pytest.mark.parametrize(
    "kind,status,cause",
    [("review_absent", "revoked", "review_absent"), ("withdrawn", "withdrawn", "withdrawn"), ("revoked", "revoked", "revoked")],
)
def test_terminal_events(kind: str, status: str, cause: str) -> None:
    day = "2027-03-20" if kind == "review_absent" else "2025-06-01"
    st_ = at("2027-04-01", FILED, (day, kind))
    assert st_.status == status and not st_.listed and st_.cause == cause and st_.ended_on == D(day)
    assert (st_.ban_until is not None) is (kind == "revoked")


@pytest.mark.parametrize("today,has_deadline", [("2028-05-31", True), ("2028-06-01", False)])
def test_ban_until_and_its_deadline(today: str, has_deadline: bool) -> None:
    st_ = at(today, FILED, ("2025-06-01", "revoked"))
    assert st_.ban_until == D("2028-05-31")
    assert (st_.next_deadline_kind == "ban_until") is has_deadline
    assert (st_.next_deadline == D("2028-05-31")) is has_deadline


@pytest.mark.parametrize("refiled,banned", [("2025-06-01", True), ("2025-06-02", True), ("2028-05-31", True), ("2028-06-01", False)])
def test_filing_inside_ban_starts_no_term(refiled: str, banned: bool) -> None:
    for kind in ("filed", "applied"):
        st_ = at("2028-07-01", FILED, ("2025-06-01", "revoked"), (refiled, kind))
        assert [p.kind for p in st_.problems] == (["ban"] if banned else []), kind
        if banned:
            assert st_.status == "revoked" and not st_.listed and st_.ban_until == D("2028-05-31")
        else:
            assert st_.status == ("valid" if kind == "filed" else "pending")


def test_withdrawn_is_its_own_status_sets_no_ban_and_allows_refiling() -> None:
    st_ = at("2025-07-01", FILED, ("2025-06-01", "withdrawn"))
    assert st_.status == "withdrawn" and st_.status_zh == "已退出" and st_.ban_until is None
    st_ = at("2026-01-01", FILED, ("2025-06-01", "withdrawn"), ("2025-07-01", "filed"))
    assert st_.problems == () and st_.status == "valid" and st_.term_start == D("2025-07-01")


def test_revocation_after_withdrawal_bans_from_the_revocation() -> None:
    st_ = at("2026-01-01", FILED, ("2025-06-01", "withdrawn"), ("2025-09-01", "revoked"))
    assert st_.problems == () and st_.status == "revoked" and st_.ban_until == D("2028-08-31") and st_.cause == "revoked"


def test_refiling_after_lapse_starts_new_cycle() -> None:
    st_ = at("2029-01-01", FILED, ("2028-06-01", "filed"))
    assert st_.problems == () and st_.status == "valid"


def test_filing_twice_in_a_term_is_refused() -> None:
    st_ = at("2026-01-01", FILED, ("2025-01-01", "filed"))
    assert [p.kind for p in st_.problems] == ["order"] and st_.term_start == D("2024-03-15")


@pytest.mark.parametrize("kind", ["review_passed", "review_failed", "review_absent", "revoked", "withdrawn"])
def test_cycle_must_start_with_applied_or_filed(kind: str) -> None:
    st_ = at("2026-01-01", ("2024-03-15", kind))
    assert st_.status == "pending" and [p.kind for p in st_.problems] == ["order"]


def test_applied_is_pending_until_the_decision() -> None:
    st_ = at("2026-01-01", ("2025-11-01", "applied"))
    assert (st_.status, st_.applied, st_.decision, st_.listed) == ("pending", D("2025-11-01"), None, False)
    st_ = at("2026-01-01", ("2025-11-01", "applied"), ("2025-12-01", "filed"))
    assert (st_.status, st_.decision, st_.term_start) == ("valid", D("2025-12-01"), D("2025-12-01"))
    assert [p.kind for p in at("2026-01-01", ("2025-11-01", "applied"), ("2025-12-01", "applied")).problems] == ["order"]
    assert at("2026-01-01", ("2025-11-01", "applied"), ("2025-12-01", "withdrawn")).status == "withdrawn"
    assert [p.kind for p in at("2026-01-01", FILED, ("2025-12-01", "applied")).problems] == ["order"]


def test_review_after_withdrawal_is_refused() -> None:
    st_ = at("2026-01-01", FILED, ("2025-01-01", "withdrawn"), ("2025-02-01", "review_passed"))
    assert st_.status == "withdrawn" and [p.kind for p in st_.problems] == ["order"]


@pytest.mark.parametrize("today,expected", [("2027-02-28", "review_due"), ("2027-03-01", "under_review")])
def test_leap_day_start(today: str, expected: str) -> None:
    st_ = at(today, ("2024-02-29", "filed"))
    assert st_.term_end == D("2027-02-28") and st_.status == expected


def test_term_ending_on_leap_day() -> None:
    st_ = at("2028-02-29", ("2025-03-01", "filed"))
    assert st_.term_end == D("2028-02-29") and st_.status == "review_due"
    assert at("2028-03-01", ("2025-03-01", "filed")).status == "under_review"


@pytest.mark.parametrize("today,expected", [("2025-02-28", "conditional"), ("2025-03-01", "lapsed")])
def test_failure_on_leap_day(today: str, expected: str) -> None:
    st_ = at(today, ("2021-03-01", "filed"), ("2024-02-29", "review_failed"))
    assert st_.grace_until == D("2025-02-28") and st_.status == expected


def test_printed_valid_until_earlier_wins_and_warns_later_is_an_error() -> None:
    st_ = at("2027-03-14", FILED, valid_until_0="2027-03-13")
    assert st_.term_end == D("2027-03-13") and st_.status == "under_review"
    assert [(p.kind, p.severity) for p in st_.problems] == [("term-mismatch", "warning")]
    st_ = at("2027-03-15", FILED, valid_until_0="2027-03-15")
    assert st_.term_end == D("2027-03-14") and st_.status == "under_review"  # never more than the measures grant
    assert [(p.kind, p.severity) for p in st_.problems] == [("term-mismatch", "error")]
    assert at("2025-01-01", FILED, valid_until_0="2027-03-14").problems == ()


def test_reserve_enterprises_use_their_own_validity() -> None:
    policy = _with(POLICY, reserve_validity_years=2)
    assert replay(events(FILED), policy, D("2025-01-01"), "reserve").term_end == D("2026-03-14")
    assert replay(events(FILED), policy, D("2025-01-01"), "advantage").term_end == D("2027-03-14")


# -- property-based invariants --------------------------------------------------------------

_days = st.integers(min_value=0, max_value=365 * 12)
_event_lists = st.lists(st.tuples(_days, st.sampled_from(EVENT_TYPES)), max_size=8)
BASE_DAY = date(2015, 1, 1)


def _events(raw: list[tuple[int, str]]) -> list[Event]:
    ordered = sorted(raw)
    return [Event(i, BASE_DAY + timedelta(days=d), kind) for i, (d, kind) in enumerate(ordered)]


@settings(max_examples=300, deadline=None)
@given(_event_lists, st.integers(min_value=0, max_value=365 * 20))
def test_status_is_total_and_listed_matches(raw: list[tuple[int, str]], offset: int) -> None:
    today = BASE_DAY + timedelta(days=offset)
    result = replay(_events(raw), POLICY, today)
    assert result.status in STATUSES
    assert result.listed is (result.status in {"valid", "review_due", "under_review", "conditional"})
    if result.term_start is not None and result.term_end is not None:
        assert result.term_end == period_end(result.term_start, POLICY.on(result.term_start).validity_years)
        assert result.term_start <= result.term_end


@settings(max_examples=300, deadline=None)
@given(_event_lists, st.integers(0, 365 * 6), st.integers(1, 365 * 6))
def test_never_returns_to_valid_without_new_events(raw: list[tuple[int, str]], gap: int, later: int) -> None:
    evs = _events(raw)
    start = (evs[-1].date if evs else BASE_DAY) + timedelta(days=gap)
    first = replay(evs, POLICY, start)
    second = replay(evs, POLICY, start + timedelta(days=later))
    if first.status != "valid":
        assert second.status != "valid"
    order = ["pending", "valid", "review_due", "under_review", "lapsed"]  # the calendar alone moves a record this way only
    if first.status in order and second.status in order:
        assert order.index(second.status) >= order.index(first.status)


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2000, 1, 1), date(2080, 12, 31)), st.integers(0, 365 * 5))
def test_term_end_within_validity_years(start: date, offset: int) -> None:
    result = replay([Event(0, start, "filed")], POLICY, start + timedelta(days=offset))
    assert result.term_end is not None
    assert start < result.term_end < anniversary(start, POLICY.on(start).validity_years)
    assert (result.term_end - start).days < 366 * POLICY.on(start).validity_years


@pytest.mark.parametrize("day,problem,status", [("2028-03-14", ["order"], "lapsed"), ("2028-03-15", [], "valid")])
def test_refiling_on_the_review_deadline_is_still_inside_the_cycle(day: str, problem: list[str], status: str) -> None:
    st_ = at("2028-04-01", FILED, (day, "filed"))
    assert [p.kind for p in st_.problems] == problem and st_.status == status


@settings(max_examples=300, deadline=None)
@given(_event_lists, st.integers(min_value=0, max_value=365 * 20))
def test_listed_records_always_have_their_next_deadline(raw: list[tuple[int, str]], offset: int) -> None:
    result = replay(_events(raw), POLICY, BASE_DAY + timedelta(days=offset))
    if result.listed:
        assert result.next_deadline is not None and result.next_deadline >= BASE_DAY + timedelta(days=offset)
    if result.status == "revoked" and result.cause == "revoked":
        assert result.ban_until is not None
    if result.ban_until is None:
        assert result.next_deadline_kind != "ban_until"
    for problem in result.problems:
        if problem.kind == "ban":  # a filing inside a ban never starts a term
            assert result.terms == () or all(start != _events(raw)[problem.event_index].date for start, _ in result.terms)


def test_history_of_terms_graces_and_bans_is_kept() -> None:
    st_ = at("2031-01-01", FILED, ("2027-04-01", "review_failed"), ("2027-08-01", "review_passed"), ("2028-01-01", "revoked"))
    assert st_.terms == ((D("2024-03-15"), D("2027-03-14")), (D("2027-08-01"), D("2030-07-31")))
    assert st_.graces == ((D("2027-04-01"), D("2028-03-31")),)
    assert st_.bans == ((D("2028-01-01"), D("2030-12-31")),)
    assert st_.status == "revoked" and st_.ban_until == D("2030-12-31") and st_.next_deadline is None


def test_revocation_after_a_removal_needs_a_violation_inside_a_past_term() -> None:
    """design section 3 v3: ``revoked`` after lapsed, review_absent or a second review_failed is accepted only when a
    conduct entry is dated inside a past term; then it bans from the revocation (cause violation)."""
    inside, outside = (D("2026-02-01"),), (D("2024-01-01"),)  # the term of FILED runs 2024-03-15 .. 2027-03-14
    for removal in ((), (("2027-03-20", "review_absent"),), (("2027-03-20", "review_failed"), ("2028-03-01", "review_failed"))):
        events_ = events(FILED, *removal, ("2028-05-01", "revoked"))
        refused = replay(events_, POLICY, D("2028-06-01"), violations=outside)
        assert refused.cause != "violation" and refused.ban_until is None, removal
        assert [(p.kind, p.message) for p in refused.problems] == [("revocation-basis", REVOCATION_BASIS)]
        st_ = replay(events_, POLICY, D("2028-06-01"), violations=inside)
        assert (st_.status, st_.cause, st_.ban_until, st_.problems) == ("revoked", "violation", D("2031-04-30"), ()), removal
        assert replay(events_, POLICY, D("2028-04-30"), violations=inside).cause != "violation"  # the day before


def test_review_absent_and_withdrawal_set_no_ban() -> None:
    st_ = at("2028-06-01", FILED, ("2028-05-01", "review_absent"))
    assert (st_.status, st_.ban_until, st_.next_deadline) == ("revoked", None, None)
    withdrawn = at("2026-01-01", FILED, ("2025-06-01", "withdrawn"))
    assert withdrawn.ban_until is None and withdrawn.next_deadline is None


@settings(max_examples=200, deadline=None)
@given(_event_lists, st.integers(min_value=0, max_value=365 * 14), st.data())
def test_intervals_agree_with_the_status_of_every_day(raw: list[tuple[int, str]], offset: int, data: st.DataObject) -> None:
    """Open data's status intervals: contiguous, and on any day inside one the replay of the events known that day
    gives that interval's status (so data users can answer "was X listed on D?")."""
    from generator.public import intervals

    evs = _events(raw)
    today = BASE_DAY + timedelta(days=offset)
    spans = intervals(evs, POLICY, today)
    for (_, end, _), (nxt, _, _) in itertools.pairwise(spans):
        assert end is not None and end + timedelta(days=1) == nxt
    if spans:
        assert spans[-1][1] is None and spans[0][0] == min(e.date for e in evs if e.date <= today)
        start, end, st_ = spans[data.draw(st.integers(0, len(spans) - 1))]
        last = end or today
        day = start + timedelta(days=data.draw(st.integers(0, (last - start).days)))
        known = [e for e in evs if e.date <= day]
        assert replay(known, POLICY, day).status == st_.status, (day, spans)
    else:
        assert not [e for e in evs if e.date <= today]


@settings(max_examples=300, deadline=None)
@given(_event_lists, st.lists(st.integers(min_value=0, max_value=365 * 14), max_size=12), st.lists(st.integers(-2, 2), max_size=12),
       st.sampled_from(["advantage", "reserve"]), st.lists(st.integers(0, 365 * 14), max_size=3))
def test_phases_on_every_day_are_the_replay_of_that_day(raw: list[tuple[int, str]], offsets: list[int], nudges: list[int],
                                                        category: str, facts: list[int]) -> None:
    """``phases_on`` (the cultivation rules: one pass for all of a record's entry dates) says on each day what the
    replay of that day says: random days, and days next to every event, term end, review deadline, grace and ban end
    (where a pass that settles too early or too late would differ)."""
    from generator.lifecycle import phases_on

    evs = _events(raw)
    violations = tuple(sorted(BASE_DAY + timedelta(days=f) for f in facts))
    final = replay(evs, POLICY, D("2040-01-01"), category, violations)
    edges = [e.date for e in evs] + [d for span in (*final.terms, *final.graces, *final.bans) for d in span]
    edges += [d for d in (final.review_deadline, final.ended_on) if d is not None]
    days = [BASE_DAY + timedelta(days=o) for o in offsets]
    days += [edge + timedelta(days=k) for edge, k in zip(edges, nudges, strict=False)] + [e.date for e in evs]
    phases = phases_on(evs, POLICY, days, category, violations)
    assert set(phases) == set(days)
    for day in days:
        want = replay(evs, POLICY, day, category, violations)
        assert (phases[day].status, phases[day].listed) == (want.status, want.listed), (day, evs)


def _check_intervals_around_every_boundary(evs: list[Event]) -> int:
    """For every day ``today`` within two days of any boundary of any span (term end, the first day of 待复核, review
    deadline, grace end, ban end, the events themselves): the spans start on or before ``today``, run without gaps,
    and every day within two days of a boundary up to ``today`` lies in the span whose status the replay gives that day."""
    from generator.public import intervals

    final = replay(evs, POLICY, D("2040-01-01"))
    edges = {e.date for e in evs}
    for start, end in (*final.terms, *final.graces, *final.bans):
        edges |= {start, end, end + timedelta(days=1), end - timedelta(days=POLICY.on(end).review_notice_days)}
        deadline = period_end(end + timedelta(days=1), POLICY.on(end + timedelta(days=1)).review_pending_years)
        edges |= {deadline, deadline + timedelta(days=1)}
    near = sorted({edge + timedelta(days=k) for edge in edges for k in range(-2, 3)})
    checked = 0
    for today in near:
        spans = intervals(evs, POLICY, today)
        if not spans:
            continue
        assert all(start <= today for start, _, _ in spans), (today, spans)
        assert spans[-1][1] is None
        for (_, end, _), (nxt, _, _) in itertools.pairwise(spans):
            assert end is not None and end + timedelta(days=1) == nxt
        for day in (d for d in near if spans[0][0] <= d <= today):
            [status] = [s.status for start, end, s in spans if start <= day and (end is None or day <= end)]
            assert status == replay(evs, POLICY, day).status, (today, day, spans)
            checked += 1
    return checked


@pytest.mark.parametrize(
    "history",
    [
        [FILED],
        [FILED, ("2027-02-01", "review_passed")],
        [FILED, ("2027-03-20", "review_failed")],
        [FILED, ("2027-03-20", "review_failed"), ("2028-01-10", "review_failed")],
        [FILED, ("2027-01-01", "review_failed")],
        [FILED, ("2027-01-01", "review_absent")],
        [FILED, ("2026-05-01", "revoked"), ("2029-05-01", "filed")],
        [FILED, ("2026-05-01", "withdrawn")],
        [("2024-01-10", "applied"), ("2024-03-15", "filed")],
    ],
)
def test_intervals_on_every_day_around_every_boundary(history: list[tuple[str, str]]) -> None:
    """Every day around each boundary, not one random day: a span that begins a day late (the first day of 待复核 shown
    as 有效) or a span that begins tomorrow fails here."""
    assert _check_intervals_around_every_boundary(events(*history)) > 50


@pytest.mark.parametrize(
    "history,public",
    [
        ([FILED], [FILED]),
        ([("2024-01-10", "applied"), FILED], [FILED]),  # the application of a decided cycle is not published itself
        ([("2024-01-10", "applied")], []),  # pending
        ([("2024-01-10", "applied"), ("2024-02-01", "withdrawn")], []),  # withdrawn before any decision
        ([FILED, ("2026-05-01", "revoked"), ("2029-06-01", "applied")], [FILED, ("2026-05-01", "revoked")]),
        ([FILED, ("2026-05-01", "withdrawn"), ("2026-09-01", "applied")], [FILED, ("2026-05-01", "withdrawn")]),
        (
            [FILED, ("2026-05-01", "withdrawn"), ("2026-09-01", "applied"), ("2026-10-01", "withdrawn")],
            [FILED, ("2026-05-01", "withdrawn")],
        ),
        (
            [FILED, ("2026-05-01", "withdrawn"), ("2026-09-01", "applied"), ("2026-12-01", "filed")],
            [FILED, ("2026-05-01", "withdrawn"), ("2026-12-01", "filed")],
        ),
        ([("2020-01-10", "applied"), ("2020-02-01", "withdrawn"), FILED], [FILED]),
        ([FILED, ("2028-05-01", "applied")], [FILED]),  # lapsed, then applies again
        ([FILED, ("2026-05-01", "revoked"), ("2029-05-01", "filed")], [FILED, ("2026-05-01", "revoked"), ("2029-05-01", "filed")]),
    ],
)
def test_public_events_keep_every_decided_cycle_and_no_application(history: list[tuple[str, str]], public: list[tuple[str, str]]) -> None:
    from generator.public import public_events

    assert [(e.date.isoformat(), e.type) for e in public_events(events(*history))] == public


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])  # about 1 in 3 histories has ended
@given(_event_lists, st.integers(1, 365 * 6), st.booleans(), st.integers(1, 400))
def test_a_later_application_changes_nothing_public(raw: list[tuple[int, str]], gap: int, withdraw: bool, after: int) -> None:
    """Any history that ended (revoked, withdrawn, lapsed), then an application, pending or withdrawn before a decision:
    the public events, status and status intervals are those without the application (ARCHITECTURE.md section 3)."""
    from generator.public import intervals, public_events

    evs = _events(raw)
    applied_on = (evs[-1].date if evs else BASE_DAY) + timedelta(days=gap)
    assume(replay(evs, POLICY, applied_on).status in ("revoked", "withdrawn", "lapsed"))
    more = [Event(len(evs), applied_on, "applied")]
    if withdraw:
        more.append(Event(len(evs) + 1, applied_on + timedelta(days=after), "withdrawn"))
    today = applied_on + timedelta(days=after + 1)
    public = public_events(evs)
    assert public_events(evs + more) == public
    assert replay(public, POLICY, today) == replay(public_events(evs + more), POLICY, today)
    assert [(a, b, s.status) for a, b, s in intervals(public, POLICY, today)] == [
        (a, b, s.status) for a, b, s in intervals(public_events(evs + more), POLICY, today)
    ]


# -- design section 3 v4: a revocation needs its facts; an early review never cuts a term short ---------------------


@pytest.mark.parametrize("fact,grounded", [
    ("2024-03-14", False),  # the day before the term
    ("2024-03-15", True),   # the first day of the term
    ("2025-06-01", True),   # the day of the revocation
    ("2025-06-02", False),  # after it
])
def test_a_revocation_in_a_term_needs_a_violation_dated_inside_it(fact: str, grounded: bool) -> None:
    st_ = at("2025-07-01", FILED, ("2025-06-01", "revoked"), facts=(D(fact),))
    assert [(p.kind, p.message, p.event_index) for p in st_.problems] == ([] if grounded else [("revocation-basis", REVOCATION_BASIS, 1)])
    assert (st_.status, st_.cause, st_.ban_until) == ("revoked", "revoked", D("2028-05-31"))  # the decision stands, as recorded
    assert st_.held == ((D("2024-03-15"), D("2025-06-01")),)


@pytest.mark.parametrize("history,last_held", [
    ([FILED], "2028-03-14"),                                                     # 复核中 through the review deadline, then lapsed
    ([FILED, ("2027-04-01", "review_failed")], "2028-03-31"),                    # 保留资格 through grace_until, then lapsed
    ([FILED, ("2027-04-01", "review_failed"), ("2027-09-01", "review_failed")], "2027-09-01"),  # removed by the second failure
    ([FILED, ("2027-01-01", "review_absent")], "2027-03-14"),                    # an early absence: held through the term end
    ([FILED, ("2025-06-01", "withdrawn")], "2025-06-01"),
])
def test_held_includes_review_and_grace_and_grounds_a_later_revocation(history: list[tuple[str, str]], last_held: str) -> None:
    """A violation on the last day the qualification was held grounds a revocation after the removal; the next day's does not."""
    last = D(last_held)
    for fact, grounded in ((last, True), (last + timedelta(days=1), False)):
        st_ = at("2028-07-01", *history, ("2028-06-01", "revoked"), facts=(fact,))
        assert st_.held == ((D("2024-03-15"), last),)
        assert [p.kind for p in st_.problems] == ([] if grounded else ["revocation-basis"]), (history, fact)
        removed = history[-1][1] != "withdrawn"
        assert (st_.ban_until is not None) is (grounded or not removed), (history, fact)  # v3: no ban without the facts
        if grounded or not removed:
            assert (st_.status, st_.cause) == ("revoked", "violation" if removed else "revoked"), (history, fact)
        else:
            assert st_.status == ("lapsed" if len(history) < 3 and history[-1][1] != "review_absent" else "revoked"), (history, fact)


def test_reproduction_an_early_absence_is_listed_until_the_term_end() -> None:
    """issue 37 item 9: filed 2025-06-10, review_absent 2028-04-01 → valid until 2028-06-09, removed from 2028-06-10."""
    from generator.public import intervals

    history = (("2025-06-10", "filed"), ("2028-04-01", "review_absent"))
    for today in ("2028-04-01", "2028-06-09"):
        st_ = at(today, *history)
        assert (st_.status, st_.listed, st_.next_deadline, st_.next_deadline_kind) == ("review_due", True, D("2028-06-09"), "term_end")
    st_ = at("2028-06-10", *history)
    assert (st_.status, st_.listed, st_.ended_on, st_.cause, st_.ban_until) == ("revoked", False, D("2028-06-10"), "review_absent", None)
    spans = [(a, b, s.status) for a, b, s in intervals(events(*history), POLICY, D("2028-07-01"))]
    assert spans == [(D("2025-06-10"), D("2028-03-10"), "valid"), (D("2028-03-11"), D("2028-06-09"), "review_due"),
                     (D("2028-06-10"), None, "revoked")]


def test_a_second_early_failure_removes_the_day_after_the_term_end() -> None:
    history = (FILED, ("2027-01-01", "review_failed"), ("2027-02-01", "review_failed"))
    assert at("2027-03-14", *history).status == "review_due"
    st_ = at("2027-03-15", *history)
    assert (st_.status, st_.cause, st_.ended_on, st_.graces) == ("revoked", "review_failed_twice", D("2027-03-15"), ())
    assert st_.held == ((D("2024-03-15"), D("2027-03-14")),)  # held through the term end, not on the day of the removal
    third = at("2027-03-15", *history, ("2027-03-01", "review_passed"))  # the removal is decided: no third result
    assert [p.kind for p in third.problems] == ["order"] and third.status == "revoked"
    assert "已录入的复核结果在有效期届满次日（2027-03-15）除名，不能再录入复核结果" in third.problems[0].message


def test_early_review_passed_still_starts_the_new_term_on_its_day() -> None:
    st_ = at("2027-01-02", FILED, ("2027-01-01", "review_failed"), ("2027-01-02", "review_passed"))
    assert (st_.status, st_.term_start, st_.term_end, st_.grace_until, st_.graces) == ("valid", D("2027-01-02"), D("2030-01-01"), None, ())


def test_after_an_early_removal_no_other_result_and_a_revocation_is_in_the_term() -> None:
    st_ = at("2027-04-01", FILED, ("2027-01-01", "review_absent"), ("2027-02-01", "review_passed"))
    assert [p.kind for p in st_.problems] == ["order"] and (st_.status, st_.ended_on) == ("revoked", D("2027-03-15"))
    st_ = at("2027-04-01", FILED, ("2027-01-01", "review_absent"), ("2027-02-01", "revoked"))
    assert (st_.status, st_.cause, st_.ended_on, st_.ban_until) == ("revoked", "revoked", D("2027-02-01"), D("2030-01-31"))
    assert st_.problems == ()


def test_early_results_are_errors_before_the_window_whatever_came_before() -> None:
    """Two results before the window (the second after a first failure): both errors; the removal still waits for the term end."""
    history = (FILED, ("2026-06-01", "review_failed"), ("2026-07-01", "review_failed"))
    st_ = at("2027-03-15", *history)
    assert [(p.kind, p.event_index) for p in st_.problems] == [("early-review", 1), ("early-review", 2)]
    assert (st_.status, st_.ended_on) == ("revoked", D("2027-03-15"))
    assert at("2027-03-14", *history).status == "review_due"


def test_a_result_during_grace_is_never_early() -> None:
    """In 保留资格 the day is past the term end: a second result then (failed, absent or passed) is no early-review."""
    for kind, status in (("review_failed", "revoked"), ("review_absent", "revoked"), ("review_passed", "valid")):
        st_ = at("2027-06-01", FILED, ("2027-04-01", "review_failed"), ("2027-05-01", kind))
        assert (st_.problems, st_.status) == ((), status), kind


_facts = st.lists(_days, max_size=3).map(lambda ds: tuple(sorted(BASE_DAY + timedelta(days=d) for d in ds)))


@settings(max_examples=400, deadline=None)
@given(_event_lists, _facts, st.integers(min_value=0, max_value=365 * 14))
def test_nothing_but_a_decision_to_end_it_ends_a_term_early(raw: list[tuple[int, str]], facts: tuple[date, ...], offset: int) -> None:
    """design section 3 v4: on any day of the current term the status is valid or review_due (with the term end as its
    next deadline), unless a revocation or a withdrawal ended the cycle; and a revocation is grounded exactly when a
    fact lies inside a held span, not after it."""
    evs, today = _events(raw), BASE_DAY + timedelta(days=offset)
    result = replay(evs, POLICY, today, violations=facts)
    in_term = result.term_start is not None and result.term_end is not None and result.term_start <= today <= result.term_end
    if in_term and result.cause not in ("revoked", "violation", "withdrawn"):
        assert result.status in ("valid", "review_due"), (result.status, result.cause)
        assert (result.next_deadline, result.next_deadline_kind) == (result.term_end, "term_end")
    for start, end in result.held:
        assert end is None or start <= end
    for problem in result.problems:
        if problem.kind == "revocation-basis":
            day = evs[problem.event_index].date
            known = replay([e for e in evs if e.date < day or (e.date == day and e.index < problem.event_index)], POLICY, day)
            assert not any(s <= f <= (e or day) for f in facts for s, e in known.held)


@pytest.mark.parametrize("history", [
    [("2024-01-10", "applied"), ("2024-02-01", "revoked")],                        # nothing decided yet
    [FILED, ("2025-06-01", "revoked"), ("2025-07-01", "revoked")],                   # already revoked
    [FILED, ("2027-03-20", "review_absent"), ("2027-05-01", "revoked"), ("2027-06-01", "revoked")],  # already revoked (v3)
])
def test_nothing_to_revoke_is_refused_and_changes_nothing(history: list[tuple[str, str]]) -> None:
    st_ = at("2027-07-01", *history)
    assert [(p.kind, p.event_index) for p in st_.problems] == [("order", len(history) - 1)]
    assert "没有可以取消的资格（尚未备案，或已经撤销）" in st_.problems[0].message
    first = at("2027-07-01", *history[:-1])
    assert (st_.status, st_.cause, st_.ban_until, st_.bans) == (first.status, first.cause, first.ban_until, first.bans)


def test_the_ban_takes_its_length_from_the_policy_on_the_revocation_day() -> None:
    dated = replace(POLICY, dated=(("ban_years", ((D("2000-01-01"), 3), (D("2025-01-01"), 5))),))
    assert replay(events(FILED, ("2025-06-01", "revoked")), dated, D("2025-07-01"), violations=FACT).ban_until == D("2030-05-31")
    early = replay(events(FILED, ("2024-12-31", "revoked")), dated, D("2025-07-01"), violations=(D("2024-06-01"),))
    assert early.ban_until == D("2027-12-30")


def test_a_grace_of_one_day_is_kept() -> None:
    """An early failure whose year ends the day after the term end: 保留资格 for that one day, then lapsed."""
    history = (FILED, ("2026-03-16", "review_failed"))  # a year from it ends 2027-03-15, the term 2027-03-14
    st_ = at("2027-03-15", *history)
    assert (st_.status, st_.grace_until, st_.graces) == ("conditional", D("2027-03-15"), ((D("2027-03-15"), D("2027-03-15")),))
    assert at("2027-03-16", *history).status == "lapsed"


def test_the_grace_takes_its_length_from_the_policy_on_the_failure_day() -> None:
    dated = replace(POLICY, dated=(("grace_years", ((D("2000-01-01"), 1), (D("2027-01-01"), 2))),))
    assert replay(events(FILED, ("2027-04-01", "review_failed")), dated, D("2027-05-01")).grace_until == D("2029-03-31")
    assert replay(events(FILED, ("2026-12-20", "review_failed")), dated, D("2027-05-01")).grace_until == D("2027-12-19")  # older


def test_a_result_on_the_term_end_itself_takes_effect_the_next_day() -> None:
    for kind, status in (("review_absent", "revoked"), ("review_failed", "conditional")):
        assert at("2027-03-14", FILED, ("2027-03-14", kind)).status == "review_due", kind
        st_ = at("2027-03-15", FILED, ("2027-03-14", kind))
        assert (st_.status, st_.listed) == (status, status == "conditional"), kind
    assert at("2027-03-15", FILED, ("2027-03-14", "review_absent")).ended_on == D("2027-03-15")


def test_the_early_window_is_the_policys_on_the_result_day() -> None:
    dated = replace(POLICY, dated=(("review_early_days", ((D("2000-01-01"), 90), (D("2026-11-01"), 200))),))
    assert replay(events(FILED, ("2026-11-01", "review_failed")), dated, D("2026-12-01")).problems == ()  # 200 days from then
    assert [p.kind for p in replay(events(FILED, ("2026-10-31", "review_failed")), dated, D("2026-12-01")).problems] == ["early-review"]


def test_every_kind_of_conduct_grounds_a_revocation_and_a_record_may_have_none() -> None:
    """``lifecycle.violations``: infringement findings, dishonesty listings and violations all count; an object with
    events only (``HasEvents``) has none."""
    from types import SimpleNamespace

    from generator.lifecycle import status, violations

    revoked = tuple(events(FILED, ("2025-06-01", "revoked")))
    fact = SimpleNamespace(date=D("2025-01-01"), listed=D("2025-02-01"))
    for kind in ("infringements", "dishonesty", "violations"):
        record = SimpleNamespace(events=revoked, category="advantage", **{kind: (fact,)})
        assert violations(record) == ((D("2025-02-01"),) if kind == "dishonesty" else (D("2025-01-01"),)), kind
        assert status(record, POLICY, D("2025-07-01")).problems == (), kind
    bare = SimpleNamespace(events=revoked, category="advantage")
    assert violations(bare) == () and [p.kind for p in status(bare, POLICY, D("2025-07-01")).problems] == ["revocation-basis"]


@pytest.mark.parametrize("fact,grounds", [("2024-03-14", False), ("2024-03-15", True), ("2025-06-01", True), ("2025-06-02", False),
                                          ("2026-01-01", True), ("2026-03-01", True), ("2026-03-02", False)])
def test_held_on_is_the_rules_test_for_the_documents(fact: str, grounds: bool) -> None:
    """``held_on`` (the 撤销决定's facts): inside a closed span or the open one up to the revocation day, never after it."""
    from generator.lifecycle import held_on

    held = ((D("2024-03-15"), D("2025-06-01")), (D("2026-01-01"), None))
    assert held_on(held, D(fact), D("2026-03-01")) is grounds
    assert held_on(held, D("2026-01-01"), D("2025-12-31")) is False  # after the revocation, though inside a later span
