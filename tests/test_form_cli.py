"""ipreg form and ipreg import --form through the command line, and the workbook as LibreOffice sees it: re-saved (as a
WPS or Excel user would save it) it still imports and checks clean, a formula is read by the value LibreOffice cached,
and printed every sheet is A4 with its header repeated."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.formkit import GOOD, RECEIVED, TABLES, TODAY, USCC, fill, where
from tests.helpers import ipreg, required, scratch_checkout, tool

pytestmark = pytest.mark.slow


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return scratch_checkout(tmp_path / "repo", tmp_path / "none")


def _form(repo: Path) -> Path:
    result = ipreg(repo, "form", "-o", "申报表.xlsx")
    assert result.returncode == 0 and "已写入" in result.stderr, result.stderr
    return repo / "申报表.xlsx"


def test_form_import_check(repo: Path) -> None:
    book = fill(_form(repo), repo / "已填.xlsx")
    result = ipreg(repo, "import", "--form", "已填.xlsx", "--date", RECEIVED, "--today", TODAY)
    assert result.returncode == 0 and "已新建" in result.stdout, result.stdout + result.stderr
    assert ipreg(repo, "check", "--today", TODAY).returncode == 0
    again = ipreg(repo, "import", "--form", str(book), "--date", RECEIVED, "--today", TODAY)
    assert again.returncode == 0 and "没有变化" in again.stdout
    assert ipreg(repo, "form", "-o", "申报表.xlsx").returncode == 2  # never over an existing file


@pytest.mark.parametrize("args", [("--form", "nothing.xlsx", "--date", RECEIVED), ("--form", "policy.yml", "--date", RECEIVED),
                                  ("--form", "申报表.xlsx",), ("--form", "申报表.xlsx", "--date", "2025-13-01"), ("list.xlsx",)])
def test_usage_and_bad_files_exit_2_in_one_line(repo: Path, args: tuple[str, ...]) -> None:
    _form(repo)
    result = ipreg(repo, "import", *args, "--today", TODAY)
    assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list((repo / "records").iterdir()) == []


def _soffice(tmp: Path, source: Path, to: str) -> Path:
    required("LibreOffice (libreoffice-calc-nogui)", tool("soffice"))
    out = tmp / f"lo-{to}"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", to, "--outdir", str(out),
                    str(source)], check=True, capture_output=True, timeout=180)
    return out / f"{source.stem}.{to}"


@pytest.mark.office
def test_resaved_by_libreoffice_with_a_formula_still_imports(repo: Path, tmp_path: Path) -> None:
    book = fill(_form(repo), tmp_path / "filled.xlsx")
    wb = load_workbook(book)
    sheet, first = where(book)["finance"]
    wb[sheet][f"D{first}"] = f"=C{first}*3/10"  # 专利相关收入 as a formula: 1,500,000 once calculated
    wb.save(book)
    resaved = _soffice(tmp_path, book, "xlsx")
    values = load_workbook(resaved, data_only=True)
    assert values[sheet][f"D{first}"].value == 1500000  # LibreOffice calculated and cached it
    result = ipreg(repo, "import", "--form", str(resaved), "--date", RECEIVED, "--today", TODAY)
    assert result.returncode == 0 and "已新建" in result.stdout, result.stdout + result.stderr
    assert ipreg(repo, "check", "--today", TODAY).returncode == 0
    text = (repo / "records" / f"{USCC}.yaml").read_text(encoding="utf-8")
    assert "patent_revenue: 1500000" in text and '"12345678"' in text  # the trademark number stayed text
    assert GOOD["name"] in text and len(TABLES["patents"]) == text.count("- number:") - 1


@pytest.mark.office
def test_printed_on_a4_with_the_header_repeated(repo: Path, tmp_path: Path) -> None:
    required("pdftotext (poppler-utils)", tool("pdftotext"))
    pdf = _soffice(tmp_path, _form(repo), "pdf")
    info = subprocess.run(["pdfinfo", "-l", "99", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = set(re.findall(r"size:\s+([\d.]+) x ([\d.]+)", info))
    assert sizes and all(sorted(round(float(v)) for v in s) == [595, 842] for s in sizes), sizes  # A4, either way up
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    ip = [p for p in pages if p.strip().startswith("知识产权")]
    assert len(ip) >= 2 and all("填写内容" in p for p in ip)  # the sheet's heading and header rows on each of its pages
    assert len(pages) - 1 <= 12
