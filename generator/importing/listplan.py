"""A list's rows read into what they state: the header row found under any title rows, each column by its header
(``columns``), each cell read as the clerk typed it (``values``), each row into an enterprise and its decisions.

A list is one row per enterprise and decision (columns 决定 and 日期) or one row per enterprise with several date
columns (备案日期, 复核日期 with 复核结果, 撤销日期, 退出日期); both may be mixed. Nothing here knows the registry: that is
``listapply``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from generator.importing import values
from generator.importing.columns import CATEGORY_WORDS, DECISION_WORDS, FIELD_HEADER, field_of, word_key
from generator.importing.listfile import BadList, Sheet, Value

T = TypeVar("T")
HEADER_SEARCH = 30  # the header row is among the first rows (a 名单 opens with its title, its date, a blank row)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Columns:
    sheet: str
    header_row: int  # 1-based
    fields: dict[str, int]  # field -> column index
    unknown: tuple[str, ...]  # "D 列“联系人电话”" (reported, never read)

    def cell(self, name: str, row: int) -> str:
        return f"{self.sheet}!{column_letter(self.fields[name])}{row}"


@dataclass(frozen=True)
class Decision:
    day: date
    type: str
    document: str | None
    certificate: str | None
    cell: str  # where the decision's date is
    cells: tuple[tuple[str, str], ...] = ()  # (event key, cell) of the other values: document, certificate, type


@dataclass
class Row:
    number: int  # 1-based, as Excel shows it
    uscc: str = ""
    name: str = ""
    category: str | None = None
    note: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the normalisations, each with its cell
    errors: list[tuple[str, str]] = field(default_factory=list)  # (cell, message)
    cells: dict[str, str] = field(default_factory=dict)  # field -> its cell in this row (工作表!C7)


def find_columns(sheet: Sheet) -> Columns:
    """The header row (the first of the first HEADER_SEARCH rows that names the enterprise's name or code and one more
    known column) and the columns it names; BadList when there is none or it is ambiguous."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH]):
        found = {i: field_of(values.raw_text(v)) for i, v in enumerate(row) if not values.is_blank(v)}
        named = {f for f in found.values() if f}
        if ("name" in named or "uscc" in named) and len(named) >= 2:
            return _columns(sheet, index, row, found)
    raise BadList(f"在“{sheet.name}”的前 {HEADER_SEARCH} 行中找不到表头（如“企业名称”“统一社会信用代码”“备案日期”）："
                  "请检查是否选对了工作表（--sheet），表头的写法见操作手册 manual/02-导入已有名单.md")


def _columns(sheet: Sheet, index: int, row: list[Value], found: dict[int, str | None]) -> Columns:
    fields: dict[str, int] = {}
    unknown = []
    for i, name in found.items():
        header = values.raw_text(row[i]).strip()
        if name is None:
            unknown.append(f"{column_letter(i)} 列“{header}”")
        elif name in fields:
            raise BadList(f"“{sheet.name}”第 {index + 1} 行有两列都是“{FIELD_HEADER[name]}”（{column_letter(fields[name])} 列和 "
                          f"{column_letter(i)} 列）：请删去或改名其中一列")
        elif name:
            fields[name] = i
    _refuse_blank_headers(sheet, index, found)
    missing = [FIELD_HEADER[f] for f in ("uscc", "name") if f not in fields]
    if missing:
        raise BadList(f"“{sheet.name}”的表头（第 {index + 1} 行）缺少“{'”“'.join(missing)}”列：每行须写明企业名称和统一社会信用代码")
    if not {"filed", "reviewed", "revoked", "withdrawn"} & fields.keys() and not {"decision", "date"} <= fields.keys():
        raise BadList(f"“{sheet.name}”的表头（第 {index + 1} 行）没有日期列：需要“备案日期”（或“复核日期”“撤销日期”），"
                      "或者“决定”和“日期”两列")
    return Columns(sheet.name, index + 1, fields, tuple(unknown))


def _refuse_blank_headers(sheet: Sheet, index: int, found: dict[int, str | None]) -> None:
    """A column with data under an empty header: a merged or two-row header, which ipreg does not guess."""
    for row in sheet.rows[index + 1:index + 51]:
        for i, value in enumerate(row):
            if i not in found and not values.is_blank(value):
                raise BadList(f"“{sheet.name}”第 {index + 1} 行表头的 {column_letter(i)} 列是空的，而下面有数据（表头可能是合并单元格"
                              "或分成了两行）：请把表头改成一行、每列一个标题后再导入")


