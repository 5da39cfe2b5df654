"""Services (Art. 11), priority support (Art. 13) and supervision (Art. 3): each entry judged on its own date against
the lifecycle (design section 10). The cases under tests/cases/ pin the messages; these pin the boundaries and, over
random histories, that a finding agrees with the lifecycle's status on the entry's date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.lifecycle import replay
from generator.model import Event, PrioritySupport, Record, Service
from generator.policy import PolicyHistory, default_policy, policy_from_mapping
from generator.rules.base import Context, Outcome
from generator.rules.cultivation import ART11_NOT_LISTED, ART13_NOT_ENTITLED, art11_not_listed, art13_not_entitled
from generator.writing.decisions import DecideError
from generator.writing.entries import Request, add_entry, service_request
from tests.helpers import CASES, check_case
from tests.test_lifecycle import BASE_DAY, _event_lists, _events

POLICY = default_policy()
TODAY = date(2040, 1, 1)


def _record() -> Record:
    entry = check_case(CASES / "valid" / "advantage.yaml").entries[0]
    assert entry.record is not None
    return entry.record


RECORD = _record()


def _context(record: Record, policy: PolicyHistory = POLICY, today: date = TODAY) -> Context:
    st_ = replay(record.events, policy, today, record.category)
    return Context(record, policy.on(today), today, today, st_, policy)


def _flagged(outcomes: list[Outcome], rule: str) -> set[int]:
    return {int(o.path[1]) for o in outcomes if o.rule == rule and o.ok is False}


def _with(events: list[Event], days: list[date]) -> Record:
    return replace(
        RECORD, events=tuple(events),
        services=tuple(Service(i, d, "expert_service", "专家服务") for i, d in enumerate(days)),
        priority_support=tuple(PrioritySupport(i, d, "training", "granted") for i, d in enumerate(days)),
    )


@given(_event_lists, st.lists(st.integers(0, 365 * 14), max_size=14))
def test_every_entry_agrees_with_the_status_on_its_date(raw: list[tuple[int, str]], offsets: list[int]) -> None:
    days = [BASE_DAY + timedelta(days=o) for o in offsets]
    record = _with(_events(raw), days)
    ctx = _context(record)
    not_listed = _flagged(list(art11_not_listed(ctx)), ART11_NOT_LISTED.id)
    not_entitled = _flagged(list(art13_not_entitled(ctx)), ART13_NOT_ENTITLED.id)
    for i, day in enumerate(days):
        status = replay(record.events, POLICY, day, record.category)
        assert (i in not_listed) is (not status.listed)
        assert (i in not_entitled) is (status.status not in POLICY.on(day).priority_support_statuses)


def _flags(events: list[Event], day: date, policy: PolicyHistory = POLICY) -> tuple[bool, bool]:
    ctx = _context(_with(events, [day]), policy)
    return bool(_flagged(list(art11_not_listed(ctx)), ART11_NOT_LISTED.id)), bool(
        _flagged(list(art13_not_entitled(ctx)), ART13_NOT_ENTITLED.id))


FILED = [Event(0, date(2020, 3, 2), "filed", "西市监〔2020〕3号")]


def test_first_listed_day_and_the_day_before() -> None:
    assert _flags(FILED, date(2020, 3, 2)) == (False, False)
    assert _flags(FILED, date(2020, 3, 1)) == (True, True)


def test_last_listed_day_before_the_lapse() -> None:
    last = replay(FILED, POLICY, TODAY).ended_on
    assert last is not None
    assert replay(FILED, POLICY, last - timedelta(days=1)).status == "under_review"
    assert _flags(FILED, last - timedelta(days=1)) == (False, False)
    assert _flags(FILED, last) == (True, True)


def test_revocation_day_is_not_listed() -> None:
    events = [*FILED, Event(1, date(2021, 5, 6), "revoked", "西市监〔2021〕9号")]
    assert _flags(events, date(2021, 5, 5)) == (False, False)
    assert _flags(events, date(2021, 5, 6)) == (True, True)


GRACE = [*FILED, Event(1, date(2023, 3, 10), "review_failed", "西市监〔2023〕5号")]


def test_conditional_is_entitled_unless_policy_says_otherwise_on_that_day() -> None:
    day = date(2023, 6, 1)
    assert replay(GRACE, POLICY, day).status == "conditional"
    assert _flags(GRACE, day) == (False, False)
    strict = policy_from_mapping({"priority_support_statuses": ["valid", "review_due", "under_review"]})
    assert _flags(GRACE, day, strict) == (False, True)  # still listed (Art. 11), not entitled (Art. 13)
    later = policy_from_mapping({"priority_support_statuses": {
        "values": {"2018-01-01": ["valid", "review_due", "under_review", "conditional"],
                   "2024-01-01": ["valid", "review_due", "under_review"]}, "reference": "西市监〔2023〕99号"}})
    assert _flags(GRACE, day, later) == (False, False)  # the value in force on the entry's date, not today's


def _request(day: str, title: str = "专家服务") -> Request:
    return service_request("专家服务", date.fromisoformat(day), title, None, None, None, None, None)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_an_entry_is_only_added_lines_at_its_date(newline: str, bom: bytes) -> None:
    text = newline.join(["uscc: \"X\"  # 注释", "services:", "  - date: 2026-01-05", "    kind: training", "    title: 培训",
                         "    participants: 3", "  # 下一项", "  - date: 2026-06-01", "    kind: matchmaking", "    title: \"对接: 会\"",
                         "events: []", ""])
    raw = bom + text.encode("utf-8")
    middle = add_entry(raw, _request("2026-03-01"), "records/X.yaml")
    last = add_entry(middle, _request("2026-07-01", "年中 #1"), "records/X.yaml")
    old, new = raw.decode("utf-8-sig").splitlines(keepends=True), last.decode("utf-8-sig").splitlines(keepends=True)
    assert last.startswith(bom) and all(line.endswith(newline) for line in new)
    added = [f"  - date: 2026-03-01{newline}", f"    kind: expert_service{newline}",
             f"    title: \"专家服务\"{newline}",  # quoted as the list's last item quotes it
             f"  - date: 2026-07-01{newline}", f"    kind: expert_service{newline}", f"    title: \"年中 #1\"{newline}"]
    assert [line for line in new if line not in old] == added  # added lines only
    data = yaml.safe_load(last.decode("utf-8-sig"))
    assert [str(s["date"]) for s in data["services"]] == ["2026-01-05", "2026-03-01", "2026-06-01", "2026-07-01"]
    assert data["services"][-1]["title"] == "年中 #1" and data["events"] == []


def test_a_record_without_the_list_gets_it_at_its_end() -> None:
    raw = b"uscc: \"X\"\nevents:\n  - date: 2025-06-10\n    type: filed"  # no line end at the end of the file
    after = add_entry(raw, _request("2026-03-01"), "records/X.yaml")
    tail = "\nservices:\n  - date: 2026-03-01\n    kind: expert_service\n    title: 专家服务\n"
    assert after == raw + tail.encode()
    with pytest.raises(DecideError, match="按块格式"):
        add_entry(b"services: []\n", _request("2026-03-01"), "records/X.yaml")


def test_explain_cites_each_entry_as_the_measures_in_force_on_its_date_number_it() -> None:
    """A version in force from 2030-01-01 renumbers Art. 11, 13 and 3 (policy.yml ``measures.articles``): ``ipreg
    explain``'s lines cite the old numbers for entries before it and the new ones from its first day."""
    from types import SimpleNamespace
    from typing import Any, cast

    from generator.commands.explain import cultivation_lines
    from generator.model import Supervision
    from generator.rules.cultivation import ART3_VIOLATION_REFERRED

    renumbered = {ART11_NOT_LISTED.id: "第十二条", ART13_NOT_ENTITLED.id: "第十四条", ART3_VIOLATION_REFERRED.id: "第四条"}
    history = policy_from_mapping({"measures": {"name": "办法", "in_force": "2018-01-01", "versions": [
        {"name": "办法（修订）", "in_force": "2030-01-01", "articles": renumbered}]}})
    days = [date(2029, 12, 31), date(2030, 1, 1)]
    record = replace(_with(list(RECORD.events), days), supervision=tuple(Supervision(i, d, "routine", "none") for i, d in enumerate(days)))
    lines = cultivation_lines(record, cast(Any, SimpleNamespace(policy=history)))
    assert any(line.startswith("  2029-12-31 服务（第十一条，") for line in lines), lines
    assert any(line.startswith("  2030-01-01 服务（第十二条，") for line in lines), lines
    assert any(line.startswith("  2029-12-31 优先支持（第十三条，") for line in lines), lines
    assert any(line.startswith("  2030-01-01 优先支持（第十四条，") for line in lines), lines
    assert any(line.startswith("  2029-12-31 日常监管（第三条，") for line in lines), lines
    assert any(line.startswith("  2030-01-01 日常监管（第四条，") for line in lines), lines


