"""Tables in an official document (ARCHITECTURE.md section 8): the list of an 附件 (fixed columns within the 版心,
the header repeated on every page, no row split, no value broken) and the 版记 at the foot of the last, even page."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.documents.layout import (
    BODY_FONT,
    HEI_FONT,
    LINE_PT,
    chinese_date,
    off_grid,
    paragraph,
    paragraph_property,
    save,
    set_font,
)

Locate = Callable[[bytes], 'tuple[int, float] | None']  # a .docx → (page, mm from the top) of its outline-level paragraph


SIZES = (12.0, 10.5, 9.0)  # 小4, 5号, 小5: the largest that leaves the name column room
NAME_EM = 6  # the name column at least six characters wide
CELL_MM = 0.8  # a cell's margin on each side
PAD_MM = 2 * CELL_MM + 0.6  # and room for a wider face


def em(text: str) -> float:
    """The width of ``text`` in ems as printed: a Chinese character one, a digit or Latin letter at most 0.6 (仿宋_GB2312
    0.5; the serif CJK face LibreOffice substitutes about 0.57), and 0.15 where Chinese and Latin meet (the space a
    renderer may add there)."""
    wide = [ord(c) > 0x2E80 for c in text]
    return sum(1.0 if w else 0.6 for w in wide) + 0.15 * sum(a != b for a, b in zip(wide, wide[1:], strict=False))


def widths(header: Sequence[str], rows: Sequence[Sequence[str]], whole: Sequence[int]) -> tuple[float, list[float]]:
    """The font size and column widths (mm, 156 in all) of a table: the columns in ``whole`` and the first (序号) as
    wide as their longest value (the header may take two lines), the others sharing the rest."""
    fixed = {0, *whole}
    flexible = max(1, len(header) - len(fixed & set(range(len(header)))))
    for size in SIZES:
        mm = size / 72 * 25.4
        out = [(max([em(r[i]) for r in rows] + [_header_em(h)]) * mm + PAD_MM) if i in fixed else 0.0 for i, h in enumerate(header)]
        rest = (156 - sum(out)) / flexible
        if rest >= NAME_EM * mm + PAD_MM or size == SIZES[-1]:
            return size, [w if i in fixed else rest for i, w in enumerate(out)]
    raise AssertionError("unreachable")


def _header_em(text: str) -> float:
    """A header's width: a long one may take two lines."""
    return em(text) if em(text) <= 4 else em(text) / 2


def _cell(cell: Any, text: str, font: str, size: float, align: Any) -> None:
    """A cell's paragraph at the table's own line height (off the body grid, no space around)."""
    p = off_grid(cell.paragraphs[0])
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size * 1.4)
    fmt.space_before = fmt.space_after = Pt(0)
    p.alignment = align
    set_font(p.add_run(text), font, size)


def table(doc: Any, header: list[str], rows: list[list[str]], widths_mm: Sequence[float] | None = None, whole: Sequence[int] = (),
          size: float = 12, padding: float = 0.8) -> None:
    """A table within the 156 mm 版心 (fixed column widths: ``widths_mm``, or fitted to the values by ``widths``): 黑体
    header repeated on every page, 仿宋 cells at their own line height, no row split across pages, and the cells in
    ``whole`` (codes, dates, numbers) on one line each; ``padding`` above and below each cell's text (mm)."""
    if widths_mm is None:
        size, columns = widths(header, rows, whole)
    else:
        columns = list(widths_mm)
    assert abs(sum(columns) - 156) < 0.5, columns
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    _cell_margins(grid, CELL_MM, padding)
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        _cell(cell, text, HEI_FONT, size, WD_ALIGN_PARAGRAPH.CENTER)
    _row_flags(grid.rows[0], header=True)
    for row in rows:
        added = grid.add_row()
        _row_flags(added)
        for i, (cell, text) in enumerate(zip(added.cells, row, strict=True)):
            _cell(cell, text, BODY_FONT, size, WD_ALIGN_PARAGRAPH.CENTER if i in whole or i == 0 else WD_ALIGN_PARAGRAPH.LEFT)
            if i in whole:
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
    for column, width in zip(grid.columns, columns, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), columns, strict=True):  # what LibreOffice reads
        col.set(qn("w:w"), str(int(Mm(width).twips)))


def _cell_margins(grid: Any, mm: float, vertical: float = 0) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Mm(mm if edge in ("left", "right") else vertical).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    grid._tbl.tblPr.append(margins)