def read_rows(sheet: Sheet, columns: Columns) -> list[Row]:
    """Every non-blank row under the header, read."""
    rows = []
    for offset, cells in enumerate(sheet.rows[columns.header_row:]):
        if all(values.is_blank(v) for v in cells):
            continue
        rows.append(read_row(cells, columns.header_row + offset + 1, columns))
    return rows


def read_row(cells: list[Value], number: int, columns: Columns) -> Row:
    row = Row(number, cells={name: columns.cell(name, number) for name in columns.fields})
    reader = _Reader(cells, number, columns, row)
    row.uscc = reader.get("uscc", values.uscc, required=True) or ""
    row.name = reader.get("name", values.text, required=True) or ""
    row.category = reader.get("category", _category)
    row.note = reader.get("note", values.text)
    document = reader.get("document", values.number)
    certificate = reader.get("certificate", values.number)
    reader.decision("filed", "filed", document, certificate)
    reader.review(reader.get("review_document", values.number))
    reader.decision("revoked", "revoked", None, None)
    reader.decision("withdrawn", "withdrawn", None, None)
    kind = reader.get("decision", _decision)
    if kind:
        reader.decision("date", kind, document if "filed" not in columns.fields else None,
                        certificate if "filed" not in columns.fields else None, required=True, type_column="decision")
    elif "decision" in columns.fields and reader.present("date"):
        row.errors.append((columns.cell("decision", number), "有日期而没有写是什么决定（备案、复核通过……）"))
    if not row.decisions and not row.errors:
        row.errors.append((columns.cell("uscc", number), "这一行没有任何决定的日期：请填写备案日期等，或删去这一行"))
    return row


def _category(value: Value) -> tuple[str, str | None]:
    shown = values.raw_text(value)
    code = CATEGORY_WORDS.get(word_key(shown)) or CATEGORY_WORDS.get(word_key(shown).lower())
    if code is None:
        raise values.CellError(f"“{shown}”不是备案类别：请写“知识产权优势企业”（或“优势企业”）或“储备企业”")
    return code, None


def _decision(value: Value) -> tuple[str, str | None]:
    shown = values.raw_text(value)
    code = DECISION_WORDS.get(word_key(shown)) or DECISION_WORDS.get(word_key(shown).lower())
    if code is None:
        raise values.CellError(f"“{shown}”不是决定类型：可写 备案、复核通过、复核未通过、未参加复核、撤销、退出")
    return code, None


class _Reader:
    """Reads one row's cells into ``row``: a cell's error and its normalisation are kept with the cell's name."""

    def __init__(self, cells: list[Value], number: int, columns: Columns, row: Row) -> None:
        self.cells, self.number, self.columns, self.row = cells, number, columns, row

    def present(self, name: str) -> bool:
        i = self.columns.fields.get(name)
        return i is not None and i < len(self.cells) and not values.is_blank(self.cells[i])

    def get(self, name: str, read: Callable[[Value], tuple[T, str | None]], required: bool = False) -> T | None:
        cell = self.columns.cell(name, self.number) if name in self.columns.fields else ""
        if not self.present(name):
            if required:
                self.row.errors.append((cell, f"“{FIELD_HEADER[name]}”是空的"))
            return None
        try:
            found, note = read(self.cells[self.columns.fields[name]])
        except values.CellError as exc:
            self.row.errors.append((cell, str(exc)))
            return None
        if note:
            self.row.notes.append(f"{cell}：{note}")
        return found

    def decision(self, name: str, kind: str, document: str | None, certificate: str | None, required: bool = False,
                 document_column: str = "document", type_column: str | None = None) -> None:
        when = self.get(name, values.day, required)
        if when is not None:
            cells = (("document", self.row.cells.get(document_column, "")), ("certificate", self.row.cells.get("certificate", "")),
                     ("type", self.row.cells.get(type_column or name, "")))
            self.row.decisions.append(Decision(when, kind, document, certificate, self.columns.cell(name, self.number),
                                               tuple((k, c) for k, c in cells if c)))

    def review(self, document: str | None) -> None:
        if not self.present("reviewed"):
            return
        result = self.get("result", _decision)
        if result is None:
            if not self.present("result"):
                cell = self.row.cells.get("result") or self.row.cells["reviewed"]
                self.row.errors.append((cell, "有复核日期而没有复核结果：请写“通过”“未通过”或“未参加复核”"))
            return
        self.decision("reviewed", result, document, None, document_column="review_document", type_column="result")
