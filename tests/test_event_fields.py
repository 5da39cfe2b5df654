"""The dates and fields an event carries besides its own date (design section 10): ``category`` on filed / review_passed,
``assessment`` on applied / filed, ``delivered`` and ``recovered`` on an event that issued a certificate; none after
today, a certificate handed over not before it was issued and taken back only after a revocation, not before it; and
``compliance.confirmed`` not after today. Each applied to the valid record tests/cases/valid/advantage.yaml (filed
2025-06-10, checked on 2026-11-25): what the clerk reads."""

from __future__ import annotations

from datetime import date

import pytest

from generator.findings import Finding
from generator.loader import load_bytes
from generator.policy import default_policy
from generator.registry import build_registry
from tests.helpers import CASES

VALID = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8")
NAME = "records/91411721MA00000154.yaml"
TODAY = date(2026, 11, 25)
FILED = "    type: filed\n    document: 西市监〔2025〕31号\n"
VIOLATION = "  dishonesty: []\n  violations:\n    - date: 2025-09-01\n      authority: 西平县应急管理局\n" \
            "      document: 西应急罚〔2025〕示例5号\n      summary: 因发生较大生产安全事故被处以罚款\n"
REVOKED = "  - date: 2025-10-15\n    type: revoked\n    document: 西市监〔2025〕66号\n"


def _findings(text: str, today: date = TODAY) -> list[Finding]:
    registry = build_registry([load_bytes(text.encode("utf-8"), NAME)], default_policy(), today)
    return [f for f in registry.findings if f.severity != "info"]


def _filed_with(extra: str, *, revoked: bool = False) -> str:
    assert FILED in VALID and "  dishonesty: []\n" in VALID
    text = VALID.replace(FILED, FILED + extra, 1)
    return text.replace("  dishonesty: []\n", VIOLATION, 1) + REVOKED if revoked else text


def _one(findings: list[Finding], rule: str, words: str) -> Finding:
    assert len(findings) == 1, findings
    found = findings[0]
    assert (found.rule, found.severity) == (rule, "error") and words in found.message, found
    return found


def test_the_record_used_is_valid() -> None:
    assert _findings(VALID) == []
    assert _findings(_filed_with("    delivered: 2025-06-10\n")) == []
    assert _findings(_filed_with("    recovered: 2025-10-15\n", revoked=True), date(2025, 11, 1)) == []


@pytest.mark.parametrize(("field", "extra"), [
    ("delivered", "    delivered: 2026-11-26\n"),
    ("recovered", "    recovered: 2026-11-26\n"),
    ("assessment.date", "    assessment:\n      by: 县局知识产权股股长\n      opinion: 同意备案\n      date: 2026-11-26\n"),
])
def test_an_event_date_after_today_is_an_error_today_is_not(field: str, extra: str) -> None:
    found = _one(_findings(_filed_with(extra, revoked=field == "recovered")), "events.future", "晚于今天（2026-11-25）")
    assert "2026-11-26" in found.message
    assert _findings(_filed_with(extra, revoked=field == "recovered"), date(2026, 11, 26)) == []


def test_a_recovery_after_today_on_a_record_never_revoked_is_reported() -> None:
    findings = _findings(_filed_with("    recovered: 2029-01-01\n"))
    assert {f.rule for f in findings} == {"events.future", "data.consistency"}, findings
    assert all(f.severity == "error" for f in findings)


def test_compliance_confirmed_after_today_is_an_error_today_is_not() -> None:
    text = VALID.replace("  environmental: true\n", "  environmental: true\n  confirmed: 2026-11-26\n", 1)
    _one(_findings(text), "cultivation.future", "合规确认的日期 2026-11-26 晚于今天（2026-11-25）")
    assert _findings(text, date(2026, 11, 26)) == []


def test_a_certificate_delivered_before_it_was_issued() -> None:
    found = _findings(_filed_with("    delivered: 2025-06-09\n"))
    _one(found, "data.consistency", "证书送达日期 2025-06-09 早于颁发证书的决定日期 2025-06-10")
    assert _findings(_filed_with("    delivered: 2025-06-10\n")) == []


def test_a_certificate_recovered_without_a_revocation() -> None:
    _one(_findings(_filed_with("    recovered: 2025-10-01\n")), "data.consistency", "没有撤销决定")


def test_a_certificate_recovered_before_its_revocation() -> None:
    found = _findings(_filed_with("    recovered: 2025-10-14\n", revoked=True))
    _one(found, "data.consistency", "证书收回日期 2025-10-14 早于 2025-10-15 的撤销决定")
    assert _findings(_filed_with("    recovered: 2025-10-15\n", revoked=True)) == []


@pytest.mark.parametrize(("field", "extra"), [
    ("category", "    category: advantage\n"),
    ("delivered", "    delivered: 2025-06-10\n"),
    ("recovered", "    recovered: 2025-06-10\n"),
    ("assessment", "    assessment:\n      by: 县局知识产权股股长\n      opinion: 同意\n      date: 2025-06-10\n"),
])
def test_a_field_on_an_event_that_may_not_carry_it(field: str, extra: str) -> None:
    """On a review_failed (no certificate, not applied or filed): one schema error at the field naming it and the type."""
    failed = "  - date: 2026-11-01\n    type: review_failed\n    document: 西市监〔2026〕40号\n"
    findings = _findings(VALID.replace(FILED, FILED + failed + extra, 1))
    found = _one(findings, "schema", f"events[1].{field}")
    assert "review_failed" in found.message and "不能" in found.message, found.message
    assert found.line == VALID.count("\n") + 4 and found.column == 5  # at the key, not the event


def test_assessment_on_applied_and_category_on_review_passed_are_accepted() -> None:
    assessment = "    assessment:\n      by: 县局知识产权股股长\n      opinion: 同意备案\n      date: 2025-06-01\n"
    applied = "  - date: 2025-05-01\n    type: applied\n" + assessment
    text = VALID.replace("events:\n", "events:\n" + applied, 1)
    assert _findings(text) == []
