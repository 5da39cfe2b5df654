"""The applicant's workbook (ipreg form) and reading it back (ipreg import --form), in process: generated from the schema
and nothing else, filled with openpyxl as an enterprise would, imported into a scratch registry and checked; typical
mistakes each reported at its cell with the cause first (the table in docs/checks.md); bad files refused in one sentence."""

from __future__ import annotations

import argparse
import copy
import io
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from generator.commands import formimport
from generator.importing.fields import form_of, load_schema
from generator.importing.formbook import INFO, OPTIONS, VERSION_NAME, build
from generator.importing.formread import BadWorkbook, read
from generator.inputs import UsageError
from tests.formkit import GOOD, RECEIVED, TABLES, TODAY, USCC, fill, where
from tests.helpers import ROOT, SAMPLES

FORM = form_of(load_schema())


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "申报表.xlsx"
    path.write_bytes(build(FORM))
    return path


def _registry(tmp_path: Path) -> Path:
    (tmp_path / "records").mkdir()
    shutil.copy(SAMPLES / "policy.yml", tmp_path / "policy.yml")
    return tmp_path


def _import(repo: Path, book: Path, capsys: pytest.CaptureFixture[str], dry_run: bool = False, day: str = RECEIVED) -> tuple[int, str]:
    args = argparse.Namespace(form=str(book), date=day, dry_run=dry_run, records=str(repo / "records"),
                              policy=str(repo / "policy.yml"), today=TODAY, jobs=1)
    code = formimport.run(args, {})
    return code, capsys.readouterr().out


def test_the_form_is_the_schema(blank: Path) -> None:
    """Instructions, one sheet per part in the schema's order, hidden lists and version; Chinese titles, descriptions as
    comments, a drop-down for every enumeration and yes/no, whole-number and date validation, codes as text, A4 fitted
    to the width with the header repeated; bureau-only fields (events, conduct) left out."""
    wb = load_workbook(blank)
    assert wb.sheetnames == ["说明", "基本情况", "知识产权", "财务", "管理与培训", "合规与信用", "荣誉", OPTIONS, INFO]
    assert wb[OPTIONS].sheet_state == wb[INFO].sheet_state == "hidden"
    assert wb.defined_names[VERSION_NAME].attr_text == '"4"' and wb[INFO]["B2"].value == "4"
    keys = {c.value for ws in wb.worksheets[1:7] for c in ws["A"] if c.value}
    assert not any(str(k).startswith(("events", "conduct", "table:events", "table:conduct")) for k in keys)
    basic = wb["基本情况"]
    row = next(c.row for c in basic["A"] if c.value == "uscc")
    assert basic.cell(row, 2).value == "* 统一社会信用代码" and "GB 32100" in basic.cell(row, 2).comment.text
    assert basic.cell(row, 3).number_format == "@"
    rules = {str(dv.sqref): dv for dv in basic.data_validations.dataValidation}
    category = rules[f"C{next(c.row for c in basic['A'] if c.value == 'category')}"]
    assert category.type == "list" and category.formula1.startswith(f"'{OPTIONS}'!")
    labels = [c.value for c in wb[OPTIONS][category.formula1.split("!")[1].split(":")[0].replace("$", "")[0]] if c.value]
    assert labels == ["知识产权优势企业", "储备企业"]
    assert rules[f"C{next(c.row for c in basic['A'] if c.value == 'established')}"].type == "date"
    money = wb["财务"].data_validations.dataValidation
    assert {dv.type for dv in money} == {"whole"} and all("整数" in dv.error for dv in money)
    ip = wb["知识产权"]
    assert ip.column_dimensions["B"].number_format == "@"  # patent and trademark numbers stay text in every row
    for ws in wb.worksheets[:7]:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["财务"].print_title_rows and wb["基本情况"].print_title_rows == "$1:$2"


