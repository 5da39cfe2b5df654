"""The steps of ``ipreg diff`` per file (staff/changes) and of ``ipreg decide``'s plan (writing/decisions), each alone."""

from __future__ import annotations

from datetime import date

import pytest

from generator.findings import Finding, Severity
from generator.lifecycle import Status
from generator.registry import Entry
from generator.staff.changes import _dates_after, _findings_after, _resolved_findings, _status_code
from generator.writing.decisions import DecideError, _request

TODAY = date(2026, 11, 25)


def _entry(*findings: Finding, status: Status | None = None) -> Entry:
    return Entry(file="records/X.yaml", record=None, status=status, on=None, outcomes=(), findings=findings)


def _finding(line: int, severity: Severity, rule: str) -> Finding:
    return Finding("records/X.yaml", line, 1, severity, rule, f"{rule} 的说明")


def test_dates_after_an_ended_cycle_are_its_end_and_ban() -> None:
    ended = Status("revoked", False, term_end=date(2027, 1, 1), ended_on=date(2026, 5, 1), ban_until=date(2029, 5, 1))
    assert _dates_after(ended) == {"ended_on": "2026-05-01", "ban_until": "2029-05-01"}
    listed = Status("listed", True, term_start=date(2025, 1, 1), term_end=date(2028, 1, 1))
    assert _dates_after(listed) == {"term_start": "2025-01-01", "term_end": "2028-01-01", "review_deadline": None,
                                    "grace_until": None, "ban_until": None}
    assert set(_dates_after(None)) == {"term_start", "term_end", "review_deadline", "grace_until", "ban_until"}


def test_findings_after_put_new_ones_first_and_resolved_ones_are_the_gone_ones() -> None:
    kept, gone = _finding(3, "warning", "kept"), _finding(9, "error", "gone")
    new_late, new_early = _finding(20, "error", "new_late"), _finding(2, "warning", "new_early")
    o, n = _entry(kept, gone), _entry(new_late, kept, new_early)
    assert [f["rule"] for f in _findings_after(o, n)] == ["new_early", "new_late", "kept"]
    assert [f["rule"] for f in _resolved_findings(o, n)] == ["gone"]
    assert _resolved_findings(o, None) == []  # a deleted file resolves nothing
    assert _findings_after(None, n)[0]["rule"] == "new_early"


def test_status_code_is_none_without_a_valid_record() -> None:
    assert _status_code(None) is None
    assert _status_code(_entry()) is None
    assert _status_code(_entry(status=Status("listed", True))) == "listed"


@pytest.mark.parametrize(("kind", "day", "document", "usccs", "start"), [
    ("nonsense", date(2026, 11, 30), "", [], "--type nonsense 不是决定类型"),  # the type first, before anything else
    ("备案", date(2026, 11, 30), "", [" "], "没有给出企业"),
    ("备案", date(2026, 11, 30), " ", ["x"], "--document 不能为空"),
    ("备案", date(2026, 11, 30), "西市监〔2026〕1号", ["x"], "决定日期 2026-11-30 晚于今天"),
])
def test_the_request_is_refused_in_the_order_a_clerk_reads_it(kind: str, day: date, document: str, usccs: list[str],
                                                              start: str) -> None:
    with pytest.raises(DecideError) as refused:
        _request(kind, day, document, usccs, TODAY)
    assert str(refused.value).startswith(start)


def test_the_request_names_each_enterprise_once_in_capitals() -> None:
    kind, codes, document = _request("备案", TODAY, "西市监[2026]1号", ["91a", " 91A ", "91b"], TODAY)
    assert (kind, codes) == ("filed", ["91A", "91B"])
    assert document == "西市监〔2026〕1号"  # the written form, however the clerk typed it
