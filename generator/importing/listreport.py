"""The report of ``ipreg import``: one line per row (新建 / 追加 / 已有 / 错误) with its cell, its message and the
normalisations of its cells, as text for the terminal or as a workbook that opens right in Excel and WPS (every cell
text, the header in view and printed on every page, columns as wide as their content, wrapped long messages)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from generator.importing.listapply import Outcome
from generator.labels import IMPORT_OUTCOME_ZH

HEADERS = ["行", "结果", "统一社会信用代码", "企业名称", "单元格", "说明", "读取时的规范化"]
WIDTHS = [6, 8, 22, 34, 16, 70, 60]


def report_rows(outcomes: Sequence[Outcome]) -> list[list[str]]:
    return [[str(o.row.number), IMPORT_OUTCOME_ZH[o.kind], o.row.uscc, o.row.name, o.cell, "\n".join(o.messages),
             "\n".join(o.row.notes)] for o in outcomes]


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (a Chinese character counts two)."""
    return sum(max(1, -(-sum(2 if ord(c) > 0x2E80 else 1 for c in line) // width)) for line in text.split("\n"))


def as_text(outcomes: Sequence[Outcome], preface: Sequence[str]) -> str:
    lines = list(preface)
    for o in outcomes:
        lines.append(f"第 {o.row.number} 行 {IMPORT_OUTCOME_ZH[o.kind]}　{'；'.join(o.messages)}")
        lines += [f"    规范化 {note}" for note in o.row.notes]
    return "\n".join(lines) + "\n"


def as_xlsx(outcomes: Sequence[Outcome], preface: Sequence[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "导入报告"
    for line in preface:
        sheet.append([line])
    sheet.append(HEADERS)
    head = len(preface) + 1
    for cell in sheet[head]:
        cell.font = Font(bold=True)
    error_fill = PatternFill("solid", fgColor="FFE0E0")
    for values in report_rows(outcomes):
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.number_format = "@"  # text: a USCC of digits never becomes a number
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if values[1] == IMPORT_OUTCOME_ZH["error"]:
                cell.fill = error_fill
        sheet.row_dimensions[sheet.max_row].height = 15 * max(_lines(v, w) for v, w in zip(values, WIDTHS, strict=True))
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{head + 1}"
    sheet.print_title_rows = f"{head}:{head}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.auto_filter.ref = f"A{head}:{get_column_letter(len(HEADERS))}{max(sheet.max_row, head)}"
    book.properties.creator = "ipreg"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