def test_a_field_added_to_the_schema_appears_with_no_code_change(tmp_path: Path) -> None:
    """A copied schema with a new integer field and a new enumeration: the form has them, validated, on their part."""
    schema = copy.deepcopy(load_schema())
    schema["properties"]["employees"] = {"title": "从业人数", "description": "年末从业人数。", "type": "integer",
                                         "minimum": 0, "maximum": 1000000, "x-part": "管理与培训"}
    schema["properties"]["scale"] = {"title": "企业规模", "description": "大型、中型、小型或微型。", "type": "string",
                                     "enum": ["large", "medium", "small", "micro"], "x-part": "基本情况"}
    path = tmp_path / "new.xlsx"
    path.write_bytes(build(form_of(schema)))
    wb = load_workbook(path)
    manage = wb["管理与培训"]
    row = next(c.row for c in manage["A"] if c.value == "employees")
    assert manage.cell(row, 2).value == "从业人数" and manage.cell(row, 2).comment.text == "年末从业人数。"
    assert any(dv.type == "whole" and f"C{row}" == str(dv.sqref) for dv in manage.data_validations.dataValidation)
    assert "large" in [c.value for col in wb[OPTIONS].iter_cols() for c in col]  # no label yet: the code itself
    filled = fill(path, tmp_path / "filled.xlsx", {**GOOD, "employees": 120, "scale": "small"})
    assert read(filled, form_of(schema)).data["employees"] == 120