def test_entries_out_of_date_order_are_an_error_as_events_out_of_order_are() -> None:
    """design section 10: "the usual … order checks"; the usual one, events.order, is an error with no article."""
    from generator.rules import EVENTS_ORDER
    from generator.rules.cultivation import CULTIVATION_ORDER

    registry = check_case(CASES / "invalid" / "cultivation.order" / "supervision-out-of-order.yaml")
    found = [f for f in registry.findings if f.rule == CULTIVATION_ORDER.id]
    assert [(f.severity, f.article) for f in found] == [(EVENTS_ORDER.severity, EVENTS_ORDER.article)] == [("error", None)]
    in_order = _with(FILED, [date(2021, 1, 1), date(2021, 1, 1)])
    assert [o.ok for o in CULTIVATION_ORDER.check(_context(in_order)) if o.rule == CULTIVATION_ORDER.id] == [True]


def test_a_certificate_still_out_after_a_withdrawal_is_recovered_after_the_revocation_that_follows() -> None:
    """Art. 8(5), design section 3 v2: a violation of the last term found after the enterprise withdrew revokes it; the
    certificate issued for that term was never taken back (a withdrawal records no recovery): 30 days after the
    revocation it is quiet, on the 31st the clerk is asked to record the recovery; recorded, nothing is asked."""
    from generator.model import Violation
    from generator.rules.cultivation import ART8_CERTIFICATE_RECOVERY, art8_certificate_recovery

    events = (Event(0, date(2022, 8, 1), "filed", "西市监〔2022〕8号", "西知强企证〔2022〕8号"),
              Event(1, date(2024, 12, 31), "withdrawn", "西市监〔2024〕90号"), Event(2, date(2025, 3, 1), "revoked", "西市监〔2025〕9号"))
    record = replace(RECORD, events=events, violations=(Violation(0, date(2024, 6, 1), "西平县应急管理局", "西应急罚〔2024〕1号", "罚款"),))

    def warned(today: date, rec: Record = record) -> list[Outcome]:
        ctx = _context(rec, today=today)
        assert ctx.status.status == "revoked" and ctx.status.ban_until is not None  # the lifecycle accepts the revocation
        return [o for o in art8_certificate_recovery(ctx) if o.rule == ART8_CERTIFICATE_RECOVERY.id and o.ok is False]

    assert warned(date(2025, 3, 31)) == []
    (found,) = warned(date(2025, 4, 1))
    assert found.path == ("events", 0) and "2025-03-01 取消资格已超过 30 天，2022-08-01 颁发的证书西知强企证〔2022〕8号" in found.message
    recovered = replace(record, events=(replace(events[0], recovered=date(2025, 3, 20)), *events[1:]))
    assert warned(date(2025, 4, 1), recovered) == []
