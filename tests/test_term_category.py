"""Category per term (design section 10, issue 39): a filed / review_passed carries the category of its term, and every
reader (the enterprise page, its open data, the status table, the notice and the certificate of each term) shows that
term's category; editing the record's ``category`` relabels no past term. One answer: ``Record.term_category``."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import date

from docx import Document

from generator.documents.certificates import certificates
from generator.documents.notices import decision, notice, notice_title
from generator.lifecycle import status
from generator.model import Event, Record
from generator.policy import default_policy, policy_from_mapping
from generator.public import public_enterprise
from generator.site.content import enterprise_page
from tests.helpers import CASES, check_case

POLICY = default_policy()
TODAY = date(2024, 6, 1)
FIRST, SECOND = "西市监〔2020〕5号", "西市监〔2023〕3号"


def _record(first: str | None = "reserve", second: str | None = "advantage", category: str = "advantage") -> Record:
    """First term 储备 (filed 2020-03-01), second 优势 (review passed 2023-02-20), the record since edited to ``category``."""
    entry = check_case(CASES / "valid" / "advantage.yaml").entries[0]
    assert entry.record is not None
    events = (
        Event(0, date(2020, 3, 1), "filed", FIRST, "西知强企证〔2020〕001号", category=first),
        Event(1, date(2023, 2, 20), "review_passed", SECOND, "西知强企证〔2023〕002号", category=second),
    )
    return replace(entry.record, category=category, events=events)


def test_each_term_keeps_its_own_category_whatever_the_record_says_today() -> None:
    for category in ("advantage", "reserve"):
        record = _record(category=category)
        assert record.term_category(record.events[0]) == "reserve"
        assert record.term_category(record.events[1]) == "advantage"
        assert record.term_category(on=date(2021, 1, 1)) == "reserve"
        assert record.term_category(on=TODAY) == "advantage"
    bare = _record(first=None, second=None, category="reserve")  # no category on the events: the record's
    assert bare.term_category(bare.events[0]) == bare.term_category(on=TODAY) == "reserve"
    assert bare.term_category() == "reserve"


def test_the_term_length_is_that_of_the_term_category() -> None:
    policy = policy_from_mapping({"reserve_validity_years": 2})  # a reserve term shorter than an advantage one
    record = _record(first="reserve", second=None, category="advantage")
    assert status(record, policy, date(2021, 1, 1)).term_end == date(2022, 2, 28)  # the event's category, not the record's
    assert status(_record(first=None, second=None), policy, date(2021, 1, 1)).term_end == date(2023, 2, 28)


def test_the_enterprise_page_shows_each_term_with_its_category() -> None:
    record = _record()
    e = public_enterprise(record, status(record, POLICY, TODAY), TODAY, POLICY)
    assert e is not None
    assert [ev.get("category") for ev in e.data["events"]] == ["reserve", "advantage"]
    assert e.data["category"] == "advantage"
    page = enterprise_page(e, TODAY)
    rows = re.findall(r"<tr><td class=\"ipreg-primary\"><span class=\"ipreg-date\">([^<]*)</span></td>"
                      r"<td data-label=\"事件\">[^<]*</td><td data-label=\"本期类别\">([^<]*)</td>", html.unescape(page))
    assert rows == [("2020-03-01", "储备企业"), ("2023-02-20", "知识产权优势企业")]
    earlier = public_enterprise(record, status(record, POLICY, date(2021, 1, 1)), date(2021, 1, 1), POLICY)
    assert earlier is not None and earlier.data["category"] == "reserve"  # on a day of the first term, that term's


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells])


def test_the_documents_of_each_term_name_its_category() -> None:
    record = _record()
    st = status(record, POLICY, TODAY)
    first = decision([(record, st)], FIRST, POLICY)
    second = decision([(record, st)], SECOND, POLICY)
    county = POLICY.on(TODAY).documents.county
    assert "储备企业名单" in notice_title(first, county)
    assert first[0].category == "reserve" and second[0].category == "advantage"
    text = _docx_text(notice(first, FIRST, POLICY))
    assert "储备企业" in text and "优势企业" not in text.replace("知识产权强企", "")
    one = _docx_text(certificates(first, FIRST, POLICY, "https://ipreg.example.gov.cn/"))
    two = _docx_text(certificates(second, SECOND, POLICY, "https://ipreg.example.gov.cn/"))
    assert "知识产权储备企业" in one and "知识产权优势企业" not in one
    assert "知识产权优势企业" in two and "知识产权储备企业" not in two
