"""The page of an official document after GB/T 9704-2012 《党政机关公文格式》, in python-docx (ARCHITECTURE.md section 8).

A4, 版心 156 × 225 mm (天头 37 mm, 订口 28 mm), a document grid of 22 lines × 28 characters (line and character
pitch), body 仿宋 3号 (16 pt), title 小标宋 2号 (22 pt) broken at word boundaries; the red 发文机关标志 35 mm below
the 版心 top, the 发文字号 two lines below it and a red rule under it; 署名 centred over a 成文日期 set 右空四字 with
room for the seal and kept with the last lines of the body; 附注; each 附件 on a new page (3号黑体 "附件", a table
whose header repeats and whose rows never split); the 版记 at the foot of the last, even page; page numbers
"— 1 —" in 4号宋体, 空一字 at the outside edge. Fonts are named as government offices install them, with the
language zh-CN; ``to_pdf`` renders them through LibreOffice with a serif CJK face where they are missing, and says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
PAGE_FONT = "宋体"
HEI_FONT = "黑体"
OFFICIAL_FONTS = (BODY_FONT, TITLE_FONT, PAGE_FONT, HEI_FONT)
RED = RGBColor(0xE6, 0x00, 0x12)
BODY_PT, TITLE_PT, PAGE_PT, LINE_PT = 16, 22, 14, 28.95
CONDENSE = -5  # twentieths of a point between characters: 16 pt - 0.25 pt = 15.75 pt, so 28 fit in a line
TITLE_CHARS = 20  # a title line: 156 mm of 2号 characters, less a margin on each side


def set_font(run: Any, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    """The font of a run, for Latin and Chinese text alike, in Chinese (zh-CN)."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), name)
    fonts.set(qn("w:hint"), "eastAsia")
    _language(rpr)
    if color is not None:
        run.font.color.rgb = color


