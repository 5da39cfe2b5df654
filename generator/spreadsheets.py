"""Staff exports that open in Excel: the status table and the worklist as CSV (UTF-8 with BOM, Chinese headers
and labels) or .xlsx (every cell text, so an all-digit USCC never becomes 9.14E+17), with filters.

Pure: rows in, bytes out. The CLI decides where the bytes go (stdout or a new file, written atomically).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.cells import spreadsheet_cell
from generator.labels import CATEGORY_ZH, CAUSE_ZH, DATE_ZH, DUE_KIND_ZH, STATUS_ZH
from generator.worklist import DueItem


def _label(table: dict[str, str]) -> Callable[[Any], str]:
    return lambda value: table.get(value, value) if value else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _yes(value: Any) -> str:
    return "是" if value else "否"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    show: Callable[[Any], str] = _text
    width: int = 12  # characters, for the .xlsx column


STATUS_COLUMNS = (
    Column("uscc", "统一社会信用代码", width=22),
    Column("name", "企业名称", width=34),
    Column("category", "类别", _label(CATEGORY_ZH), 18),
    Column("status", "状态", _label(STATUS_ZH), 12),
    Column("listed", "列入公开名单", _yes, 12),
    Column("term_start", DATE_ZH["term_start"]),
    Column("term_end", DATE_ZH["term_end"]),
    Column("review_deadline", DATE_ZH["review_deadline"]),
    Column("grace_until", DATE_ZH["grace_until"]),
    Column("ban_until", DATE_ZH["ban_until"]),
    Column("next_deadline", DATE_ZH["next_deadline"]),
    Column("next_deadline_kind", "下一期限事项", _label(DUE_KIND_ZH), 16),
    Column("cause", "原因", _label(CAUSE_ZH), 28),
    Column("industry_code", "行业代码", width=10),
    Column("industry_name", "行业", width=20),
    Column("file", "文件", width=36),
)

DUE_COLUMNS = (
    Column("date", "日期"),
    Column("kind", "事项", _label(DUE_KIND_ZH), 24),
    Column("status", "状态", _label(STATUS_ZH)),
    Column("uscc", "统一社会信用代码", width=22),
    Column("name", "企业名称", width=34),
    Column("file", "文件", width=36),
)


def table(columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Chinese headers and the rows as display text."""
    return [c.title for c in columns], [[c.show(row.get(c.key)) for c in columns] for row in rows]


def to_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM (Excel then reads Chinese correctly), CRLF, formula-looking cells quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]], Sequence[int]]  # title, headers, rows, column widths


def to_xlsx(headers: list[str], rows: list[list[str]], title: str, today: date, widths: Sequence[int]) -> bytes:
    """One sheet (see ``workbook``)."""
    return workbook([(title, headers, rows, widths)], f"{title}（{today.isoformat()}）")


def workbook(sheets: Sequence[Sheet], title: str) -> bytes:
    """A workbook of ``sheets``: a bold header row that stays in view, a filter on every column, text as text cells
    (an all-digit USCC never becomes a number), counts as numbers; printed landscape A4, one page wide, header repeated."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    for index, (name, headers, rows, widths) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = name[:31]
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a number or a formula
                    cell.number_format = "@"
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
        sheet.print_title_rows = "1:1"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    book.properties.title = title
    book.properties.creator = "ipreg"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filter_rows(rows: list[dict[str, Any]], statuses: Sequence[str], industries: Sequence[str]) -> list[dict[str, Any]]:
    """Rows whose status is one of ``statuses`` and whose industry code starts with one of ``industries`` (empty: all)."""
    return [r for r in rows if (not statuses or r["status"] in statuses)
            and (not industries or str(r.get("industry_code") or "").startswith(tuple(industries)))]


def due_rows(items: Iterable[DueItem]) -> list[dict[str, Any]]:
    return [i.as_dict() for i in items]
