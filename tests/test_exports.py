"""Exports staff open in Excel: ``status`` and ``due`` as CSV (BOM, Chinese headers and labels) and .xlsx (text cells)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers import required, tool
from tests.sitekit import TODAY, fixtures, ipreg, scratch_repo

pytestmark = pytest.mark.slow

DIGITS = "914117210000000278"  # a valid USCC of digits only: Excel would show 9.14117E+17 for a number cell


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fx = fixtures()
    folder = scratch_repo(tmp_path_factory.mktemp("exports") / "repo", {k: fx[k] for k in ("machine", "conditional", "revoked", "pending")})
    digits = fx["machine"].text.replace(fx["machine"].uscc, DIGITS).replace("code: C35", "code: A01")
    digits = digits.replace("西知强企证〔2025〕001号", "西知强企证〔2025〕099号")
    (folder / "records" / f"{DIGITS}.yaml").write_text(digits, encoding="utf-8")
    return folder


def _csv(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data)))


def test_status_csv_has_bom_chinese_headers_and_labels(repo: Path) -> None:
    result = ipreg(repo, "status", "--format", "csv", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeff统一社会信用代码,企业名称,类别,状态,列入公开名单,有效期起,有效期至,")
    rows = _csv(result.stdout.lstrip("\ufeff"))
    assert "\r\n" in result.stdout or result.stdout.count("\n") == len(rows)  # CRLF lines (text mode may fold them)
    header, body = rows[0], rows[1:]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    machine = by_code[fixtures()["machine"].uscc]
    assert (machine["类别"], machine["状态"], machine["列入公开名单"], machine["行业代码"]) == ("知识产权优势企业", "有效", "是", "C35")
    assert by_code[fixtures()["revoked"].uscc]["原因"] == "重大违法违规，取消资格"
    assert not {"valid", "true", "false", "advantage"} & {cell for row in body for cell in row}


def test_status_filters(repo: Path) -> None:
    for option in (["--status", "valid"], ["--status", "有效"], ["--status", "有效,已撤销"], ["--status", "valid", "--status", "revoked"]):
        rows = _csv(ipreg(repo, "status", "--format", "csv", "--today", TODAY, *option).stdout.lstrip("\ufeff"))[1:]
        statuses = {r[3] for r in rows}
        assert statuses <= {"有效", "已撤销"} and "有效" in statuses, option
    only_a = _csv(ipreg(repo, "status", "--format", "csv", "--today", TODAY, "--industry", "a").stdout.lstrip("\ufeff"))[1:]
    assert [r[0] for r in only_a] == [DIGITS]
    table = ipreg(repo, "status", "--today", TODAY, "--industry", "C35", "--status", "pending").stdout
    assert fixtures()["pending"].uscc in table and DIGITS not in table
    bad = ipreg(repo, "status", "--status", "good", "--today", TODAY)
    assert bad.returncode == 2 and "不是状态" in bad.stderr and "valid（有效）" in bad.stderr


def test_due_csv(repo: Path) -> None:
    result = ipreg(repo, "due", "--format", "csv", "--within", "400", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    rows = _csv(result.stdout.lstrip("\ufeff"))
    assert result.stdout.startswith("\ufeff") and rows[0] == ["日期", "事项", "状态", "统一社会信用代码", "企业名称", "文件"]
    assert len(rows) > 1 and all(
        r[1] in ("有效期届满", "复核期限届满", "保留资格期届满", "禁止申请期届满", "逾期未复核，须录入结果") for r in rows[1:]
    )
    filtered = _csv(
        ipreg(repo, "due", "--format", "csv", "--within", "400", "--today", TODAY, "--status", "保留资格").stdout.lstrip("\ufeff")
    )
    assert {r[2] for r in filtered[1:]} == {"保留资格"}


def test_xlsx_cells_are_text(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "状态.xlsx"
    result = ipreg(repo, "status", "--format", "xlsx", "--output", str(target), "--today", TODAY)
    assert result.returncode == 0 and "已写入" in result.stderr, result.stderr
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=False))
    assert rows[0][0].value == "西平县知识产权强企名单（截至2026年11月25日）"  # a title row for the reader
    assert rows[1][0].value == "填报单位：西平县市场监督管理局"
    assert [c.value for c in rows[2]][:4] == ["统一社会信用代码", "企业名称", "类别", "状态"]
    assert "文件" not in [c.value for c in rows[2]]  # no staff file paths on paper
    digits = next(r for r in rows if r[0].value == DIGITS)
    assert digits[0].data_type == "s" and isinstance(digits[0].value, str)
    term_end = [c.value for c in rows[2]].index("有效期至")
    dated = [r[term_end] for r in rows[3:] if r[term_end].value is not None]
    assert dated and all(isinstance(c.value, datetime) and c.number_format == "yyyy-mm-dd" for c in dated)  # real dates
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    widths = {sheet.column_dimensions[chr(65 + i)].width for i in range(len(rows[2]))}
    assert len(widths) > 3  # columns as wide as their content
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.scale or 100) >= 82  # 9 pt or more
    due = tmp_path / "due.xlsx"
    assert ipreg(repo, "due", "--format", "xlsx", "-o", str(due), "--within", "400", "--today", TODAY).returncode == 0
    assert load_workbook(due).active["A3"].value == "日期"  # type: ignore[index]


def test_due_for_one_month(repo: Path) -> None:
    month = ipreg(repo, "due", "--month", "2027-01", "--format", "json", "--today", TODAY)
    assert month.returncode == 0, month.stderr
    assert all(i["date"].startswith("2027-01") for i in json.loads(month.stdout)["items"])
    past = ipreg(repo, "due", "--month", "2026-10", "--today", TODAY)
    assert past.returncode == 2 and "已经过去" in past.stderr
    bad = ipreg(repo, "due", "--month", "2026-13", "--today", TODAY)
    assert bad.returncode == 2 and "不是月份" in bad.stderr


def test_export_never_overwrites(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.csv"
    target.write_text("staff notes", encoding="utf-8")
    result = ipreg(repo, "status", "--format", "csv", "-o", str(target), "--today", TODAY)
    assert result.returncode == 2 and "已存在，没有覆盖" in result.stderr
    assert target.read_text(encoding="utf-8") == "staff notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.csv"]  # no temporary file left behind


@pytest.mark.office
def test_libreoffice_opens_the_exports_with_text_codes(repo: Path, tmp_path: Path) -> None:
    """LibreOffice reads the .xlsx; converted back to CSV the all-digit USCC is unchanged (not 9.14E+17)."""
    required("LibreOffice (libreoffice-calc-nogui)", tool("soffice"))
    xlsx = tmp_path / "status.xlsx"
    assert ipreg(repo, "status", "--format", "xlsx", "-o", str(xlsx), "--today", TODAY).returncode == 0
    out = tmp_path / "out"
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = (out / "status.csv").read_text(encoding="utf-8", errors="replace")
    assert DIGITS in text and "E+17" not in text and "有效" in text


@pytest.mark.office
def test_printed_sheets_keep_nine_points(repo: Path, tmp_path: Path) -> None:
    """The status list printed through LibreOffice: every page's text is at least 9 pt high, the title on page 1."""
    required("LibreOffice (libreoffice-calc-nogui)", tool("soffice"))
    required("pdftotext (poppler-utils)", tool("pdftotext"))
    import re

    xlsx = tmp_path / "status.xlsx"
    assert ipreg(repo, "status", "--format", "xlsx", "-o", str(xlsx), "--today", TODAY).returncode == 0
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(xlsx)], capture_output=True, timeout=180, check=True)
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "status.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">[^<]*[\u4e00-\u9fff]', html)]
    assert heights and min(heights) >= 9 * 0.95, min(heights)
    first = html.split("</page>")[0]
    assert "西平县知识产权强企名单" in first
