"""Reading a filled applicant's workbook back: the record's form fields, the cell of every value, the problems.

The file is inspected before openpyxl opens it (a password-protected workbook is an OLE file, not a zip; a zip bomb is
refused by its members' declared sizes before anything is decompressed), then read twice in openpyxl's streaming mode
(bounded memory): once for the formulas, once for the values Excel or LibreOffice cached. Rows are found by the keys in
the hidden column A (``formbook``), so inserted rows and re-saved workbooks still read; blank rows are skipped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.importing.cellvalues import convert, shown
from generator.importing.fields import Field, Form, Table
from generator.importing.formbook import INFO, MARK, TABLE, TITLE
from generator.inputs import UsageError

MAX_FILE = 20 * 1024 * 1024  # an applicant's workbook is tens of KB
MAX_UNPACKED = 200 * 1024 * 1024  # all members together, as the zip declares them
MAX_RATIO = 200  # a member that unpacks to more than 200 times its packed size
MAX_ROWS = 20_000  # rows of one sheet
MAX_COLUMNS = 60
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
Path_ = tuple[str | int, ...]


class BadWorkbook(UsageError):
    """The file cannot be read as an applicant's workbook: one Chinese sentence, exit 2, nothing written."""


@dataclass(frozen=True)
class Cell:
    sheet: str
    coordinate: str

    def __str__(self) -> str:
        return f'工作表"{self.sheet}"!{self.coordinate}'