def _row_flags(row: Any, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


FOOT_MM = 37 + 225  # the foot of the 版心, from the paper's top edge
IMPRINT_PT = 14  # 4号


def _imprint_height(rows: int) -> float:
    """The 版记's height in points: its lines and rules (1 + 0.75 + 1 pt), the last paragraph Word keeps after a table
    (1 pt) and 1 pt for rounding."""
    return rows * LINE_PT + (rows - 1) * 0.75 + 2 + 1 + 1


def imprint(doc: Any, cc: Sequence[str], printer: str, day: date, locate: Locate | None = None) -> None:
    """版记 (7.4) at the foot of the last page, an even page: rules the width of the 版心, 0.35 mm first and last and
    0.25 mm between; "抄送：" in 4号仿宋 indented one character each side and ending with 。; the 印发机关 左空一字 and
    the 印发日期 右空一字.

    ``locate`` tells where the text ends as rendered (``pdf.locate``: a copy with the 版记 right after the text). Text
    ending on an even page with room: the 版记 at its foot. On an odd page: the 版记 at the foot of the next page,
    numbered. On a full even page: a blank page, then the 版记, neither numbered (7.5). Unknown (no renderer): a
    section that starts on the next even page, numbered as the pages before it."""
    rows = ([f"抄送：{'，'.join(cc)}。"] if cc else []) + [""]
    height = _imprint_height(len(rows))
    full = 225 / 25.4 * 72 - height
    where = None
    if locate is not None:
        trial = Document(io.BytesIO(save(doc)))
        _imprint(trial, rows, printer, day, 1, outline=True)
        where = locate(save(trial))
    if where is None:
        doc.add_section(WD_SECTION.EVEN_PAGE)
        _imprint(doc, rows, printer, day, full)
        return
    page, top = where
    moved = top < 37 + 2  # the 版记 went to a page of its own: the text ends on the page before
    last = page - 1 if moved else page
    if last % 2 == 0 and not moved:
        _imprint(doc, rows, printer, day, max(1.0, (FOOT_MM - top) / 25.4 * 72 - height))
    elif last % 2:
        _imprint(doc, rows, printer, day, full, new_page=True)
    else:  # a full even page: a blank page, then the 版记 page, in a section without page numbers
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _thin(doc.paragraphs[-1])  # the paragraph that ends the text's section
        for footer in (section.footer, section.even_page_footer, section.first_page_footer):
            footer.is_linked_to_previous = False
        _thin(doc.add_paragraph()).add_run().add_break(WD_BREAK.PAGE)
        _imprint(doc, rows, printer, day, full - 1)


def _thin(p: Any) -> Any:
    """An empty paragraph 1 pt high, off the grid."""
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
    fmt.space_before = fmt.space_after = Pt(0)
    return off_grid(p)


def _imprint(doc: Any, rows: Sequence[str], printer: str, day: date, spacer: float, *, new_page: bool = False,
             outline: bool = False) -> None:
    """The 版记 after a spacer ``spacer`` points high (on a new page with ``new_page``; at outline level 1 with
    ``outline``, so ``pdf.locate`` finds it), then a last paragraph of 1 pt."""
    gap = paragraph(doc, "　" if outline else "", size=1, line=spacer)
    off_grid(gap)
    gap.paragraph_format.keep_with_next = True
    gap.paragraph_format.page_break_before = new_page
    if outline:
        paragraph_property(gap._p.get_or_add_pPr(), "w:outlineLvl", "0")
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
        off_grid(p)
        fmt = p.paragraph_format
        fmt.left_indent, fmt.right_indent = Pt(IMPRINT_PT), Pt(IMPRINT_PT)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.keep_with_next = True
        if text:
            set_font(p.add_run(text), BODY_FONT, IMPRINT_PT)
        else:
            set_font(p.add_run(printer), BODY_FONT, IMPRINT_PT)
            set_font(p.add_run("\t" + f"{chinese_date(day)}印发"), BODY_FONT, IMPRINT_PT)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(IMPRINT_PT), WD_TAB_ALIGNMENT.RIGHT)  # 右空一字
    for col in grid._tbl.tblGrid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), str(int(Mm(156).twips)))
    _thin(doc.add_paragraph())  # Word keeps a paragraph after a table: 1 pt, counted in the height
