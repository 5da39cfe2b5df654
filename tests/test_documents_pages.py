"""Notices and decisions as printed (issue 37): the 版记 where the text ends (GB/T 9704 7.5: the last page, an even one;
a blank page only when the text ends on a full even page), 附件 tables whose codes, numbers and dates stay on one line at
the table's own line height, page numbers in one size, the 印发日期 右空一字, the 署名 centred over the 成文日期, no
punctuation past the 版心, the revocation's 附注. Rendered through LibreOffice, measured with pdftotext -bbox in mm."""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.documents import notices, pdf
from generator.documents.layout import new_document, paragraph, save
from tests.helpers import required, tool
from tests.test_documents import TODAY, decided_registry

pytestmark = pytest.mark.office

MM = 25.4 / 72
RIGHT, FOOT = 28 + 156, 37 + 225  # the 版心's right edge and foot, mm from the paper's left and top edges
FILED, REVOKED = "西市监〔2024〕45号", "西市监〔2025〕47号"
LONG = "西平县示例恒达精密机械制造股份有限公司新材料科技研发中心分部第一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯"

Word = tuple[float, float, float, float, str]  # x0, y0, x1, y1 in mm, text


@pytest.fixture(scope="module")
def make(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Renders a decision of the sample registry as a PDF, its enterprises repeated ``n`` times (each with a certificate
    number; names made ``name_length`` long)."""
    required("LibreOffice (libreoffice-writer-nogui)", tool("soffice"))
    required("pdftotext (poppler-utils)", tool("pdftotext"))
    from generator.commands import context, registry

    repo = decided_registry(tmp_path_factory.mktemp("pages") / "repo")
    args = argparse.Namespace(policy=str(repo / "policy.yml"), today=TODAY, jobs=1)
    env = dict(os.environ)
    policy, _ = context(args, env)
    records = list(registry(args, env, [str(repo / "records")]).records())
    out = tmp_path_factory.mktemp("pdf")

    def render(document: str, n: int = 1, name_length: int = 0) -> Path:
        base = notices.decision(records, document, policy)
        decided = []
        for i in range(n):
            d = base[i % len(base)]
            name = (d.record.name + LONG)[:name_length] if name_length else d.record.name
            event = d.event if d.event.type == "revoked" else dataclasses.replace(d.event, certificate=f"西知强企证〔2024〕{i + 1:03d}号")
            decided.append(dataclasses.replace(d, record=dataclasses.replace(d.record, name=name), event=event))
        target = out / f"{document[-4:-1]}-{n}-{name_length}.docx"
        target.write_bytes(notices.notice(decided, document, policy, lambda data: pdf.locate(data, env)))
        pdf.to_pdf(target, env)
        return target.with_suffix(".pdf")

    return render


def _words(pdf_file: Path) -> list[list[Word]]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [[(float(a) * MM, float(b) * MM, float(c) * MM, float(d) * MM, t) for a, b, c, d, t in re.findall(pattern, page)]
            for page in html.split("<page ")[1:]]


def _lines(words: list[Word]) -> list[tuple[float, float, float, float, str]]:
    """Words grouped into lines (same top within 1 mm): x0, top, x1, bottom, text without spaces."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w[1]), w[0])):
        if lines and abs(lines[-1][0][1] - word[1]) < 1:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [(min(w[0] for w in line), line[0][1], max(w[2] for w in line), max(w[3] for w in line), "".join(w[4] for w in line))
            for line in lines]


def _number(page: list[Word]) -> str | None:
    """The page number printed under the 版心 ("— 3 —"), if any."""
    found = [w[4] for w in page if w[1] > FOOT + 3 and w[4].isdigit()]
    return found[0] if found else None


def _body(page: list[Word]) -> list[Word]:
    return [w for w in page if w[3] < FOOT + 1]


def _imprint_top(page: list[Word]) -> float:
    return min(w[1] for w in page if w[4].startswith("抄送") or "印发" in w[4])


@pytest.mark.parametrize(("n", "outcome"), [(3, "odd"), (20, "even with room"), (35, "even and full"), (48, "odd")])
def test_the_imprint_goes_where_the_text_ends(make: Callable[..., Path], n: int, outcome: str) -> None:
    """7.5: text ending on an odd page → the 版记 alone on the next page, numbered; on an even page with room → at the
    foot of that page; on a full even page → a blank page, then the 版记, neither numbered. Never a page more."""
    pages = _words(make(FILED, n))
    assert len(pages) % 2 == 0, len(pages)
    last = pages[-1]
    top = _imprint_top(last)
    issued = [w for w in last if "印发" in w[4]]
    assert FOOT - 12 < issued[0][3] <= FOOT + 0.5, issued  # the 印发 line at the foot of the 版心
    text_above = [w for w in _body(last) if w[3] < top - 1]
    if outcome == "even with room":
        assert text_above and _number(last) == str(len(pages))
    elif outcome == "odd":
        assert not text_above and _body(pages[-2]) and _number(last) == str(len(pages))
    else:
        assert not text_above and not _body(pages[-2]) and _body(pages[-3])
        assert _number(last) is None and _number(pages[-2]) is None
        ends = max(w[3] for w in _body(pages[-3]))
        assert ends > FOOT - 25, ends  # there was no room for the 版记 (two lines and the rules, about 22 mm)
    for page in pages:  # nothing past the 版心's right edge (no hanging punctuation)
        assert all(w[2] <= RIGHT + 0.5 for w in page), [w for w in page if w[2] > RIGHT + 0.5]


def test_a_revocation_is_two_pages_with_the_imprint_at_the_foot_and_its_note(make: Callable[..., Path]) -> None:
    pages = _words(make(REVOKED))
    assert len(pages) == 2  # was 4: a section break, a page break and a page of blank lines before the 版记
    lines = _lines(_body(pages[-1]))
    dated = next(i for i, line in enumerate(lines) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line[4]))
    note = lines[dated + 1]
    assert note[4] == "（此件公开发布）"  # 7.3.6: the 附注 on the line under the 成文日期
    assert abs(note[1] - lines[dated][1] - 10.2) < 1 and abs(note[0] - (28 + 2 * 5.6)) < 1  # 居左空二字
    assert any(line[4].startswith("抄送") for line in lines) and _imprint_top(pages[-1]) > FOOT - 30