@dataclass
class Filled:
    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[Path_, Cell] = field(default_factory=dict)  # record path -> the cell it came from
    problems: list[tuple[Cell, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    version: str = ""


def read(path: Path, form: Form) -> Filled:
    raw = _inspect(path)
    values, formulas = _open(raw, True), _open(raw, False)
    filled = Filled(version=_version(values, form))
    if filled.version != form.version:
        filled.notes.append(f"申报表的结构版本是第 {filled.version} 版（当前为第 {form.version} 版）：已按各项目的名称读取")
    for part in form.parts:
        if part.name in values.sheetnames:
            try:  # the sheets are parsed as they are read: a damaged one fails here
                _sheet(filled, form, part.name, zip(_rows(values[part.name]), _rows(formulas[part.name]), strict=True))
            except BadWorkbook:
                raise
            except Exception:  # noqa: BLE001 - a damaged sheet is one sentence to the clerk, never a traceback
                raise BadWorkbook(f"工作表“{part.name}”已损坏，无法读取：请让企业用 Excel 或 WPS 重新保存后发送") from None
        else:
            filled.notes.append(f"申报表中没有工作表“{part.name}”，其中的项目按未填写处理")
    _prune(filled.data)
    return filled


def _prune(data: dict[str, Any]) -> None:
    """Empty tables and objects left out (as a record without patents has no ``patents:``)."""
    for key in list(data):
        if isinstance(data[key], dict):
            _prune(data[key])
        if data[key] in ([], {}):
            del data[key]


def _inspect(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise BadWorkbook(f"{path} 有 {size // 1_048_576} MB，不像一份申报表（通常只有几十 KB）：未读取")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadWorkbook(f"找不到文件 {path}") from None
    except IsADirectoryError:
        raise BadWorkbook(f"{path} 是一个目录，不是工作簿") from None
    if raw.startswith(OLE):
        raise BadWorkbook(f"{path} 设有打开密码（已加密），或是旧版 .xls 文件：请在 Excel 或 WPS 中取消密码，另存为 .xlsx 后再导入")
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise BadWorkbook(f"{path} 不是 Excel 工作簿（.xlsx）：请导入由 ipreg form 生成、企业填好的申报表")
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadWorkbook(f"{path} 已损坏，无法打开：请让企业重新保存后发送") from None
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED or any(m.file_size > MAX_RATIO * max(m.compress_size, 1) + 1_048_576 for m in members):
        raise BadWorkbook(f"{path} 解压后异常庞大（声明 {unpacked // 1_048_576} MB），可能是恶意文件：未读取")
    return raw


def _open(raw: bytes, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except Exception:  # noqa: BLE001 - any fault of a damaged file is one sentence to the clerk, never a traceback
        raise BadWorkbook("工作簿已损坏或不是 Excel 工作簿，无法读取：请让企业用 Excel 或 WPS 重新保存后发送") from None


def _version(book: Any, form: Form) -> str:
    if INFO not in book.sheetnames:
        raise BadWorkbook(f"这不是 ipreg form 生成的申报表（缺少隐藏的工作表“{INFO}”）：请用 ipreg form 生成申报表，让企业填写后再导入")
    info = {str(row[0]): row[1] for row in book[INFO].iter_rows(max_row=10, max_col=2, values_only=True) if row and row[0]}
    if info.get("表单") != MARK:
        raise BadWorkbook(f"这不是 ipreg form 生成的申报表（工作表“{INFO}”中没有申报表标记）")
    version = shown(info.get("结构版本", ""))
    if not version.isdigit() or int(version) > int(form.version):
        raise BadWorkbook(f"申报表的结构版本是“{version}”，本程序只认识第 {form.version} 版及以前的版本：请更新 ipreg 后再导入")
    return version


def _rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    for n, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        if n > MAX_ROWS:
            raise BadWorkbook(f"工作表“{sheet.title}”超过 {MAX_ROWS:,} 行，不像一份申报表：未读取")
        yield row


def _sheet(filled: Filled, form: Form, name: str, rows: Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
    table: Table | None = None
    for number, (values, formulas) in enumerate(rows, start=1):
        key = str(values[0]).strip() if values and values[0] is not None else ""
        if key.startswith(TABLE):
            table = form.table(key[len(TABLE):].split(":")[0])
            if table is None:
                filled.problems.append((Cell(name, f"A{number}"), f"申报表（第 {filled.version} 版）中的表格 {key} 在当前版本中已不存在"))
            else:
                _set(filled.data, table.path, [])
                filled.cells[table.path] = Cell(name, f"B{number - 1}")
            continue
        if key.startswith(TITLE):
            table = None
        elif key:
            table = None
            found = form.field(key)
            if found is None:
                filled.problems.append((Cell(name, f"A{number}"), f"申报表（第 {filled.version} 版）中的项目 {key} 在当前版本中已不存在"))
            else:
                _one(filled, found, found.path, Cell(name, f"C{number}"), _value(values, formulas, 2))
        elif table is not None:
            _item(filled, table, name, number, values, formulas)


def _value(values: tuple[Any, ...], formulas: tuple[Any, ...], index: int) -> tuple[Any, bool]:
    """(the value, False) or (None, True) for a formula without a cached result; a formula's cached result is its value."""
    value = values[index] if index < len(values) else None
    formula = formulas[index] if index < len(formulas) else None
    if isinstance(formula, str) and formula.startswith("=") and formula != value:
        return (value, False) if value is not None else (None, True)
    return value, False


def _one(filled: Filled, spec: Field, path: Path_, cell: Cell, got: tuple[Any, bool], store: bool = True) -> Any:
    value, uncomputed = got
    filled.cells[path] = cell
    for end in range(1, len(path)):  # an object's findings (a missing field) land on its first field's cell
        filled.cells.setdefault(path[:end], cell)
    if uncomputed:
        filled.problems.append((cell, f"{spec.title}是公式，但工作簿中没有保存计算结果：请直接填写数值，或在 Excel 中打开、保存后再导入"))
        return None
    result, problem = convert(spec, value)
    if problem:
        filled.problems.append((cell, problem))
    elif result is not None and store:
        _set(filled.data, path, result)
    elif result is None and store and spec.required:
        filled.problems.append((cell, f"{spec.title}是必填项，没有填写"))
    return result


def _item(filled: Filled, table: Table, name: str, number: int, values: tuple[Any, ...], formulas: tuple[Any, ...]) -> None:
    got = [_value(values, formulas, n) for n in range(1, len(table.columns) + 1)]
    if all(v is None and not uncomputed or isinstance(v, str) and not v.strip() for v, uncomputed in got):
        return  # a blank row of the template
    items = _get(filled.data, table.path)
    index = len(items)
    filled.cells[(*table.path, index)] = Cell(name, f"B{number}")
    from openpyxl.utils import get_column_letter

    item: dict[str, Any] = {}
    for n, (column, value) in enumerate(zip(table.columns, got, strict=True), start=2):
        where: Path_ = (*table.path, index, *column.path)
        result = _one(filled, column, where, Cell(name, f"{get_column_letter(n)}{number}"), value, store=False)
        if table.scalar and result is not None:
            items.append(result)
        elif result is not None:
            item[column.key] = result
    if not table.scalar and item:
        items.append(item)
    blank = [c for c, (v, uncomputed) in zip(table.columns, got, strict=True) if not uncomputed and convert(c, v) == (None, None)]
    for required in (c for c in blank if c.required and not table.scalar):
        n = table.columns.index(required) + 2
        filled.problems.append((Cell(name, f"{get_column_letter(n)}{number}"), f"{table.title}这一行缺少“{required.title}”（必填）"))


def _get(data: dict[str, Any], path: Path_) -> Any:
    for key in path:
        data = data[key]  # type: ignore[index]
    return data


def _set(data: dict[str, Any], path: Path_, value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(str(key), {})
    data[path[-1]] = value  # type: ignore[index]
