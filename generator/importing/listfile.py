"""Reading a list: an .xlsx workbook (openpyxl, read-only, cached values) or a CSV file, as rows of raw cells.

Everything that is not a readable list is refused before a cell is read, with one Chinese message (``BadList``, exit
2): a file that is not a workbook (an old .xls, a text file named .xlsx), a password-protected workbook (an OLE file
with an encrypted package), a corrupt one, a zip whose members would unpack to more than ``MAX_UNPACKED`` bytes or
at a ratio above ``MAX_RATIO`` (a zip bomb), more than ``MAX_ROWS`` rows. A CSV is read as UTF-8 (with or without
BOM) or, when it is not UTF-8, as GB18030 (what Excel on a Chinese Windows saves as "CSV"); which one is said.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator.errors import ConfigurationError

MAX_BYTES = 50_000_000  # the file itself
MAX_UNPACKED = 300_000_000  # the workbook's members, unpacked
MAX_RATIO = 200  # unpacked / packed, per member (a real sheet packs about 10:1)
MAX_ROWS = 50_000  # rows read from one sheet (a county's list has tens)
MAX_BLANK = 1_000  # blank rows in a row after which the sheet is taken to have ended
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Value = str | int | float | bool | date | datetime | None


class BadList(ConfigurationError):
    """The file is not a list ipreg can read (exit 2, nothing written)."""


@dataclass(frozen=True)
class Sheet:
    name: str  # the worksheet's name; for a CSV the file's name
    rows: list[list[Value]]  # row 1 first; each row as many cells as it has
    encoding: str | None = None  # a CSV's encoding, in words


def read_list(path: Path, sheet: str | None = None) -> Sheet:
    """The rows of ``path`` (a .csv, else a workbook), or BadList."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BadList(f"{path} 不是文件：请给出名单的 .xlsx 或 .csv 文件")
        if size > MAX_BYTES:
            raise BadList(f"{path} 有 {size // 1_000_000} MB，超过 {MAX_BYTES // 1_000_000} MB：名单不应这么大，请检查是否选错了文件")
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise BadList(f"找不到文件 {path}") from None
    except OSError as exc:
        raise BadList(f"无法读取 {path}（{exc.strerror or exc}）") from None
    if path.suffix.lower() in (".csv", ".txt"):
        return _csv(path)
    if head.startswith(OLE):
        raise BadList(f"{path} 是加密（设有打开密码）的工作簿或旧版 .xls 文件：请在 Excel/WPS 中去掉密码，另存为 .xlsx 后再导入")
    if not head.startswith(b"PK"):
        raise BadList(f"{path} 不是 Excel 工作簿（.xlsx）：请在 Excel/WPS 中打开，另存为 .xlsx 或 CSV 后再导入")
    _check_zip(path)
    return _xlsx(path, sheet)


def _check_zip(path: Path) -> None:
    """Refuses a corrupt zip and a zip bomb by the sizes its directory declares, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadList(f"{path} 已损坏，不是完整的 .xlsx 工作簿：请在 Excel/WPS 中打开并另存后再导入") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED or any(m.file_size > MAX_RATIO * max(m.compress_size, 1) + 1_000_000 for m in members):
        raise BadList(f"{path} 解压后有 {total // 1_000_000} MB 或压缩比异常（可能是“压缩炸弹”）：未读取。请检查文件来源")
    if not any(m.filename == "[Content_Types].xml" for m in members):
        raise BadList(f"{path} 是 zip 压缩包，不是 .xlsx 工作簿：请给出名单的 .xlsx 或 .csv 文件")


def _xlsx(path: Path, name: str | None) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file: one message for all
        raise BadList(f"{path} 已损坏或不是 Excel 工作簿，无法读取：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入") from None
    try:
        if name is None:
            ws = book.worksheets[0] if book.worksheets else None
        elif name in book.sheetnames:
            ws = book[name]
        else:
            raise BadList(f"{path} 中没有名为“{name}”的工作表：有 {'、'.join(book.sheetnames)}")
        if ws is None:
            raise BadList(f"{path} 中没有工作表")
        rows: list[list[Value]] = []
        blank = 0  # blank rows in a row: a sheet formatted down to row 1,048,576 ends where its data ends
        try:
            for row in ws.iter_rows(values_only=True):
                cells = [_plain(v) for v in row]
                blank = blank + 1 if all(v is None or isinstance(v, str) and not v.strip() for v in cells) else 0
                if blank > MAX_BLANK:
                    break
                if len(rows) - blank >= MAX_ROWS:
                    raise BadList(f"工作表“{ws.title}”超过 {MAX_ROWS} 行：名单不应这么长，请检查是否选错了工作表，或分成几个文件导入")
                rows.append(cells)
        except BadList:
            raise
        except Exception:  # noqa: BLE001 - a damaged sheet part
            raise BadList(f"{path} 的工作表“{ws.title}”已损坏，无法读取：请在 Excel/WPS 中打开并另存后再导入") from None
        return Sheet(str(ws.title), rows)
    finally:
        book.close()


def _plain(value: object) -> Value:
    """A cell's cached value as one of the plain types (rich text and times as their text)."""
    if value is None or isinstance(value, (str, int, float, bool, date)):
        return value
    return str(value)


def _csv(path: Path) -> Sheet:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", "replace"), "UTF-8（带 BOM）"
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("gb18030"), "GB18030（中文版 Excel 另存的 CSV）"
            except UnicodeDecodeError:
                raise BadList(f"{path} 既不是 UTF-8 也不是 GB18030 编码的 CSV：请在 Excel/WPS 中另存为“CSV UTF-8”后再导入") from None
    if "\x00" in text:
        raise BadList(f"{path} 不是文本 CSV 文件（含二进制内容）：请给出名单的 .xlsx 或 .csv 文件")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows: list[list[Value]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= MAX_ROWS:
                raise BadList(f"{path} 超过 {MAX_ROWS} 行：名单不应这么长，请检查是否选错了文件，或分成几个文件导入")
            rows.append(list(row))
    except csv.Error:
        raise BadList(f"{path} 的 CSV 格式有误（引号不成对）：请在 Excel/WPS 中打开并另存为 CSV 后再导入") from None
    return Sheet(path.name, rows, encoding)
