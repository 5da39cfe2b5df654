"""ipreg import of a list (design section 11), fast tier: the readers and the plan on in-memory workbooks and CSVs."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.importing import listapply, listfile, listplan, values
from generator.importing.listfile import BadList
from generator.policy import default_policy
from tests.sitekit import make_uscc

TODAY = date(2026, 11, 25)
A, B, C = (make_uscc(f"MA9{i:05d}") for i in range(3))
HEAD = ["序号", "单位名称", "信用代码", "备案类别", "认定日期", "发文字号", "证书号", "联系人电话"]


def _xlsx(tmp_path: Path, rows: list[list[object]], title: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    if title:
        sheet.append(["西平县知识产权强企名单"])
        sheet.append(["2024年12月"])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "名单.xlsx"
    book.save(path)
    return path


def _plan(path: Path, raws: dict[str, bytes] | None = None) -> tuple[list[listapply.Outcome], dict[str, tuple[bytes | None, bytes]]]:
    sheet = listfile.read_list(path)
    rows = listplan.read_rows(sheet, listplan.find_columns(sheet))
    return listapply.plan(rows, raws or {}, "records/", "名单.xlsx", TODAY, default_policy(), TODAY)


def test_the_header_is_found_under_title_rows_by_synonyms_and_unknown_columns_are_reported(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [HEAD, [1, "甲公司", A, "优势企业", datetime(2024, 3, 5), "西市监〔2024〕1号", "西知强企证〔2024〕001号", "张"]])
    sheet = listfile.read_list(path)
    columns = listplan.find_columns(sheet)
    assert columns.header_row == 4
    assert columns.fields == {"name": 1, "uscc": 2, "category": 3, "filed": 4, "document": 5, "certificate": 6}
    assert columns.unknown == ("H 列“联系人电话”",)


@pytest.mark.parametrize(("cell", "expected", "noted"), [
    (datetime(2024, 3, 5), date(2024, 3, 5), False),
    ("2024.3.5", date(2024, 3, 5), True),
    ("2024/3/5", date(2024, 3, 5), True),
    ("2024年3月5日", date(2024, 3, 5), True),
    ("２０２４－０３－０５", date(2024, 3, 5), True),
    (45356, date(2024, 3, 5), True),
    ("45356", date(2024, 3, 5), True),
    ("20240305", date(2024, 3, 5), True),
])
def test_dates_as_clerks_type_them(cell: listfile.Value, expected: date, noted: bool) -> None:
    found, note = values.day(cell)
    assert found == expected and bool(note) == noted


def test_other_cells_as_clerks_type_them() -> None:
    assert values.number("西市监[２０２４]０１号") == ("西市监〔2024〕1号", "“西市监[２０２４]０１号”读作 西市监〔2024〕1号")
    for written in ("西市监(2024)1号", "西市监【2024】1号", "西市监（2024）1号", "西市监〔2024〕1号 "):
        assert values.number(written)[0] == "西市监〔2024〕1号"
    assert values.uscc(" ".join([A[:6], A[6:].lower()]))[0] == A
    assert values.uscc(A)[1] is None
    assert values.text("\u00a0甲 公司\u3000")[0] == "甲公司"
    assert values.number(2024001) == ("2024001", "数字 2024001 读作文字")
    with pytest.raises(values.CellError, match="数字"):
        values.uscc(9.14117e17)
    with pytest.raises(values.CellError, match="不是日期"):
        values.day("去年")


def test_new_records_and_normalisations_listed(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [HEAD, [1, " 甲公司", A.lower(), "优势企业", "2024.3.5", "西市监[2024]01号", "西知强企证〔2024〕001号", ""],
                            [2, "乙公司", B, "储备", datetime(2024, 3, 5), "西市监〔2024〕1号", "", ""]])
    outcomes, files = _plan(path)
    assert [o.kind for o in outcomes] == ["new", "new"]
    text = files[f"records/{A}.yaml"][1].decode()
    assert '"on": 2026-11-25' in text and "document: \"西市监〔2024〕1号\"" in text and "category: advantage" in text
    notes = outcomes[0].row.notes
    assert any(n.startswith("名单!C5：") for n in notes) and any(n.startswith("名单!E5：") for n in notes)


def test_a_row_per_decision_appends_to_one_record(tmp_path: Path) -> None:
    head = ["企业名称", "统一社会信用代码", "类别", "决定", "日期", "文号"]
    path = _xlsx(tmp_path, [head, ["甲公司", A, "优势企业", "备案", "2021-03-05", "西市监〔2021〕3号"],
                            ["甲公司", A, "", "复核通过", "2024-03-01", "西市监〔2024〕9号"]], title=False)
    outcomes, files = _plan(path)
    assert [o.kind for o in outcomes] == ["new", "appended"]
    assert files[f"records/{A}.yaml"][1].decode().count("  - date:") == 2


def test_contradictions_are_errors_at_their_cells_and_nothing_is_written(tmp_path: Path) -> None:
    known = (f'uscc: "{B}"\nname: 乙公司\ncategory: advantage\nimported:\n  source: 旧\n  "on": 2025-01-01\nevents:\n'
             "  - date: 2024-03-05\n    type: filed\n    certificate: 西知强企证〔2024〕007号\n").encode()
    path = _xlsx(tmp_path, [HEAD, [1, "甲公司", A, "优势企业", "2024-03-05", "", "西知强企证〔2024〕7号", ""],
                            [2, "丙公司", B, "优势企业", "2024-03-05", "", "", ""],
                            [3, "丁公司", C, "优势企业", "2024-03-05", "", "", ""]])
    outcomes, files = _plan(path, {f"records/{B}.yaml": known})
    assert files == {}
    assert [(o.kind, o.cell) for o in outcomes][:2] == [("error", "名单!G5"), ("error", "名单!B6")]
    assert "已属于另一家企业" in outcomes[0].messages[0] and "乙公司" in outcomes[1].messages[0]


def test_a_decision_the_lifecycle_refuses_is_an_error_at_its_cell(tmp_path: Path) -> None:
    head = ["企业名称", "统一社会信用代码", "类别", "决定", "日期"]
    path = _xlsx(tmp_path, [head, ["甲公司", A, "优势企业", "复核通过", "2024-03-05"]], title=False)
    outcomes, files = _plan(path)
    assert files == {} and outcomes[0].kind == "error"
    assert any(m.startswith("名单!D2：") and "review_passed" in m for m in outcomes[0].messages)  # the 决定 cell


def test_gb18030_csv_is_detected_and_said(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(f"企业名称,统一社会信用代码,类别,备案日期\n甲公司,{A},优势企业,2024-3-5\n".encode("gb18030"))
    sheet = listfile.read_list(path)
    assert sheet.encoding and "GB18030" in sheet.encoding and sheet.rows[1][0] == "甲公司"
    path.write_bytes(b"\xef\xbb\xbf" + f"企业名称,统一社会信用代码,类别,备案日期\n甲公司,{A},优势企业,2024-3-5\n".encode())
    assert listfile.read_list(path).encoding == "UTF-8（带 BOM）"


def test_bad_files_are_refused_in_chinese(tmp_path: Path) -> None:
    text = tmp_path / "a.xlsx"
    text.write_text("企业名称,代码\n", encoding="utf-8")
    with pytest.raises(BadList, match="不是 Excel 工作簿"):
        listfile.read_list(text)
    corrupt = tmp_path / "b.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(BadList, match="已损坏"):
        listfile.read_list(corrupt)
    encrypted = tmp_path / "c.xlsx"
    encrypted.write_bytes(listfile.OLE + b"\x00" * 100)
    with pytest.raises(BadList, match="密码"):
        listfile.read_list(encrypted)
    bomb = tmp_path / "d.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * 1_000_000
            for _ in range(400):
                member.write(chunk)
    with pytest.raises(BadList, match="压缩炸弹"):
        listfile.read_list(bomb)


def test_merged_headers_and_overlong_sheets_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _xlsx(tmp_path, [["企业名称", "统一社会信用代码", "备案情况", None], ["", "", "备案日期", "文号"],
                            ["甲公司", A, "2024-03-05", "西市监〔2024〕1号"]], title=False)
    with pytest.raises(BadList):
        listplan.find_columns(listfile.read_list(path))
    monkeypatch.setattr(listfile, "MAX_ROWS", 3)
    with pytest.raises(BadList, match="超过 3 行"):
        listfile.read_list(_xlsx(tmp_path, [HEAD] + [[1, "甲", A, "优势企业", "2024-03-05"]] * 3))
    assert io  # the module's readers never need a file name in memory


def _registry(text: str) -> list[tuple[str, str]]:
    from generator.loader import load_bytes
    from generator.registry import build_registry

    reg = build_registry([load_bytes(text.encode(), f"records/{A}.yaml")], default_policy(), TODAY)
    return [(f.severity, f.rule) for f in reg.findings]


MINIMAL = (f'uscc: "{A}"\nname: 甲公司\ncategory: advantage\nimported:\n  source: 2024年名单\n  "on": 2026-01-10\nevents:\n'
           "  - date: 2024-03-05\n    type: filed\n    document: 西市监〔2024〕1号\n")


def test_an_imported_record_with_only_the_lists_columns_checks_with_a_warning_naming_the_first_reviews_needs() -> None:
    found = _registry(MINIMAL)
    assert ("warning", "imported.history") in found and not [f for f in found if f[0] == "error"]


def test_a_decision_after_the_import_needs_the_full_record() -> None:
    later = MINIMAL + "  - date: 2026-03-01\n    type: review_passed\n    document: 西市监〔2026〕3号\n"
    found = _registry(later)
    assert ("error", "imported.incomplete") in found and ("warning", "imported.history") not in found


def test_a_known_record_gets_only_its_missing_decisions_as_added_lines(tmp_path: Path) -> None:
    from tests.helpers import CASES

    raw = (CASES / "valid" / "advantage.yaml").read_bytes()
    code = "91411721MA00000154"
    path = _xlsx(tmp_path, [HEAD[:7], [1, "西平县测试示例机械有限公司", code, "优势企业", "2025-06-10", "西市监〔2025〕31号", ""]])
    outcomes, files = _plan(path, {f"records/{code}.yaml": raw})
    assert [o.kind for o in outcomes] == ["present"] and files == {}
    head = ["企业名称", "统一社会信用代码", "决定", "日期", "文号"]
    path = _xlsx(tmp_path, [head, ["西平县测试示例机械有限公司", code, "退出", "2026.6.1", "西市监〔2026〕5号"]], title=False)
    sheet = listfile.read_list(path)
    rows = listplan.read_rows(sheet, listplan.find_columns(sheet))
    outcomes, files = listapply.plan(rows, {f"records/{code}.yaml": raw}, "records/", "名单", TODAY, default_policy(), TODAY)
    assert [o.kind for o in outcomes] == ["appended"], outcomes[0].messages
    before, after = files[f"records/{code}.yaml"]
    assert before == raw and after.startswith(raw)
    assert after[len(raw):].decode() == "  - date: 2026-06-01\n    type: withdrawn\n    document: 西市监〔2026〕5号\n"


def test_a_row_per_enterprise_with_several_date_columns_and_a_sheet_formatted_to_the_bottom(tmp_path: Path) -> None:
    head = ["企业名称", "统一社会信用代码", "类别", "备案日期", "文号", "复核日期", "复核结果", "复核文号"]
    rows: list[list[object]] = [head, ["甲公司", A, "优势企业", "2021-03-05", "西市监〔2021〕3号", "2024-03-01", "通过",
                                       "西市监〔2024〕9号"]]
    path = _xlsx(tmp_path, rows + [[None] * 8] * 1500 + [["乙公司", B, "优势企业", "2021-03-05"]], title=False)
    outcomes, files = _plan(path)
    assert [o.kind for o in outcomes] == ["new"]  # the sheet ended after 1,000 blank rows
    text = files[f"records/{A}.yaml"][1].decode()
    assert "type: filed" in text and "type: review_passed" in text and "西市监〔2024〕9号" in text


def test_the_review_sheet_says_the_decision_is_imported_history() -> None:
    from docx import Document

    from generator.documents.reviews import review_sheet
    from generator.loader import load_bytes
    from generator.registry import build_registry

    again = MINIMAL + "  - date: 2025-01-01\n    type: withdrawn\n  - date: 2026-03-01\n    type: applied\n"
    reg = build_registry([load_bytes(again.encode(), f"records/{A}.yaml")], default_policy(), TODAY)
    text = "\n".join(p.text for p in Document(io.BytesIO(review_sheet(reg.entries, default_policy(), TODAY))).paragraphs)
    assert "2026年1月10日及以前的决定是导入的历史决定（来源：2024年名单），未按本登记簿复核条件；本次申报按完整记录审查" in text


def test_a_document_number_of_another_day_is_an_error_at_the_document_cell(tmp_path: Path) -> None:
    known = MINIMAL.replace(A, B).replace("甲公司", "乙公司").encode()
    path = _xlsx(tmp_path, [HEAD, [1, "甲公司", A, "优势企业", "2024-04-01", "西市监[2024]1号", "", ""]])
    outcomes, files = _plan(path, {f"records/{B}.yaml": known})
    assert files == {} and outcomes[0].cell == "名单!F5" and "文号" in outcomes[0].messages[0]
