"""A list's cells read as clerks type them, each normalisation said in words for the report.

Every reader returns ``(value, note)`` or raises ``CellError`` (a Chinese message). ``note`` is None when the cell
was already in the record's form, else what was changed (``“2024.3.5”读作 2024-03-05``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from generator.errors import IpregError
from generator.ids import document_form, fold, uscc_problem
from generator.importing.listfile import Value

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's leap-year slip lies before any date we read)
_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")


class CellError(IpregError):
    """Why a cell cannot be read (Chinese)."""


def raw_text(value: Value) -> str:
    """A cell as text, as the clerk sees it (a whole number without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    return str(value)


def is_blank(value: Value) -> bool:
    return value is None or isinstance(value, str) and not _SPACE.sub("", value)


def text(value: Value) -> tuple[str, str | None]:
    """Plain text (a name, a note): stray spaces at the ends removed, no-break and full-width spaces made plain."""
    shown = raw_text(value)
    clean = _SPACE.sub(" ", shown).strip()
    if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", clean):  # a space between Chinese characters is a slip of typing
        clean = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", clean)
    note = None if clean == shown else f"“{shown}”去掉多余空格，读作“{clean}”"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        note = f"数字 {shown} 读作文字"
    return clean, note


def uscc(value: Value) -> tuple[str, str | None]:
    """A USCC: spaces removed, full-width forms half-width, capital letters; then both check characters."""
    shown = raw_text(value)
    if isinstance(value, float) and not value.is_integer() or isinstance(value, float) and value >= 1e15:
        raise CellError(f"统一社会信用代码被 Excel 存成了数字（{shown}），末几位已经丢失：请把该列设为“文本”后重新录入")
    code = fold(shown)
    problem = uscc_problem(code)
    if problem:
        raise CellError(problem)
    return code, None if code == shown else f"统一社会信用代码“{shown}”读作 {code}"


def day(value: Value) -> tuple[date, str | None]:
    """A date: an Excel date, a date serial, or text as 2024-03-05, 2024.3.5, 2024/3/5, 2024年3月5日, 20240305."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    shown = raw_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) or re.fullmatch(r"\d{5}(\.0+)?", shown.strip()):
        serial = float(shown)
        if 20_000 <= serial <= 80_000:  # 1954 to 2119
            found = EXCEL_EPOCH + timedelta(days=int(serial))
            return found, f"Excel 日期序号 {shown} 读作 {found}"
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", shown))
    match = _DATE.fullmatch(folded) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", folded)
    if not match:
        raise CellError(f"“{shown}”不是日期：请写作 2024-03-05（也可以是 2024.3.5、2024/3/5、2024年3月5日）")
    try:
        found = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(f"“{shown}”不是存在的日期：请核对年月日") from None
    return found, None if found.isoformat() == shown else f"“{shown}”读作 {found}"


def number(value: Value) -> tuple[str, str | None]:
    """A 文号 or certificate number in the one written form (ids.document_form): 〔〕 brackets, half-width digits."""
    shown = raw_text(value)
    form = document_form(shown)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return form, f"数字 {shown} 读作文字"
    return form, None if form == shown else f"“{shown}”读作 {form}"