def test_filled_imported_checks_clean_and_a_second_import_changes_nothing(blank: Path, tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = _registry(tmp_path)
    book = fill(blank, tmp_path / "filled.xlsx", gaps=2)  # blank rows between the items are skipped
    code, out = _import(repo, book, capsys, dry_run=True)
    assert code == 0 and "试运行" in out, out
    assert list((repo / "records").iterdir()) == []  # --dry-run writes nothing
    code, out = _import(repo, book, capsys)
    assert code == 0 and "已新建" in out and "错误" not in out, out
    record = repo / "records" / f"{USCC}.yaml"
    text = record.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/enterprise.schema.json\n")
    assert "  - date: 2025-06-10\n    type: applied" in text and "revenue: 5000000" in text
    assert "# 统一社会信用代码，须与文件名一致" in text and text.count("- number:") == 3
    from generator.loader import load_text
    from generator.policy import load_policy
    from generator.registry import build_registry

    registry = build_registry([load_text(text, f"records/{USCC}.yaml")], load_policy(repo / "policy.yml"), date.fromisoformat(TODAY))
    assert registry.errors == 0 and registry.warnings == 0, registry.findings
    code, out = _import(repo, book, capsys)
    assert code == 0 and "没有变化" in out and record.read_text(encoding="utf-8") == text


def test_a_known_record_keeps_what_the_bureau_wrote(blank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A corrected workbook for the same application: the workbook's fields replace the record's, the bureau's own
    (conduct, events) stay, no second applied event."""
    repo = _registry(tmp_path)
    _import(repo, fill(blank, tmp_path / "filled.xlsx"), capsys)
    record = repo / "records" / f"{USCC}.yaml"
    conduct = "conduct:\n  infringements: []\n  abnormal_patent_applications: []\n  dishonesty: []\n"
    record.write_text(record.read_text(encoding="utf-8").replace("events:\n", conduct + "events:\n"), encoding="utf-8")
    code, out = _import(repo, fill(blank, tmp_path / "again.xlsx", {**GOOD, "ip_management.budget": 300000}), capsys)
    text = record.read_text(encoding="utf-8")
    assert code == 0 and "已更新" in out and "budget: 300000" in text and "  dishonesty: []" in text, out
    assert text.count("type: applied") == 1


# (field key or (table, item, column), value typed, the cell's words): typical mistakes, the table of docs/checks.md
MISTAKES: list[tuple[Any, Any, str]] = [
    ("name", None, "企业名称是必填项"),
    ("established", "2015.3.1", "请填写 2015-03-01"),
    ("legal_person", "对", "应选择“是”或“否”"),
    ("industry.code", "35", "格式不对：应为门类字母加两位大类代码"),
    ("website", "www.example.com", "应以 http:// 或 https:// 开头"),
    ("category", "优势企业", "不是可选的值（可选：知识产权优势企业、储备企业）"),
    ("industry_standing.scope", "全县", "不是可选的值"),
    ("ip_management.managers", "3人", "应为整数"),
    ("ip_management.budget", "20万元", "请填写 200000"),
    ("ip_management.standard.since", "2023-02-30", "不是日历上的日期"),
    ("compliance.environmental", "符合", "应选择“是”或“否”"),
    (("patents", 0, 0), "ZL2020105660889", "专利申请号 ZL2020105660889 格式不对"),
    (("patents", 1, 0), "202010566088.8", "校验位应为 9，实为 8"),
    (("patents", 1, 1), "发明专利", "不是可选的值（可选：发明、实用新型、外观设计）"),
    (("patents", 1, 3), "2022年4月12日", "请填写 2022-04-12"),
    (("patents", 2, 2), None, "缺少“专利名称”"),
    (("patents", 3, 0), 202322865413.3, "应按证书原样以文本填写"),
    (("trademarks", 0, 0), "第12345678号", "不写“第”“号”"),
    (("trademarks", 0, 2), 50, "应在 1 至 45 之间"),
    (("trademarks", 1, 2), "第7类", "应为整数"),
    (("finance", 0, 0), "2024年", "年度应为整数"),
    (("finance", 0, 1), "500万元", "不写“万”“元”等单位：请填写 5000000"),
    (("finance", 1, 1), 5000000.5, "营业收入应为整数"),
    (("finance", 1, 2), -1, "应在 0 至"),
    (("training", 0, 3), "约100人", "应为整数"),
    (("honors", 0, 0), "市级专精特新", "不是可选的值"),
    (("honors", 0, 2), "去年", "应为日期"),
    (("main_products", 0, 0), "=B1", "是公式，但工作簿中没有保存计算结果"),
    ("ip_management.standard.version", "2023版", "不是可选的值（可选：2013、2023）"),
    (("trademarks", 1, 4), "长期", "有效期至应为日期"),
]


def _mistaken(blank: Path, out: Path) -> Path:
    fields = dict(GOOD)
    tables = copy.deepcopy(TABLES)
    tables["patents"] += [list(tables["patents"][0]) for _ in range(2)]
    tables["trademarks"].append(["12345679", "测试牌二", 7, date(2019, 5, 14), date(2029, 5, 13)])
    tables["finance"].append([2023, 5000000, 1500000])
    tables["honors"] = [["高新技术企业", "GR202341000123", date(2023, 1, 1)]]
    for at, value, _ in MISTAKES:
        if isinstance(at, str):
            fields[at] = value
        else:
            table, item, column = at
            tables[table][item][column] = value
    return fill(blank, out, fields, tables)


def test_typical_mistakes_each_at_its_cell_cause_first(blank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _registry(tmp_path)
    book = _mistaken(blank, tmp_path / "mistakes.xlsx")
    code, out = _import(repo, book, capsys)
    assert code == 1 and list((repo / "records").iterdir()) == []
    places = where(book)
    lines = out.splitlines()
    for at, _, words in MISTAKES:
        if isinstance(at, str):
            sheet, row = places[at]
            cell = f'工作表"{sheet}"!C{row}'
        else:
            sheet, first = places[at[0]]
            cell = f'工作表"{sheet}"!{"BCDEFGH"[at[2]]}{first + at[1]}'
        assert any(line.startswith(cell + "：") and words in line for line in lines), (cell, words, out)
    assert len(MISTAKES) >= 25 and lines[-1].startswith("申报表有")


def test_cells_as_applicants_type_them(blank: Path, tmp_path: Path) -> None:
    """Full-width digits, thousands separators, no-break spaces, codes in lower case, dates as ISO text, codes or labels of
    an enumeration: read, not reported."""
    fields = {**GOOD, "ip_management.managers": "２", "ip_management.budget": "200,000", "name": "\u00a0西平县测试示例机械有限公司 ",
              "established": "2015-03-01", "category": "advantage", "legal_person": "有"}
    tables = {**TABLES, "patents": [["zl202010566088.9", " 发明 ", "一种脱粒滚筒", date(2022, 4, 12), None, "是"]]}
    filled = read(fill(blank, tmp_path / "typed.xlsx", fields, tables), FORM)
    assert filled.problems == []
    data = filled.data
    assert data["ip_management"]["managers"] == 2 and data["ip_management"]["budget"] == 200000
    assert data["name"] == GOOD["name"] and data["established"] == "2015-03-01" and data["category"] == "advantage"
    assert data["patents"][0]["number"] == "ZL202010566088.9" and data["patents"][0]["type"] == "invention"


def test_a_wrong_check_character_in_the_uscc_stops_at_its_cell(blank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _registry(tmp_path)
    book = fill(blank, tmp_path / "f.xlsx", {**GOOD, "uscc": "91411721MA00000155"})
    code, out = _import(repo, book, capsys)
    assert code == 1 and out.startswith('工作表"基本情况"!C3：') and "校验" in out.splitlines()[0], out
    lower = fill(blank, tmp_path / "g.xlsx", {**GOOD, "uscc": " 91411721ma0000 0154 "})  # spaces and lower case: read
    assert read(lower, FORM).data["uscc"] == USCC


def test_eligibility_findings_are_reported_at_their_cells(blank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Art. 4-6 too: a revenue under the threshold points at the finance cell; the application is still recorded."""
    repo = _registry(tmp_path)
    tables = {**TABLES, "finance": [[2024, 2_000_000, 100_000]]}
    book = fill(blank, tmp_path / "low.xlsx", GOOD, tables)
    code, out = _import(repo, book, capsys)
    sheet, first = where(book)["finance"]
    assert code == 1 and re.search(rf'^工作表"{sheet}"!C{first}：错误：.*第五条第五项', out, re.M), out
    assert (repo / "records" / f"{USCC}.yaml").is_file()


def test_older_and_newer_versions(blank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for version, readable in (("3", True), ("5", False)):
        wb = load_workbook(fill(blank, tmp_path / "v.xlsx"))
        wb[INFO]["B2"] = version
        wb.save(tmp_path / f"v{version}.xlsx")
        if readable:
            assert "第 3 版" in read(tmp_path / "v3.xlsx", FORM).notes[0]
        else:
            with pytest.raises(BadWorkbook, match="结构版本是“5”"):
                read(tmp_path / "v5.xlsx", FORM)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("kind", ["text", "ole", "corrupt", "bomb", "other-workbook", "missing", "broken-sheet"])
def test_bad_files_are_one_sentence(kind: str, blank: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    if kind == "text":
        path.write_text("企业名称,统一社会信用代码\n", encoding="utf-8")
    elif kind == "ole":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)  # what Excel writes for a password-protected file
    elif kind == "corrupt":
        path.write_bytes(blank.read_bytes()[:6000])
    elif kind == "bomb":
        _zip(path, {"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024)})
    elif kind == "other-workbook":
        Workbook().save(path)
    elif kind == "broken-sheet":  # a valid zip whose 基本情况 sheet is cut off in the middle of its XML
        with zipfile.ZipFile(blank) as source:
            members = {name: source.read(name) for name in source.namelist()}
        members["xl/worksheets/sheet2.xml"] = members["xl/worksheets/sheet2.xml"][:3000]
        _zip(path, members)
    with pytest.raises(UsageError) as caught:
        read(path, FORM)
    assert re.search(r"[\u4e00-\u9fff]", str(caught.value)) and "\n" not in str(caught.value)


def test_a_huge_sheet_is_refused(blank: Path, tmp_path: Path) -> None:
    wb = load_workbook(blank)
    sheet = wb["荣誉"]
    for row in range(10, 20_020):
        sheet.cell(row=row, column=2, value="x")
    out = io.BytesIO()
    wb.save(out)
    (tmp_path / "huge.xlsx").write_bytes(out.getvalue())
    with pytest.raises(BadWorkbook, match="超过 20,000 行"):
        read(tmp_path / "huge.xlsx", FORM)


def test_the_schema_marks_what_the_applicant_fills() -> None:
    schema = json.loads((ROOT / "schemas" / "enterprise.schema.json").read_text(encoding="utf-8"))
    for name, spec in schema["properties"].items():
        assert ("x-part" in spec) != (spec.get("x-form") is False), name
        assert spec.get("x-part", schema["x-parts"][0]) in schema["x-parts"]


def test_docs_table_the_mistakes(blank: Path) -> None:
    """docs/checks.md tables every mistake of MISTAKES: the cell in today's form, the value typed, the words shown."""
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = [line for line in text[text.index("## 企业申报表"):].splitlines() if line.startswith("| 工作表")]
    assert len(rows) == len(MISTAKES) >= 30
    places = where(blank)
    for row, (at, value, words) in zip(rows, MISTAKES, strict=True):
        sheet, first = places[at if isinstance(at, str) else at[0]]
        cell = f'工作表"{sheet}"!C{first}' if isinstance(at, str) else f'工作表"{sheet}"!{"BCDEFGH"[at[2]]}{first + at[1]}'
        assert row.startswith(f"| {cell} |") and ("（空）" if value is None else str(value)) in row, row
        assert words.replace("|", "\\|") in row, row
