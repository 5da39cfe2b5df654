"""A cell of the applicant's workbook as a record's value, or the reason it is not one (in Chinese, the cause first).

Cells are read as applicants type them: full-width digits and spaces, no-break spaces, numbers stored as text, codes
typed as numbers, dates as Excel dates or as ``YYYY-MM-DD`` text, Chinese labels or codes of an enumeration, 是/否.
What cannot be read without guessing (“500万元”, “2024.3.15”, “大概 20 人”) is a problem at its cell, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils.datetime import from_excel

from generator.errors import IpregError
from generator.importing.fields import Field

YES_WORDS = {"是", "有", "√", "✓", "y", "yes", "true", "1"}
NO_WORDS = {"否", "无", "没有", "×", "✗", "n", "no", "false", "0"}
TEXT_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
UNIT = {"万": 10_000, "亿": 100_000_000, "千": 1000}


class Bad(IpregError):  # noqa: N818 - why a cell is not a value; caught in convert, never leaves this module
    """The cause, in Chinese, that follows the field's title."""


def clean(text: str) -> str:
    """Full-width forms folded, no-break and ideographic spaces made plain, the ends trimmed."""
    return unicodedata.normalize("NFKC", text).replace("\u00a0", " ").strip()


def shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def convert(field: Field, value: Any) -> tuple[Any, str | None]:
    """(the record's value or None for a blank cell, None) or (None, why not)."""
    if value is None or isinstance(value, str) and not clean(value):
        return None, None
    try:
        return _KINDS.get(field.kind, _text)(field, value), None
    except Bad as why:
        return None, f"{field.title}{why}，实为“{shown(value)}”"


def _text(field: Field, value: Any) -> str:
    if isinstance(value, bool):
        raise Bad("应为文字")
    if isinstance(value, datetime | date):
        raise Bad("应为文字，不是日期")
    if isinstance(value, float):
        if not value.is_integer():
            raise Bad("应按证书原样以文本填写（单元格是数字，小数位可能已被改动）" if field.kind == "code" else "应为文字")
        value = int(value)
    text = clean(str(value)) if field.kind == "code" else str(value).replace("\u00a0", " ").strip()
    if field.kind == "code":
        text = re.sub(r"\s+", "", text)
        text = text.upper() if re.fullmatch(r"[0-9A-Za-z.]*[0-9][0-9A-Za-z.]*", text) else text  # zl…, g…, a USCC
    return text


def _integer(field: Field, value: Any) -> int:
    number = _number(field, value)
    if number != number.to_integral_value():
        raise Bad("应为整数")
    result = int(number)
    _within(field, result)
    return result


def _decimal(field: Field, value: Any) -> float:
    number = _number(field, value)
    _within(field, number)
    return float(number)


def _number(field: Field, value: Any) -> Decimal:
    unit = "（单位：元）" if "元" in field.description else ""
    if isinstance(value, bool | datetime | date):
        raise Bad(f"应为{'整数' if field.kind == 'integer' else '数字'}{unit}")
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = re.sub(r"[\s,，]", "", clean(str(value)))
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    scaled = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿千])元?", text)
    if scaled:
        amount = Decimal(scaled[1]) * UNIT[scaled[2]]
        figure = f"{amount:f}".rstrip("0").rstrip(".") if "." in f"{amount:f}" else f"{amount:f}"
        raise Bad(f"应为整数{unit}，不写“{scaled[2]}”“元”等单位：请填写 {figure}")
    raise Bad(f"应为{'整数' if field.kind == 'integer' else '数字'}{unit}，只填数字")


def _within(field: Field, number: Decimal | int) -> None:
    if field.minimum is not None and number < field.minimum or field.maximum is not None and number > field.maximum:
        raise Bad(f"应在 {field.minimum:,} 至 {field.maximum:,} 之间")


def _date(field: Field, value: Any) -> str:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and 17_000 < value < 74_000:
        day = from_excel(value).date()  # an Excel date the cell shows as a number
    elif isinstance(value, str):
        day = _text_date(clean(value))
    else:
        raise Bad("应为日期，如 2024-03-15")
    if not date(1949, 1, 1) <= day <= date(2100, 12, 31):
        raise Bad("应在 1949-01-01 至 2100-12-31 之间")
    return day.isoformat()


def _text_date(text: str) -> date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise Bad("不是日历上的日期") from None
    found = TEXT_DATE.fullmatch(text)
    if found:
        try:
            proper = date(int(found[1]), int(found[2]), int(found[3])).isoformat()
        except ValueError:
            raise Bad("不是日历上的日期") from None
        raise Bad(f"应为日期，写作 YYYY-MM-DD：请填写 {proper}")
    raise Bad("应为日期，写作 YYYY-MM-DD，如 2024-03-15")


def _boolean(field: Field, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = clean(str(value)).lower()
    if word in YES_WORDS or word in NO_WORDS:
        return word in YES_WORDS
    raise Bad("应选择“是”或“否”")


def _enum(field: Field, value: Any) -> str:
    text = re.sub(r"\s+", "", clean(shown(value)))
    for code in field.enum:
        if text in (code, re.sub(r"\s+", "", clean(field.label(code)))):
            return code
    choices = "、".join(field.label(c) for c in field.enum)
    raise Bad(f"不是可选的值（可选：{choices}）：请从下拉列表选择")


_KINDS = {"integer": _integer, "number": _decimal, "date": _date, "boolean": _boolean, "enum": _enum}
