"""The 审核表 prints the Art. 7 assessment (design sections 8 and 10, issue 39): the reviewer's role, the opinion and
its date in the 审核意见 box when the application's event records one; a blank box to fill in by hand when none is
recorded. Read on the rendered PDF (LibreOffice, pdftotext -bbox), like the other documents; skipped without
LibreOffice and poppler-utils, a failure in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import required, tool
from tests.test_documents import decided_registry
from tests.test_documents_issuable import _lines, _pdf, _words

pytestmark = pytest.mark.office

APPLICANT = "91411721MA45A0142N"  # the samples' pending applicant (applied 2026-10-20)
OPINION = "经审核，该企业符合第四条、第五条规定的条件，材料齐全，同意备案为知识产权优势企业，报局务会审定。"


def test_the_review_sheet_prints_a_recorded_assessment_and_leaves_the_box_blank_without_one(tmp_path: Path) -> None:
    required("LibreOffice (libreoffice-writer-nogui)", tool("soffice"))
    required("pdftotext (poppler-utils)", tool("pdftotext"))
    repo = decided_registry(tmp_path / "repo")
    path = repo / "records" / f"{APPLICANT}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    note: 企业提交申报材料，待审核\n" in text
    path.write_text(text.replace("    note: 企业提交申报材料，待审核\n", "    note: 企业提交申报材料，待审核\n    assessment:\n"
                                 f"      by: 知识产权股股长\n      opinion: {OPINION}\n      date: 2026-11-10\n"), encoding="utf-8")
    with (repo / "records" / "91411721MA45A0070X.yaml").open("a", encoding="utf-8") as record:  # applies again: no assessment
        record.write("  - date: 2026-11-01\n    type: applied\n")
    pages = [_lines(words) for words in _words(_pdf(repo, "out", "--kind", "review-sheet"))]
    sheets: dict[str, list[tuple[float, str]]] = {}
    for page in pages:
        owner = next(t for _, t in page if t.startswith("知识产权强企备案审核表："))
        sheets.setdefault(owner, []).extend(page)
    (assessed,) = [lines for owner, lines in sheets.items() if APPLICANT in owner]
    (blank,) = [lines for owner, lines in sheets.items() if APPLICANT not in owner]
    texts = "".join(t for _, t in assessed)
    assert OPINION in texts  # the whole opinion, in the box
    signer = next((y, t) for y, t in assessed if t.startswith("审核人（知识产权股股长）签字："))
    assert signer[1].endswith("2026年11月10日"), signer
    label = next(y for y, t in assessed if "审核意见" in t)
    opinion_top = next(y for y, t in assessed if t.startswith(OPINION[:8]))
    assert abs(opinion_top - label) < 45 and opinion_top < signer[0], (label, opinion_top, signer)  # in the box, above the signer
    assert any(t.startswith("复核人（签字）：") for _, t in assessed)  # the second reader still signs by hand
    blank_texts = [t for _, t in blank]
    assert any(t.startswith("审核人（签字）：") and t.endswith("年月日") for t in blank_texts), blank_texts
    assert OPINION[:8] not in "".join(blank_texts)
