"""``ipreg form``: the applicant's workbook (申报表.xlsx), generated from the schema through ``importing/fields.py``.

Sheets: 说明 (how to fill it), one sheet per part, and two hidden ones: 选项 (the drop-downs' Chinese labels: a list
validation typed inline is limited to 255 characters) and 表单信息 (the form's mark and the schema's version, also a
defined name). On a part's sheet the hidden column A holds each row's key (a field's path, a table's columns), so the
reader finds every value by key, not by position, and a row the applicant inserts in a table is still read.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from generator.importing.fields import Field, Form, Part, Table

MARK = "ipreg 申报表"
INFO, OPTIONS, GUIDE = "表单信息", "选项", "说明"
VERSION_NAME = "ipreg_schema_version"
TABLE = "table:"  # column A of a table's header row: table:<path>:<column paths>
TITLE = "title:"  # column A of a table's title row: title:<path>
YES, NO = "是", "否"
BETWEEN = 40
GUIDE_WIDTH = 62  # characters of the instructions column
FIRST_DAY, LAST_DAY = date(1949, 1, 1), date(2100, 12, 31)
BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER_FORMAT = {"date": "yyyy-mm-dd", "integer": "0", "number": "0.00"}
INSTRUCTIONS = (
    "本申报表由登记簿程序按记录结构生成：每个工作表是一部分，请在“填写内容”一栏或表格的空行中填写。",
    "带 * 的项目必须填写；不适用的可选项留空。把鼠标移到项目名称上可看到填写说明。",
    "日期请按 2024-03-15 的格式填写；金额一律填写整数，单位为元（如 5000000，不写“500万元”，不写逗号）。",
    "有下拉箭头的单元格请从列表中选择；是否类的项目选择“是”或“否”。",
    "编号（统一社会信用代码、专利申请号、商标注册号）按证书原样填写，本表已设为文本格式，开头的 0 不会丢失。",
    "表格（专利、商标、年度财务、荣誉等）每行一项，空行会被忽略，行数不够时，在表格中间插入整行后填写（最后一个表格可直接往下填写）。",
    "请不要删除、改名或移动工作表，不要改动隐藏的 A 列；请直接填写数值，不要使用公式。",
)


def build(form: Form) -> bytes:
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE
    options = _options(wb, form)
    for part in form.parts:
        _part_sheet(wb.create_sheet(part.name), part, options)
    _guide(guide, form)
    wb.move_sheet(OPTIONS, offset=len(form.parts))  # the hidden sheets last
    info = wb.create_sheet(INFO)
    info.append(["表单", MARK])
    info.append(["结构版本", form.version])
    info.sheet_state = "hidden"
    wb.defined_names[VERSION_NAME] = DefinedName(VERSION_NAME, attr_text=f'"{form.version}"')
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _options(wb: Workbook, form: Form) -> dict[str, str]:
    """The hidden sheet of drop-down labels: one column per enumeration; field key -> the range a validation lists."""
    sheet = wb.create_sheet(OPTIONS)
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    lists: dict[tuple[str, ...], str] = {}
    columns = [c for p in form.parts for c in [*p.fields, *(col for t in p.tables for col in t.columns)]]
    for field in [Field(("是否",), "", "", "boolean"), *columns]:
        values = (YES, NO) if field.kind == "boolean" else tuple(field.label(v) for v in field.enum)
        if not values:
            continue
        if values not in lists:
            col = get_column_letter(len(lists) + 1)
            for row, text in enumerate(values, start=1):
                sheet[f"{col}{row}"] = text
            lists[values] = f"'{OPTIONS}'!${col}$1:${col}${len(values)}"
        ranges[field.kind if field.kind == "boolean" else id_of(field)] = lists[values]
    return ranges


def id_of(field: Field) -> str:
    return field.key + "|" + ",".join(field.enum)


def _guide(sheet: Worksheet, form: Form) -> None:
    sheet["A1"] = form.title.removesuffix("记录") + "申报表"
    sheet["A1"].font = Font(bold=True, size=16)
    rows = ["填写说明", *[f"{n}. {t}" for n, t in enumerate(INSTRUCTIONS, 1)], "", "各工作表"]
    rows += [f"{p.name}：" + "、".join([f.title for f in p.fields] + [t.title for t in p.tables]) for p in form.parts]
    for row, text in enumerate(rows, start=3):
        sheet.cell(row=row, column=1, value=text).alignment = WRAP
        lines = -(-sum(2 if ord(c) > 0x2E80 else 1 for c in text) // (GUIDE_WIDTH - 4))  # wrapped lines, rounded up
        sheet.row_dimensions[row].height = 16 * max(lines, 1)  # LibreOffice keeps the file's height: room for every line
    sheet["A3"].font = sheet[f"A{3 + len(INSTRUCTIONS) + 2}"].font = BOLD
    sheet.column_dimensions["A"].width = GUIDE_WIDTH
    _print_setup(sheet, None)


def _part_sheet(sheet: Worksheet, part: Part, options: dict[str, str]) -> None:
    sheet.column_dimensions["A"].hidden = True
    sheet["B1"] = part.name
    sheet["B1"].font = Font(bold=True, size=14)
    row = 2
    repeat = None
    if part.fields:
        _header(sheet, row, ["项目", "填写内容", "填写说明"])
        repeat = "1:2"
        for field in part.fields:
            row += 1
            sheet.cell(row=row, column=1, value=field.key)
            name = sheet.cell(row=row, column=2, value=("* " if field.required else "") + field.title)
            _describe(name, field)
            value = sheet.cell(row=row, column=3)
            value.border = BOX
            _validate(sheet, field, f"C{row}", options)
            value.number_format = NUMBER_FORMAT.get(field.kind, "@")
            sheet.cell(row=row, column=4, value=hint(field)).alignment = WRAP
        row += 1
    for n, table in enumerate(part.tables, start=1):
        start = row + 1  # a table above another has room for BETWEEN rows (more by inserting rows); the last, for many
        row = _table(sheet, start, table, options, table.rows if n == len(part.tables) else min(table.rows, BETWEEN))
        repeat = repeat or f"{start}:{start + 1}"
    for col, width in zip("BCDEFGHIJ", (32, 26, 28, 20, 16, 16, 16, 16, 16), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "B3" if part.fields else None
    _print_setup(sheet, repeat)


def _table(sheet: Worksheet, start: int, table: Table, options: dict[str, str], rows: int) -> int:
    """A table: its title row, its header row (column A: the keys), ``rows`` empty rows; returns the row after it."""
    title = sheet.cell(row=start, column=2, value=f"{table.title}（每行一项，空行不读）")
    title.font = BOLD
    sheet.cell(row=start, column=1, value=TITLE + table.key)
    if table.description:
        title.comment = Comment(table.description, "ipreg")
    sheet.cell(row=start + 1, column=1, value=TABLE + table.key + ":" + ",".join(c.key for c in table.columns))
    _header(sheet, start + 1, [("* " if c.required and not table.scalar else "") + (c.title or table.title) for c in table.columns])
    first, last = start + 2, start + 1 + rows
    for n, column in enumerate(table.columns, start=2):
        _describe(sheet.cell(row=start + 1, column=n), column)
        letter = get_column_letter(n)
        _validate(sheet, column, f"{letter}{first}:{letter}{last}", options)
        for r in range(first, first + 5):  # the first rows framed; the rest formatted by the column (no empty cells to print)
            cell = sheet.cell(row=r, column=n)
            cell.number_format, cell.border = NUMBER_FORMAT.get(column.kind, "@"), BOX
        dimension = sheet.column_dimensions[letter]
        if column.kind in ("code", "date") and dimension.number_format in ("General", "yyyy-mm-dd"):
            dimension.number_format = NUMBER_FORMAT.get(column.kind, "@")  # codes stay text, dates show as dates
    return last + 1


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    for n, text in enumerate(titles, start=2):
        cell = sheet.cell(row=row, column=n, value=text)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD, BOX, WRAP


def _describe(cell: object, field: Field) -> None:
    if field.description:
        comment = Comment(field.description, "ipreg")
        comment.width, comment.height = 320, 120
        cell.comment = comment  # type: ignore[attr-defined]


def hint(field: Field) -> str:
    """What the cell takes, in words (also the validation's input message)."""
    words = {"date": "日期，如 2024-03-15", "boolean": "选择“是”或“否”", "enum": "从下拉列表选择", "code": "按证书原样填写（文本）"}
    if field.kind in ("integer", "number"):
        kind = "整数" if field.kind == "integer" else "数字"
        unit = "，单位：元" if "元" in field.description else ""
        bounded = field.maximum is not None and field.maximum < 1e9  # money has no bound worth printing
        return f"{kind}{unit}" + (f"，{_num(field.minimum)} 至 {_num(field.maximum)}" if bounded else "")
    return words.get(field.kind, "文字") + ("；必填" if field.required else "")


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}" if float(value).is_integer() else str(value)