def _language(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")  # digits and Latin letters are words: LibreOffice breaks them anywhere as zh-CN
    lang.set(qn("w:eastAsia"), "zh-CN")


def paragraph(doc: Any, text: str = "", *, size: float = BODY_PT, font: str = BODY_FONT, align: Any = None, indent: bool = False,
              bold: bool = False, color: RGBColor | None = None, space_before: float = 0, line: float | None = None,
              right_indent: float = 0, left_indent: float = 0) -> Any:
    """One paragraph on the grid: an exact line of 28.95 pt (larger type: 1.5 lines), indents in points."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line or (LINE_PT if size <= BODY_PT else size * 1.5))
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    fmt.widow_control = True
    typeset(p._p.get_or_add_pPr())
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进两字
    if right_indent:
        fmt.right_indent = Pt(right_indent)
    if left_indent:
        fmt.left_indent = Pt(left_indent)
    if align is not None:
        p.alignment = align
    lines = text.split("\n")
    for i, part in enumerate(lines):
        if i:
            p.runs[-1].add_break() if p.runs else p.add_run().add_break()
        if part:
            set_font(p.add_run(part), font, size, bold, color)
    return p


_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
              "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
              "w:sectPr", "w:pPrChange")


def paragraph_property(ppr: Any, tag: str, value: str | None = None) -> Any:
    """The element ``tag`` of paragraph properties ``ppr`` (made, in the schema's order Word insists on, when missing),
    with ``w:val`` set to ``value`` when given."""
    element = ppr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        later = {qn(t) for t in _PPR_ORDER[_PPR_ORDER.index(tag) + 1:]}
        following = next((child for child in ppr if child.tag in later), None)
        if following is None:
            ppr.append(element)
        else:
            following.addprevious(element)
    if value is not None:
        element.set(qn("w:val"), value)
    return element


def typeset(ppr: Any) -> None:
    """Chinese typesetting as GB/T 9704 prints: no punctuation hanging past the 版心's edge (overflowPunct off), no
    space added between Chinese and digits or Latin ("以下1家", not "以下 1 家"; autoSpaceDE/DN off). Set on each
    paragraph: LibreOffice does not take them from the style."""
    for tag in ("w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"):
        paragraph_property(ppr, tag, "0")


def off_grid(p: Any) -> Any:
    """Lines at the paragraph's own spacing, not snapped to the body's 22-line grid (tables, the 版记, spacers)."""
    paragraph_property(p._p.get_or_add_pPr(), "w:snapToGrid", "0")
    return p


def keep_together(paragraphs: Sequence[Any], split_first: bool = False) -> None:
    """These paragraphs stay on one page (each kept with the next): the 署名 never stands alone. With
    ``split_first`` the first (the last paragraph of the body) may still break across pages, so only its last lines
    move with the signature."""
    for p in paragraphs[:-1]:
        p.paragraph_format.keep_with_next = True
    for p in paragraphs[1:] if split_first else paragraphs:
        p.paragraph_format.keep_together = True


def _field(paragraph: Any, code: str, size: float) -> None:
    """A field (PAGE) as Word writes it, one run per part, each in the page number's font and size (a run with the
    whole field gives the digit the paragraph's 16 pt in LibreOffice)."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run("1" if kind == "result" else None)
        set_font(run, PAGE_FONT, size)
        element = OxmlElement("w:instrText" if kind == "instr" else "w:fldChar")
        if kind == "instr":
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element.set(qn("w:fldCharType"), kind)
        if kind != "result":
            run._element.append(element)


def _page_number(footer: Any, odd: bool) -> None:
    """"— 1 —" in 4号宋体, one character (空一字) from the outside edge of the 版心."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        p.paragraph_format.right_indent = Pt(PAGE_PT)
    else:
        p.paragraph_format.left_indent = Pt(PAGE_PT)
    set_font(p.add_run("— "), PAGE_FONT, PAGE_PT)
    _field(p, "PAGE", PAGE_PT)
    set_font(p.add_run(" —"), PAGE_FONT, PAGE_PT)


def _grid(section: Any) -> None:
    """The document grid: 22 lines (line pitch 28.95 pt). The 28 characters of a line come from the body style's
    character spacing (``CONDENSE``), not from a character grid: LibreOffice gives each character two grid cells when
    the character pitch is below the font size (15 characters a line), while Word and WPS lay out 28 either way."""
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    sect.append(grid)


FALLBACKS = (  # the official face, the font Word and WPS use where it is missing (w:altName), its family
    (BODY_FONT, "仿宋", "roman"),
    ("仿宋", "FangSong", "roman"),
    (TITLE_FONT, "宋体", "roman"),
    (PAGE_FONT, "SimSun", "roman"),
    (HEI_FONT, "SimHei", "swiss"),
)


def _font_fallbacks(doc: Any) -> None:
    """The official fonts in the font table, each with a fallback (w:altName) and the Chinese character set."""
    from lxml import etree  # type: ignore[import-untyped]

    for part in doc.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        for name, alternative, family in FALLBACKS:
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            for tag, value in (("w:altName", alternative), ("w:charset", "86"), ("w:family", family), ("w:pitch", "variable")):
                etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _default_size(doc: Any) -> None:
    """3号 as the document default too: the grid's character pitch is counted from it (Word and LibreOffice)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), str(BODY_PT * 2))


def section_property(section: Any, element: Any, before: Sequence[str]) -> None:
    """Put ``element`` into the section's properties in schema order: before the first of ``before`` present."""
    sect = section._sectPr
    for tag in before:
        found = sect.find(qn(tag))
        if found is not None:
            found.addprevious(element)
            return
    sect.append(element)


def draft_mark(section: Any, why: str) -> None:
    """样稿 across the top of every page of ``section``, with ``why``: a document not to be issued. Above what a header
    already holds (a letter's 机关名称)."""
    for header in (section.header, section.even_page_header, section.first_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        if p.text:
            p = p.insert_paragraph_before()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(f"样稿（{why}，不得印发）"), HEI_FONT, 18, bold=True, color=RED)


def new_document(title: str, *, numbered: bool = True, draft: str = "") -> Any:
    """An empty A4 document with the GB/T 9704 版心 and grid, the body style, zh-CN, and outside page numbers
    (``numbered``; certificates have none); a 样稿 on every page when ``draft`` says why."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = ""
    doc.core_properties.language = "zh-CN"
    doc.core_properties.comments = "由 ipreg 从备案登记簿生成"
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)  # 页码一字线上距版心下边缘约 7 mm
    _grid(section)
    _default_size(doc)
    _font_fallbacks(doc)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(key), BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE))
    rpr.append(spacing)
    _language(rpr)
    typeset(normal.element.get_or_add_pPr())
    if numbered:
        doc.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer, odd=True)
        _page_number(section.even_page_footer, odd=False)
    if draft:
        doc.settings.odd_and_even_pages_header_footer = True
        draft_mark(section, draft)
    return doc


def rule(p: Any, edge: str, eighths: int, color: str = "000000", space: int = 1, style: str = "single") -> None:
    """A rule along one edge of paragraph ``p`` (``eighths`` of a point thick; ``style`` a Word border style)."""
    border = paragraph_property(p._p.get_or_add_pPr(), "w:pBdr")
    line = OxmlElement(f"w:{edge}")
    for key, value in (("w:val", style), ("w:sz", str(eighths)), ("w:space", str(space)), ("w:color", color)):
        line.set(qn(key), value)
    border.append(line)


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704-2012 7.3.5.4): 2026年1月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def banner(doc: Any, mark: str, document: str) -> None:
    """版头 of a 下行文: the red 发文机关标志 with its top 35 mm below the 版心 top, two blank lines, the 发文字号
    centred, and a red rule of the 版心's width about 4 mm under it."""
    size = min(36.0, 156 / 25.4 * 72 / max(len(mark), 1) * 0.95)
    paragraph(doc, mark, size=size, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=size * 1.2,
              space_before=(35 - 4.2) / 25.4 * 72 - size * 0.1)  # the glyphs' top edge 35 mm below the 版心 top
    paragraph(doc, "")
    paragraph(doc, "")
    number = paragraph(doc, document, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule(number, "bottom", 18, "E60012", space=4)  # 2.25 pt, about 4 mm under the 文号's baseline area


def title_lines(title: str, width: int = TITLE_CHARS) -> list[str]:
    """A title broken into lines of at most ``width`` characters at word boundaries (jieba), longest first, so it
    reads as a trapezoid and never splits 西平县 or 强企."""
    if len(title) <= width:
        return [title]
    from generator.words import cut

    words = cut(title)
    lines = max(2, -(-len(title) // width))
    target = -(-len(title) // lines)
    out: list[str] = []
    current = ""
    for word in words:
        if current and (len(current) + len(word) > width or (len(current) >= target and len(out) < lines - 1)):
            out.append(current)
            current = ""
        current += word
    out.append(current)
    return out


def title(doc: Any, text: str) -> None:
    """标题: two blank lines under the red rule, 2号小标宋, centred, broken at word boundaries."""
    paragraph(doc, "")
    paragraph(doc, "\n".join(title_lines(text)), size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_PT * 1.5)
    paragraph(doc, "")


def _width(text: str, size: float) -> float:
    """The width of ``text`` in points, halfway between Word (仿宋_GB2312: a Chinese character one em less the body's
    0.25 pt, a digit half of one) and LibreOffice (Noto: a digit 0.55 em, 3.2 pt added where Chinese meets digits)."""
    wide = [ord(c) > 0x2E80 for c in text]
    return sum(size if w else size * 0.52 for w in wide) + 1.6 * sum(a != b for a, b in zip(wide, wide[1:], strict=False))


def signature(doc: Any, last: Sequence[Any], organ: str, day: date, note: str | None = None) -> None:
    """署名 and 成文日期 for a document with a seal (7.3.5.1): room for a 4 cm seal that presses on both, the date
    右空四字, the 署名 centred over it (both on one centred tab stop, so they stay centred on each other whatever the
    font), kept on one page with ``last`` (the last paragraphs of the body or the 附件说明); then the 附注 (``note``,
    7.3.6), on the line under the date, indented two characters, in brackets."""
    gap = [paragraph(doc, "")]  # the seal's top stays within one line of the body (7.3.5.1)
    when = chinese_date(day)
    centre = 156 / 25.4 * 72 - 4 * BODY_PT - _width(when, BODY_PT) / 2
    lines = []
    for text in (organ, when):
        line = paragraph(doc, "\t" + text)
        line.paragraph_format.tab_stops.add_tab_stop(Pt(centre), WD_TAB_ALIGNMENT.CENTER)
        lines.append(line)
    keep_together([*last, *gap, *lines, *([paragraph(doc, note, indent=True)] if note else [])], split_first=True)


def attachment_note(doc: Any, titles: Sequence[str]) -> list[Any]:
    """附件说明 (7.3.4): one blank line under the body, "附件：" indented two characters, numbered when several."""
    out = [paragraph(doc, "")]
    if len(titles) == 1:
        out.append(paragraph(doc, f"附件：{titles[0]}", indent=True))
    else:
        for i, text in enumerate(titles, 1):
            out.append(paragraph(doc, f"{'附件：' if i == 1 else '　　　'}{i}. {text}", indent=True))
    return out


def page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def attachment(doc: Any, label: str, heading: str) -> None:
    """The top of an 附件 (7.3.7): a new page, "附件" in 3号黑体 flush left, its title centred two lines below."""
    page_break(doc)
    paragraph(doc, label, font=HEI_FONT)
    paragraph(doc, "")
    paragraph(doc, "\n".join(title_lines(heading)), size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
              line=TITLE_PT * 1.5)
    paragraph(doc, "")


def save(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


