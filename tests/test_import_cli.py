"""ipreg import through the CLI (slow tier): a 30-row list into an empty registry that then checks clean, dry-run, the
report workbook, all or nothing, exit codes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.helpers import scratch_checkout
from tests.sitekit import build, ipreg, make_uscc

pytestmark = pytest.mark.slow
TODAY = "2026-11-25"


def _list(path: Path, rows: int = 30, bad_row: int | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    sheet.append(["西平县知识产权强企备案名单"])
    sheet.append([])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "类别", "备案日期", "文号", "证书编号"])
    for i in range(rows):
        year = 2022 + i % 3
        code = make_uscc(f"MA8{i:05d}")
        sheet.append([i + 1, f"西平县导入{i}有限公司", code if i % 4 else code.lower(), "优势企业" if i % 3 else "储备企业",
                      "2099.1.1" if i == bad_row else datetime(year, 3, 5) if i % 2 else f"{year}.3.5", f"豫西市监[{year}]{i + 1:02d}号",
                      f"西知强企证〔{year}〕{i + 1:03d}号"])
    book.save(path)
    return path


def _repo(tmp_path: Path) -> Path:
    repo = scratch_checkout(tmp_path / "repo", records=tmp_path / "no-such-folder")
    (repo / "records").mkdir(exist_ok=True)
    return repo


def test_a_thirty_row_list_imports_and_checks_clean(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    listed = _list(tmp_path / "名单.xlsx")
    dry = ipreg(repo, "import", str(listed), "--today", TODAY, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "试运行" in dry.stdout and list((repo / "records").glob("*.yaml")) == []
    done = ipreg(repo, "import", str(listed), "--today", TODAY, "--source", "2024年备案名单", "--report", "报告.xlsx")
    assert done.returncode == 0, done.stderr + done.stdout
    assert len(list((repo / "records").glob("*.yaml"))) == 30
    checked = ipreg(repo, "check", "--today", TODAY)
    assert checked.returncode == 0, checked.stdout
    assert "imported.history" in checked.stdout and "2024年备案名单" in checked.stdout
    sheet = load_workbook(repo / "报告.xlsx").active
    assert sheet is not None
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "行")
    assert sheet.freeze_panes == f"A{header + 2}" and len(rows) - header - 1 == 30
    assert {r[1] for r in rows[header + 1:]} == {"新建"}
    again = ipreg(repo, "import", str(listed), "--today", TODAY)
    assert again.returncode == 0 and "已有 30 行" in again.stdout
    explained = ipreg(repo, "explain", f"records/{make_uscc('MA800001')}.yaml", "--today", TODAY)
    assert "导入的历史决定（来源：2024年备案名单）" in explained.stdout, explained.stdout
    due = ipreg(repo, "due", "--today", TODAY, "--within", "400")
    assert "复核前还缺少的内容" in due.stdout and "成立日期" in due.stdout


def test_the_site_shows_only_what_an_imported_record_has(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert ipreg(repo, "import", str(_list(tmp_path / "名单.xlsx", 3)), "--today", TODAY, "--source", "县局名单").returncode == 0
    built = build(repo)
    assert built.returncode == 0, built.stderr
    page = (repo / "site" / "enterprises" / make_uscc("MA800001") / "index.html").read_text(encoding="utf-8")
    assert "导入的历史决定" in page and "县局名单" in page
    assert "所属行业" not in page and "主营产品" not in page and "有效专利" not in page


def test_one_bad_row_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = ipreg(repo, "import", str(_list(tmp_path / "名单.xlsx", 5)), "--today", TODAY)
    assert result.returncode == 0
    listed = _list(tmp_path / "名单2.xlsx", 8, bad_row=6)
    before = sorted(p.read_bytes() for p in (repo / "records").glob("*.yaml"))
    result = ipreg(repo, "import", str(listed), "--today", TODAY)
    assert result.returncode == 1, result.stdout
    assert "错误" in result.stdout and "没有写入" in result.stdout
    assert sorted(p.read_bytes() for p in (repo / "records").glob("*.yaml")) == before


def test_bad_files_exit_2_in_chinese_without_a_traceback(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    fake = tmp_path / "名单.xlsx"
    fake.write_text("这不是工作簿", encoding="utf-8")
    result = ipreg(repo, "import", str(fake), "--today", TODAY)
    assert result.returncode == 2 and "不是 Excel 工作簿" in result.stderr and "Traceback" not in result.stderr
    form = ipreg(repo, "import", "--form", str(fake), "--date", TODAY)
    assert form.returncode == 2 and "不是 Excel 工作簿" in form.stderr and "Traceback" not in form.stderr  # the form mode: its own message
    assert list((repo / "records").glob("*.yaml")) == []
    assert ipreg(repo, "import", "--today", TODAY).returncode == 2


def test_a_gb18030_csv_is_detected_and_said(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    listed = tmp_path / "名单.csv"
    listed.write_bytes(f"企业名称,统一社会信用代码,类别,备案日期,文号\n甲公司,{make_uscc('MA800001')},优势企业,2024年3月5日,西市监(2024)1号\n"
                       .encode("gb18030"))
    result = ipreg(repo, "import", str(listed), "--today", TODAY, "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "GB18030" in result.stdout and "新建 1 行" in result.stdout and "读作 西市监〔2024〕1号" in result.stdout
