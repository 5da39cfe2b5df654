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
from generator.staff.worklist import DueItem


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


STATUS_COLUMNS = (
    Column("uscc", "统一社会信用代码"),
    Column("name", "企业名称"),
    Column("category", "类别", _label(CATEGORY_ZH)),
    Column("status", "状态", _label(STATUS_ZH)),
    Column("listed", "列入公开名单", _yes),
    Column("term_start", DATE_ZH["term_start"]),
    Column("term_end", DATE_ZH["term_end"]),
    Column("review_deadline", DATE_ZH["review_deadline"]),
    Column("grace_until", DATE_ZH["grace_until"]),
    Column("ban_until", DATE_ZH["ban_until"]),
    Column("next_deadline", DATE_ZH["next_deadline"]),
    Column("next_deadline_kind", "下一期限事项", _label(DUE_KIND_ZH)),
    Column("cause", "原因", _label(CAUSE_ZH)),
    Column("industry_code", "行业代码"),
    Column("industry_name", "行业"),
    Column("file", "文件"),
)

DUE_COLUMNS = (
    Column("date", "日期"),
    Column("kind", "事项", _label(DUE_KIND_ZH)),
    Column("status", "状态", _label(STATUS_ZH)),
    Column("uscc", "统一社会信用代码"),
    Column("name", "企业名称"),
    Column("file", "文件"),
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


@dataclass(frozen=True)
class Sheet:
    """One sheet: its tab name, the table's headers and rows (text, numbers or YYYY-MM-DD dates), whether it ends
    with a 合计 row (sheets of counts), and the unit of its numbers."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    total: bool = False
    unit: str | None = None
    totals: Sequence[Any] | None = None  # the 合计 row after the first column, when a column does not add up (enterprises)
    empty: str = "没有记录。"  # said under the header when there are no rows: a page is never a bare header


PRINTABLE_MM = 297 - 2 * 17.8  # A4 landscape less Excel's default side margins
CHAR_MM = 1.9  # the width of one unit of column width, printed at 100 %
MIN_SCALE = 0.82  # 11 pt x 0.82 = 9 pt: the smallest print a manager reads
WRAP_AT = 32  # the widest column (units of one Latin character): a longer text wraps in its cell
SPLIT_WRAP_AT = 28  # the same in a table too wide for one page (the ledger): a name of 13 characters on one line


def to_xlsx(headers: list[str], rows: list[list[str]], title: str, today: date, heading: str, issuer: str) -> bytes:
    """One sheet named ``title`` under the title row "``heading``（截至…）" and the 填报单位 ``issuer`` (see ``workbook``),
    without the file column (a staff path is no use on paper)."""
    keep = [i for i, h in enumerate(headers) if h != "文件"]
    sheet = Sheet(title, [headers[i] for i in keep], [[row[i] for i in keep] for row in rows])
    return workbook([sheet], f"{heading}（截至{_chinese(today)}）", issuer)


def _chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _display(value: Any) -> int:
    text = value.isoformat() if isinstance(value, date) else str(value if value is not None else "")
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def workbook(sheets: Sequence[Sheet], title: str, issuer: str) -> bytes:
    """A workbook for managers and the city bureau: on every sheet a title row (``title``), a row with the 填报单位
    (``issuer``: policy.yml's ``documents.organ``) and the unit, then the table: a bold header that stays in view and is
    printed on every page, a filter, text as text cells (an all-digit USCC never becomes a number), YYYY-MM-DD values as
    real dates (yyyy-mm-dd, so Excel's date filters work), counts as numbers with a 合计 row; columns as wide as their
    content; printed on A4 landscape at 9 pt or more (wide tables split across pages, the code and name repeated on
    each)."""
    from openpyxl import Workbook

    book = Workbook()
    for index, spec in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        _fill(sheet, spec, title, issuer)
    book.properties.title = title
    book.properties.creator = "ipreg"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Any, spec: Sheet, title: str, issuer: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    width = max(len(spec.headers), 1)
    sheet.title = spec.name[:31]
    sheet.append([title])
    sheet.append([f"填报单位：{issuer}" + (f"　　单位：{spec.unit}" if spec.unit else "")])
    sheet.append(list(spec.headers))
    rows = [list(row) for row in spec.rows]
    totalled = bool(rows) and (spec.total or spec.totals is not None)
    assert spec.totals is None or len(spec.totals) == width - 1, (spec.name, spec.totals)  # a column of its own each
    if totalled:
        rows.append(["合计", *(spec.totals if spec.totals is not None else
                             [sum(r[i] for r in rows) if all(isinstance(r[i], int) for r in rows) else "" for i in range(1, width)])])
    for row in rows:
        sheet.append([date.fromisoformat(v) if isinstance(v, str) and _is_day(v) else v for v in row])
    if not rows:
        sheet.append([spec.empty])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="left")  # on the first page even when the table is split
    widths = _widths(spec.headers, rows, width, WRAP_AT)
    wrap = WRAP_AT if PRINTABLE_MM / (sum(widths) * CHAR_MM) >= MIN_SCALE else SPLIT_WRAP_AT
    if wrap != WRAP_AT:  # printed across pages: long texts wrap sooner, so that fewer pages hold the table's width
        widths = _widths(spec.headers, rows, width, wrap)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    _format_cells(sheet, widths, wrap, {i for i, h in enumerate(spec.headers) if "（元）" in h}, bool(rows))
    if totalled:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    title_width = int(_display(title) * 1.4) + 2  # 14 pt bold: the title row is never cut off
    if sum(widths) < title_width:
        widths[0] += title_width - sum(widths)
    for column, size in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.freeze_panes = "A4"
    if _print_setup(sheet, widths, spec.headers):  # split across pages: the title would be printed cut in two
        sheet.oddHeader.center.text, sheet.oddHeader.center.size = title, 11  # it heads every page instead of the cells
        sheet.oddHeader.left.text, sheet.oddHeader.left.size = str(sheet["A2"].value), 9
        sheet.print_area = f"A3:{get_column_letter(width)}{max(sheet.max_row, 3)}"
    else:
        for line in (1, 2, *((4,) if not rows else ())):
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    if spec.rows:
        sheet.auto_filter.ref = f"A3:{get_column_letter(width)}{len(spec.rows) + 3}"


def _format_cells(sheet: Any, widths: Sequence[int], wrap: int, money: set[int], data: bool) -> None:
    """Dates as dates, texts as text, amounts with thousands separators; a text longer than ``wrap`` wraps, and its row
    is made as tall as its lines (no printing program grows a row for it: the second line would be cut off)."""
    from openpyxl.styles import Alignment

    for row_cells in sheet.iter_rows(min_row=4 if data else 5):
        lines = 1
        for cell in row_cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a number or a formula
                cell.number_format = "@"
                if _display(cell.value) + 2 > wrap:  # a long text wraps in its column instead of widening the table
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    lines = max(lines, -(-_display(cell.value) // max(widths[cell.column - 1] - 2, 1)))
            elif isinstance(cell.value, int) and cell.column - 1 in money:
                cell.number_format = "#,##0"  # 3,000,000: amounts as a clerk reads them
        if lines > 1:
            sheet.row_dimensions[row_cells[0].row].height = LINE_PT * lines
            for cell in row_cells:  # the row's other values beside the first line of the wrapped one
                if not cell.alignment.wrap_text:
                    cell.alignment = Alignment(vertical="top")


LINE_PT = 15  # the height of one line of 11 pt text in a row


def _widths(headers: Sequence[str], rows: Sequence[Sequence[Any]], width: int, wrap: int) -> list[int]:
    """Each column as wide as its widest value or header, but never past ``wrap`` (there its texts wrap)."""
    return [min(max([_display(h) for h in headers[i:i + 1]] + [_display(r[i]) for r in rows if i < len(r)]) + 2, wrap)
            for i in range(width)]


def _is_day(text: str) -> bool:
    from generator.dates import parse_iso

    return parse_iso(text) is not None


def _print_setup(sheet: Any, widths: Sequence[int], headers: Sequence[str]) -> bool:
    """A4 landscape, the header row on every page, printed at 100 % when the table fits the page's width, else at the
    scale that makes it fit if that keeps 9 pt (82 % of 11 pt), else at 90 % across several pages, the columns that
    say whose row it is (the code and the name) repeated on each; the sheet's name and 第 N 页，共 M 页 in the footer,
    so that a printed page says which table it belongs to. Returns whether the table is split across pages."""
    from openpyxl.utils import get_column_letter

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    wide = sum(widths) * CHAR_MM
    fit = PRINTABLE_MM / wide
    sheet.page_setup.scale = 100 if fit >= 1 else int(fit * 100) if fit >= MIN_SCALE else 90
    sheet.print_title_rows = "3:3"
    if fit >= MIN_SCALE:  # one page wide whatever the printing program's font makes of the widths (LibreOffice without
        # Calibri draws them a quarter wider): fitted to the width, as long as the rows need
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    else:
        who = [i + 1 for i, h in enumerate(headers) if h in ("统一社会信用代码", "企业名称")] or [1, 2]
        sheet.print_title_cols = f"{get_column_letter(min(who))}:{get_column_letter(max(who))}"
    sheet.oddFooter.center.text = "&A　第 &P 页，共 &N 页"
    sheet.oddFooter.center.size = 9
    return fit < MIN_SCALE


def filter_rows(rows: list[dict[str, Any]], statuses: Sequence[str], industries: Sequence[str]) -> list[dict[str, Any]]:
    """Rows whose status is one of ``statuses`` and whose industry code starts with one of ``industries`` (empty: all)."""
    return [r for r in rows if (not statuses or r["status"] in statuses)
            and (not industries or str(r.get("industry_code") or "").startswith(tuple(industries)))]


def due_rows(items: Iterable[DueItem]) -> list[dict[str, Any]]:
    return [i.as_dict() for i in items]