def _validate(sheet: Worksheet, field: Field, where: str, options: dict[str, str]) -> None:
    kind = field.kind
    if kind in ("boolean", "enum"):
        dv = DataValidation(type="list", formula1=options[kind if kind == "boolean" else id_of(field)], allow_blank=True)
        error = f"请从下拉列表中选择{field.title}"
    elif kind in ("integer", "number"):
        low = field.minimum if field.minimum is not None else -1e15
        high = field.maximum if field.maximum is not None else 1e15
        dv = DataValidation(type="whole" if kind == "integer" else "decimal", operator="between",
                            formula1=_num(low).replace(",", ""), formula2=_num(high).replace(",", ""), allow_blank=True)
        error = f"{field.title}应为{hint(field)}（只填数字，不写“万元”、逗号或空格）"
    elif kind == "date":
        dv = DataValidation(type="date", operator="between", formula1=str(_serial(FIRST_DAY)),
                            formula2=str(_serial(LAST_DAY)), allow_blank=True)
        error = f"{field.title}应为 {FIRST_DAY} 至 {LAST_DAY} 之间的日期，如 2024-03-15"
    else:
        return
    dv.error, dv.errorTitle = error[:255], "填写有误"
    dv.prompt, dv.promptTitle = (field.description or hint(field))[:255], field.title[:32]
    dv.showErrorMessage = dv.showInputMessage = True
    dv.add(where)
    sheet.add_data_validation(dv)


def _print_setup(sheet: Worksheet, repeat: str | None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if sheet.max_column > 5 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if repeat:
        sheet.print_title_rows = repeat


def _serial(day: date) -> int:
    """Excel's serial number of a day (the 1900 date system)."""
    return (day - date(1899, 12, 30)).days
