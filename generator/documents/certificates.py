"""Certificates (证书, Art. 8(4), ``ipreg docs --kind certificates``, ARCHITECTURE.md section 8): one bordered A4 page
per enterprise of a decision that numbered certificates: the honour as its title, the holder, its USCC, the number, the
validity, "特发此证。", the issuer with room for the seal, the date and a QR code to the verification page. Not a 公文:
no 版头 and no page number.

Every part has a fixed height, so that the page is the same for every name: the holder's name sits in a box of
``NAME_BOX_PT``, set in the largest size from ``NAME_SIZES`` at which its lines fit, broken between words (jieba) with
explicit line breaks, never inside a word; a name that fits at no size is refused (``DocsError``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator import qr
from generator.dates import period_end
from generator.documents.layout import (
    BODY_FONT,
    HEI_FONT,
    RED,
    TITLE_FONT,
    chinese_date,
    new_document,
    page_break,
    paragraph,
    save,
    section_property,
    set_font,
)
from generator.documents.notices import Decided, DocsError
from generator.files import SILENT, Progress
from generator.lifecycle import validity_years
from generator.policy import PolicyHistory

TEXT_WIDTH_PT = 156 / 25.4 * 72  # the 版心's width (margins of new_document)
FILL = 0.9  # the share of a line a name's line may take: room for the renderer's own glyph widths
NAME_SIZES = (22, 20, 18, 16, 15, 14, 13, 12)  # 2号 down to 小四
NAME_BOX_PT = 150.0  # the height of the name's box: four lines of 2号, eight of 小四
LINE_FACTOR = 1.5  # a name's line height, in its font size
CLOSING = set("）)】〕》」』、，,。．.；;：:！!？?")
OPENING = set("（(【〔《「『")


def certificates(decided: Sequence[Decided], document: str, history: PolicyHistory, site_url: str, draft: bool = False,
                 progress: Progress = SILENT) -> bytes:
    """证书: one bordered page per enterprise with a certificate number in the decision ``document`` (the 文号 as
    recorded); 经复核 on a renewal. Raises DocsError when the decision numbered no certificate or a name cannot fit."""
    with_number = [d for d in decided if d.event.certificate]
    if not with_number:
        kinds = {d.event.type for d in decided}
        why = ("这是备案或复核通过的决定，但记录中没有录入证书编号：请在事件中补录 certificate，或用 ipreg decide 录入时自动编号"
               if kinds & {"filed", "review_passed"} else "只有备案和复核通过的决定颁发证书")
        raise DocsError(f"文号 {document} 的决定没有可以打印的证书：{why}")
    names = {d.record.uscc: name_lines(d.record.name, d.record.uscc) for d in with_number}  # refused before anything is made
    doc = new_document(f"知识产权强企证书（{document}）", numbered=False, draft="二维码指向占位地址" if draft else "")
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    for grid in section._sectPr.findall(qn("w:docGrid")):  # not a 公文: lines of their own height, not snapped to 22 a page
        section._sectPr.remove(grid)
    _border(section)
    for i, d in enumerate(progress.each("正在生成证书", with_number)):
        if i:
            page_break(doc)
        _certificate(doc, d, history, site_url, names[d.record.uscc])
    return save(doc)


def _border(section: Any) -> None:
    """A double red border around a certificate's page."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "double"), ("w:sz", "18"), ("w:space", "24"), ("w:color", "C00000")):
            line.set(qn(key), value)
        borders.append(line)
    section_property(section, borders, ("w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                         "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid"))


def em(text: str) -> float:
    """The width of ``text`` in ems, generously: a Chinese character, a full-width sign or a capital letter (M and W
    are nearly one em in a serif face) one em, anything else 0.7."""
    return sum(1.0 if ord(c) > 0x2E80 or c.isupper() else 0.7 for c in text)


def _words(name: str) -> list[str]:
    """The name's words (jieba), closing signs kept with the word before them and opening signs with the word after,
    so that no line starts with ） or ends with （."""
    from generator.words import cut

    out: list[str] = []
    carry = ""
    for word in cut(name):
        if out and not carry and word[0] in CLOSING:
            out[-1] += word
        elif word[-1] in OPENING:
            carry += word
        else:
            out.append(carry + word)
            carry = ""
    if carry:
        out.append(carry)
    return out


def _pack(words: Sequence[str], width: float) -> list[str]:
    """Words into lines of at most ``width`` ems (greedy); a word wider than a line (a long run of Latin letters) is
    the one thing broken, between its characters."""
    lines: list[str] = []
    for word in words:
        pieces = [word] if em(word) <= width else list(word)
        for piece in pieces:
            if lines and em(lines[-1] + piece) <= width:
                lines[-1] += piece
            else:
                lines.append(piece)
    return lines


def break_name(name: str, size: float) -> list[str]:
    """``name`` in lines of type ``size`` pt that fit the 版心's width, broken between words and as even as the words
    allow (the narrowest width that needs no more lines)."""
    words = _words(name)
    width = TEXT_WIDTH_PT * FILL / size
    lines = _pack(words, width)
    low, high = min(width, max(em(w) for w in words)), width
    while len(lines) > 1 and high - low > 0.25:  # the narrowest width giving as few lines
        middle = (low + high) / 2
        if len(_pack(words, middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return _pack(words, high)


def name_lines(name: str, uscc: str) -> tuple[float, list[str]]:
    """The size and the lines of the holder's name: the largest of ``NAME_SIZES`` whose lines fit the name's box.
    Raises DocsError when none does."""
    for size in NAME_SIZES:
        lines = break_name(name, size)
        if len(lines) * size * LINE_FACTOR <= NAME_BOX_PT:
            return size, lines
    raise DocsError(f"{uscc} 的企业名称有 {len(name)} 个字，用最小 {NAME_SIZES[-1]} 磅字也排不进证书上的名称栏，没有生成证书："
                    "请核对记录中的企业名称（应与营业执照一致）")


def _certificate(doc: Any, d: Decided, history: PolicyHistory, site_url: str, name: tuple[float, list[str]]) -> None:
    st, ev = d.status, d.event
    policy = history.on(ev.date)  # the values in force on the decision day (the one Office of every day)
    category = d.record.term_category(ev)  # the category of this term, not the record's today (design section 10)
    honour = "知识产权优势企业" if category == "advantage" else "知识产权储备企业"
    term_end = st.term_end or period_end(ev.date, validity_years(policy, category))
    how = "经复核" if ev.type == "review_passed" else "经审核"
    county = policy.documents.county
    paragraph(doc, f"证书编号：{ev.certificate}", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc, "", line=30)
    paragraph(doc, f"{county}\n{honour}", size=36, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=54)
    paragraph(doc, "", line=24)
    size, lines = name
    box = paragraph(doc, "\n".join(lines), size=size, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, line=size * LINE_FACTOR)
    room = NAME_BOX_PT - len(lines) * size * LINE_FACTOR  # the box's height is fixed, the name in its middle
    box.paragraph_format.space_before, box.paragraph_format.space_after = Pt(room / 2), Pt(room / 2)
    paragraph(doc, f"统一社会信用代码：{d.record.uscc}", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=8)
    paragraph(doc, "", line=24)
    paragraph(doc, f"{how}，被确定为{county}{honour}。", indent=True)
    paragraph(doc, f"有效期：{chinese_date(st.term_start or ev.date)}至{chinese_date(term_end)}", indent=True)
    paragraph(doc, "特发此证。", indent=True)
    paragraph(doc, "", line=36)
    _foot(doc, qr.png(qr.verify_url(site_url, ev.certificate or "", d.record.uscc)), policy.documents.organ, chinese_date(ev.date))


def _foot(doc: Any, code: bytes, organ: str, day: str) -> None:
    """The QR code with its caption on the left, the issuer and the date on the right with room above for the seal:
    one row that never splits."""
    grid = doc.add_table(rows=1, cols=2)
    grid.autofit = False
    row = grid.rows[0]
    row.height, row.height_rule = Mm(42), WD_ROW_HEIGHT_RULE.AT_LEAST
    cant_split = OxmlElement("w:cantSplit")
    row._tr.get_or_add_trPr().append(cant_split)
    left, right = row.cells
    left.width, right.width = Mm(60), Mm(96)
    picture = left.paragraphs[0]
    picture.add_run().add_picture(io.BytesIO(code), width=Mm(28))
    caption = left.add_paragraph()
    set_font(caption.add_run("扫码核验本证书"), HEI_FONT, 10.5)
    right.paragraphs[0].paragraph_format.line_spacing = Pt(56)  # room above for the seal, which presses on both lines
    for text in (organ, day):
        p = right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(text), BODY_FONT, 16)