@pytest.mark.parametrize("name_length", [0, 60])
def test_codes_numbers_and_dates_of_the_list_stay_on_one_line(make: Callable[..., Path], name_length: int) -> None:
    """No USCC, certificate number or date wraps in the 附件 table, with the sample names and with 60-character names;
    the table's lines at its own spacing (closer than the body's 10.2 mm grid)."""
    pages = _words(make(FILED, 7, name_length))
    rows = [line for page in pages for line in _lines(page) if re.search(r"91411\d{3}[0-9A-Z]{10}", line[4])]
    assert len(rows) == 7, [r[4] for r in rows]
    for row in rows:
        assert re.search(r"西知强企证〔2024〕\d{3}号", row[4]) and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", row[4]), row[4]
        assert row[2] <= RIGHT + 0.5
    for page in (page for page in pages if any(w[4] == "序号" for w in page)):  # a name's lines 1.4 lines of the table's
        # size apart, not on the body's 10.2 mm grid
        cells = [line for line in _lines(_body(page)) if line[3] - line[1] < 6.5 and line[0] < 60]
        pitches = [b[1] - a[1] for a, b in zip(cells, cells[1:], strict=False)]
        assert all(pitch < 7 for pitch in pitches if pitch < 10), pitches
        assert not cells or min(pitches, default=0) < 7


def test_page_numbers_imprint_and_signature_measure_as_gbt_9704(make: Callable[..., Path]) -> None:
    pages = _words(make(FILED, 3))
    for page in pages:  # "— 1 —": the digit as high as the dashes (4号 both)
        foot = [w for w in page if w[1] > FOOT + 3]
        digit, dash = next(w for w in foot if w[4].isdigit()), next(w for w in foot if w[4] == "—")
        assert abs((digit[3] - digit[1]) - (dash[3] - dash[1])) < 0.3, foot
    issued = max((w for w in pages[-1] if "印发" in w[4]), key=lambda w: w[2])
    assert abs(RIGHT - issued[2] - 14 * MM) < 1, issued  # 印发日期 右空一字 (a 4号 character, 4.9 mm)
    lines = [line for page in pages for line in _lines(_body(page))]
    dated = next(i for i, line in enumerate(lines) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line[4]))
    organ, day = lines[dated - 1], lines[dated]
    assert abs((organ[0] + organ[2]) / 2 - (day[0] + day[2]) / 2) < 0.5, (organ, day)  # 署名 centred over the date
    assert abs(RIGHT - day[2] - 4 * 16 * MM) < 2, day  # 成文日期 右空四字 (within 2 mm whatever the digits' width)


def test_no_punctuation_hangs_past_the_text_edge(tmp_path: Path) -> None:
    """A comma that falls at the end of a line goes down with its character instead of hanging 4.5 mm into the margin
    (w:overflowPunct off for Word and WPS; LibreOffice reads it the other way round, so its copy says on)."""
    required("LibreOffice (libreoffice-writer-nogui)", tool("soffice"))
    doc = new_document("标点")
    paragraph(doc, "一二三四五六七八九十" * 2 + "一二三四五六七八，九十一二三")
    target = tmp_path / "comma.docx"
    target.write_bytes(save(doc))
    with zipfile.ZipFile(target) as docx:
        assert b'<w:overflowPunct w:val="0"/>' in docx.read("word/document.xml")  # Word's and WPS's reading
    pdf.to_pdf(target, dict(os.environ))
    (page,) = _words(target.with_suffix(".pdf"))
    assert max(w[2] for w in _body(page)) <= RIGHT + 0.5, page
