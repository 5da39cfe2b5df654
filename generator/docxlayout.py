"""The page of an official document after GB/T 9704-2012 《党政机关公文格式》, in python-docx: A4, 版心 156 × 225 mm
(top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), body 仿宋 3号 (16 pt) on a fixed 28.95 pt line (22 lines of 28
characters), title 小标宋 2号 (22 pt), the red 发文机关标志 and a red rule under the 发文字号, the 成文日期 in Arabic
numerals, page numbers "— 1 —" in 宋体 4号 (14 pt), outside edge (odd pages right, even pages left). The fonts are named
as Chinese government offices install them; LibreOffice substitutes Noto CJK where they are missing. documents
writes the bureau's documents with these pieces; to_pdf converts one with LibreOffice."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from generator.policy import Policy

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
PAGE_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
BODY_PT, TITLE_PT, PAGE_PT, LINE_PT = 16, 22, 14, 28.95


def set_font(run: Any, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def paragraph(
    doc: Any,
    text: str = "",
    *,
    size: float = BODY_PT,
    font: str = BODY_FONT,
    align: Any = None,
    indent: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
    space_before: float = 0,
) -> Any:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT if size <= BODY_PT else size * 1.5)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进两字
    if align is not None:
        p.alignment = align
    if text:
        set_font(p.add_run(text), font, size, bold, color)
    return p


def _field(paragraph: Any, code: str, size: float) -> None:
    run = paragraph.add_run()
    set_font(run, PAGE_FONT, size)
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._element.append(element)
        elif text == code:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {code} "
            run._element.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._element.append(t)


def _page_number(footer: Any, align: Any) -> None:
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = align
    set_font(p.add_run("— "), PAGE_FONT, PAGE_PT)
    _field(p, "PAGE", PAGE_PT)
    set_font(p.add_run(" —"), PAGE_FONT, PAGE_PT)


def new_document(title: str) -> Any:
    """An empty A4 document with GB/T 9704 margins, body style and outside page numbers."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = ""
    doc.core_properties.comments = "由 ipreg 从备案登记簿生成"
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)  # 页码一字线上距版心下边缘约 7 mm
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return doc


def _red_rule(doc: Any) -> None:
    p = paragraph(doc, size=6)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 7.3.5.3 writes it: 2026年11月20日."""
    return f"{day.year}年{day.month}月{day.day}日"


def head(doc: Any, policy: Policy, document: str) -> None:
    paragraph(doc, policy.issuer_mark, size=30, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_before=20)
    paragraph(doc, "", size=BODY_PT)
    paragraph(doc, document, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(doc)
    paragraph(doc, "")


def signature(doc: Any, policy: Policy, day: date) -> None:
    paragraph(doc, "")
    paragraph(doc, policy.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc, chinese_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT)


def table(doc: Any, header: list[str], rows: list[list[str]], widths_mm: Sequence[float]) -> None:
    """A table within the 156 mm 版心: 黑体 header, 仿宋 五号 (10.5 pt) cells, fixed column widths."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(cell.paragraphs[0].add_run(text), "黑体", 10.5, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            set_font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)
    for column, width in zip(table.columns, widths_mm, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)
    for grid, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):  # what LibreOffice reads
        grid.set(qn("w:w"), str(int(Mm(width).twips)))


def save(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(docx: Path) -> str:
    """Convert with LibreOffice when installed (a private profile, a temporary folder, then a new file next to the
    .docx); what happened, in Chinese."""
    import shutil
    import subprocess
    import tempfile

    from generator.files import Exists, write_new

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return (
            f"未安装 LibreOffice，只生成了 {docx.name}（用 Word 或 WPS 打开后可另存为 PDF；"
            "Debian：apt-get install libreoffice-writer-nogui fonts-noto-cjk）"
        )
    with tempfile.TemporaryDirectory(prefix="ipreg-pdf-") as tmp:
        try:
            result = subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                capture_output=True,
                timeout=300,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"未能转换 PDF（{exc}），{docx.name} 已生成"
        produced = Path(tmp) / (docx.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            return f"未能转换 PDF（LibreOffice 返回 {result.returncode}），{docx.name} 已生成"
        target = docx.with_suffix(".pdf")
        try:
            write_new(target, produced.read_bytes())
        except Exists:
            return f"未写入 {target.name}：文件已存在，没有覆盖"
    return f"已生成 {target}"
