"""Tables in an official document (ARCHITECTURE.md section 8): the list of an 附件 (fixed columns within the 版心,
the header repeated on every page, no row split, no value broken) and the 版记 at the foot of the last, even page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.documents.layout import BODY_FONT, HEI_FONT, LINE_PT, chinese_date, page_break, paragraph, set_font

Paginate = Callable[[bytes], 'int | None']  # a .docx → its number of pages as rendered, None when unknown


def table(doc: Any, header: list[str], rows: list[list[str]], widths_mm: Sequence[float], whole: Sequence[int] = (),
          size: float = 12) -> None:
    """A table within the 156 mm 版心 (fixed column widths): 黑体 header repeated on every page, 仿宋 cells, no row
    split across pages, and the cells in ``whole`` (codes, dates, numbers) never broken inside a value."""
    assert abs(sum(widths_mm) - 156) < 0.5, widths_mm
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    _cell_margins(grid, 1)
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        cell.paragraphs[0].paragraph_format.line_spacing = Pt(size * 1.5)
        set_font(cell.paragraphs[0].add_run(text), HEI_FONT, size)
    _row_flags(grid.rows[0], header=True)
    for row in rows:
        added = grid.add_row()
        _row_flags(added)
        for i, (cell, text) in enumerate(zip(added.cells, row, strict=True)):
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            p.paragraph_format.line_spacing = Pt(size * 1.5)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if i in whole or i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            set_font(p.add_run(text), BODY_FONT, size)
            if i in whole:
                tcpr = cell._tc.get_or_add_tcPr()
                tcpr.append(OxmlElement("w:noWrap"))
    for column, width in zip(grid.columns, widths_mm, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):  # what LibreOffice reads
        col.set(qn("w:w"), str(int(Mm(width).twips)))


def _cell_margins(grid: Any, mm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Mm(mm).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    grid._tbl.tblPr.append(margins)


def _row_flags(row: Any, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def imprint(doc: Any, cc: Sequence[str], printer: str, day: date, content_pages: int | None = None) -> None:
    """版记 (7.4) at the foot of the last page, an even page (the 版记 pushed to the foot of the 版心 by a spacer of known
    height): rules the width of the 版心, 0.35 mm first and last and 0.25 mm between; "抄送：" in 4号仿宋 indented one
    character each side and ending with 。; the 印发机关 左空一字 and the 印发日期 右空一字.

    ``content_pages`` is the number of pages before the 版记 as rendered (``Paginate``). Odd: the 版记 page follows,
    numbered. Even: a blank page comes first, and neither it nor the 版记 page gets a number (7.5). Unknown (no renderer):
    a section that starts on the next even page, numbered as the pages before it."""
    if content_pages is None:
        doc.add_section(WD_SECTION.EVEN_PAGE)
    else:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        if content_pages % 2 == 0:
            for footer in (section.footer, section.even_page_footer, section.first_page_footer):
                footer.is_linked_to_previous = False
            page_break(doc)
    size = 14
    rows = ([f"抄送：{'，'.join(cc)}。"] if cc else []) + [""]
    room = 225 / 25.4 * 72 - len(rows) * LINE_PT - 8  # the 版心 less the 版记 and its rules
    for _ in range(int(room // LINE_PT) - 1):
        paragraph(doc, "")
    paragraph(doc, "", line=room - (int(room // LINE_PT) - 1) * LINE_PT)
    grid = doc.add_table(rows=len(rows), cols=1)
    grid.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge, eighths in (("top", 8), ("bottom", 8), ("insideH", 6), ("left", 0), ("right", 0), ("insideV", 0)):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single" if eighths else "nil"), ("w:sz", str(eighths)), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(key), value)
        borders.append(line)
    grid._tbl.tblPr.append(borders)
    _cell_margins(grid, 0)
    for row, text in zip(grid.rows, rows, strict=True):
        row.cells[0].width = Mm(156)
        _row_flags(row)
        p = row.cells[0].paragraphs[0]
        fmt = p.paragraph_format
        fmt.left_indent, fmt.right_indent = Pt(size), Pt(size)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        if text:
            set_font(p.add_run(text), BODY_FONT, size)
        else:
            set_font(p.add_run(printer), BODY_FONT, size)
            set_font(p.add_run("\t" + f"{chinese_date(day)}印发"), BODY_FONT, size)
            from docx.enum.text import WD_TAB_ALIGNMENT

            p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(2 * size), WD_TAB_ALIGNMENT.RIGHT)
    for col in grid._tbl.tblGrid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), str(int(Mm(156).twips)))
