"""``ipreg docs`` and ``ipreg report``: Word files read back with python-docx, QR codes decoded with zxing-cpp,
GB/T 9704 page geometry, the annual workbook opened with openpyxl; bad input gives Chinese errors and writes nothing."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from tests.helpers import ROOT, required, scratch_checkout, tool
from tests.sitekit import ipreg
from tests.test_golden import assert_golden

pytestmark = pytest.mark.slow

TODAY = "2026-11-25"
SITE = "https://ipreg.example.gov.cn/"
REVIEW_DUE, UNDER_REVIEW = "91411721MA45A002XJ", "91411721MA45A0038J"
DOC = "西市监〔2026〕40号"


def decided_registry(target: Path) -> Path:
    """The sample registry with one more decision: two enterprises passed review under DOC on 2026-11-20; the bureau's
    contact filled in (the samples' policy.yml has the example one, which review letters refuse)."""
    folder = scratch_checkout(target)
    policy = folder / "policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("0396-0000000", "0396-6212345")
                      .replace("西平县（请填写办公地址）", "西平县柏城大道88号"), encoding="utf-8")
    result = ipreg(folder, "decide", "--today", TODAY, "--type", "review_passed", "--date", "2026-11-20", "--document", DOC,
                   REVIEW_DUE, UNDER_REVIEW)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return decided_registry(tmp_path_factory.mktemp("docs") / "repo")


def _text(document: object) -> str:
    doc = document
    parts = [p.text for p in doc.paragraphs]  # type: ignore[attr-defined]
    for table in doc.tables:  # type: ignore[attr-defined]
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _docs(repo: Path, out: str, *args: str) -> subprocess.CompletedProcess[str]:
    return ipreg(repo, "docs", "--today", TODAY, "--no-pdf", "-o", out, *args, env={"IPREG_SITE_URL": SITE})


def test_notice_names_every_enterprise_code_number_and_date(repo: Path) -> None:
    result = _docs(repo, "out-notice", "--kind", "notice", "--document", DOC)
    assert result.returncode == 0, result.stderr
    doc = Document(str(repo / "out-notice" / f"{DOC}-通知.docx"))
    text = _text(doc)
    assert "关于2026年度西平县知识产权\n强企复核结果的通知" in text  # a batch title, broken between words
    for expected in ("西平县示例嫘祖丝绸科技有限公司", REVIEW_DUE, "西平县示例牧原饲料有限公司", UNDER_REVIEW, DOC,
                     "2029年11月19日", "2026年11月20日", "西平县市场监督管理局文件", "各有关企业：", "第八条第二项的规定", "我局",
                     "（西市监〔2018〕1号）", "2家企业通过复核", "特此通知。", "附件：2026年度西平县知识产权强企复核结果",
                     "（此件公开发布）", "抄送：西平县人民政府办公室。", "西平县市场监督管理局办公室\t2026年11月20日印发"):
        assert expected in text, expected
    assert "西平县市场监管局（知识产权局）" not in text  # one name for the organ: the 署名 is the 标志's organ
    assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", text)  # no spaces around numbers
    section = doc.sections[0]
    mm = [round(v / Mm(1)) for v in (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]  # A4, GB/T 9704 margins (stored in twips: compared in whole millimetres)
    assert round((section.page_width - section.left_margin - section.right_margin) / Mm(1)) == 156  # 版心 156 × 225 mm
    assert round((section.page_height - section.top_margin - section.bottom_margin) / Mm(1)) == 225
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text and doc.settings.odd_and_even_pages_header_footer


def test_certificates_carry_a_qr_code_that_opens_their_verification(repo: Path) -> None:
    import zxingcpp
    from PIL import Image

    result = _docs(repo, "out-cert", "--kind", "certificates", "--document", DOC)
    assert result.returncode == 0, result.stderr
    doc = Document(str(repo / "out-cert" / f"{DOC}-证书.docx"))
    text = _text(doc)
    assert text.count("知识产权优势企业") >= 2 and text.count("特发此证") == 2 and "2026年11月20日至2029年11月19日" in text
    assert text.count("经复核") == 2 and "经审核" not in text  # renewals
    assert not doc.sections[0].footer.paragraphs or not doc.sections[0].footer.paragraphs[0].text  # no page number
    images = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    decoded = sorted(zxingcpp.read_barcodes(Image.open(io.BytesIO(blob)))[0].text for blob in images)
    from urllib.parse import quote

    expected = [(f"西知强企证〔2026〕00{i}号", uscc) for i, uscc in ((1, REVIEW_DUE), (2, UNDER_REVIEW))]
    assert decoded == sorted(f"{SITE}verify/?cert={quote(n, safe='')}&uscc={uscc}" for n, uscc in expected)


def test_review_letters_say_what_and_by_when(repo: Path) -> None:
    result = _docs(repo, "out-letters", "--kind", "review-letters", "--within", "400", "--document", "西市监函〔2026〕12号")
    assert result.returncode == 0, result.stderr
    text = _text(Document(str(repo / "out-letters" / f"复核通知函-{TODAY}.docx")))
    assert "参加知识产权强企复核的函" in text and "前向我局提交以下材料" in text and "营业执照复印件" in text
    assert "西市监函〔2026〕12号" in text and "西市监函〔2026〕13号" in text  # one 文号 per letter
    assert "联系人：知识产权股，电话 0396-6212345，地址 西平县柏城大道88号。" in text
    for day in re.findall(r"请于(\d+)年(\d+)月(\d+)日前", text):  # never before the letter's own date
        assert date(*map(int, day)) > date.fromisoformat(TODAY)


@pytest.mark.parametrize("args,message", [
    (["--kind", "notice", "--document", "西市监〔2099〕1号"], "没有文号为"),
    (["--kind", "certificates", "--document", "西市监〔2022〕15号"], "记录中没有录入证书编号"),
])
def test_bad_requests_are_chinese_and_write_nothing(repo: Path, args: list[str], message: str) -> None:
    result = _docs(repo, "out-bad", *args)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert not (repo / "out-bad").exists()


def test_a_document_number_on_two_dates_is_refused(tmp_path: Path) -> None:
    folder = scratch_checkout(tmp_path / "repo")
    record = folder / "records" / "91411721MA45A0011T.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("西市监〔2025〕31号", "西市监〔2024〕5号"), encoding="utf-8")
    result = _docs(folder, "out", "--kind", "notice", "--document", "西市监〔2024〕5号")
    assert result.returncode == 1 and "不同日期" in result.stderr and not (folder / "out").exists()


def test_documents_are_never_overwritten(repo: Path) -> None:
    (repo / "out-keep").mkdir()
    mine = repo / "out-keep" / f"{DOC}-通知.docx"
    mine.write_bytes(b"the clerk's edited copy")
    result = _docs(repo, "out-keep", "--kind", "notice", "--document", DOC)
    assert result.returncode == 2 and "没有覆盖" in result.stderr and mine.read_bytes() == b"the clerk's edited copy"


@pytest.mark.office
def test_pdf_through_libreoffice_when_installed(repo: Path) -> None:
    required("LibreOffice (libreoffice-writer-nogui)", tool("soffice"))
    result = ipreg(repo, "docs", "--today", TODAY, "-o", "out-pdf", "--kind", "notice", "--document", DOC, env={"IPREG_SITE_URL": SITE})
    assert result.returncode == 0 and (repo / "out-pdf" / f"{DOC}-通知.pdf").read_bytes().startswith(b"%PDF")


def test_annual_report_workbook(repo: Path) -> None:
    result = ipreg(repo, "report", "--year", "2026", "--today", TODAY, "-o", "stat.xlsx")
    assert result.returncode == 0, result.stderr
    book = load_workbook(repo / "stat.xlsx")
    assert book.sheetnames == ["2026年决定", "按决定类型", "按状态", "按类别", "按行业", "进入名单", "离开名单",
                               "服务台账", "服务按类别", "优先支持按项目", "服务按企业", "每家强企", "日常监管",
                               "备案审核"]  # issue 39: the services, supervision and assessments of the year
    decisions = [[c.value for c in row] for row in book["2026年决定"].iter_rows(min_row=4)]
    assert [datetime(2026, 11, 20), "复核通过", DOC, UNDER_REVIEW, "西平县示例牧原饲料有限公司", "西知强企证〔2026〕002号"] in decisions
    assert book["2026年决定"]["A1"].value == "2026年西平县知识产权强企备案统计（截至2026年11月25日）"
    by_type = {row[0].value: row[1].value for row in book["按决定类型"].iter_rows(min_row=4)}
    assert by_type["复核通过"] >= 2 and by_type["合计"] == sum(v for k, v in by_type.items() if k != "合计")
    statuses = {row[0].value: row[1].value for row in book["按状态"].iter_rows(min_row=4) if row[0].value != "合计"}
    assert statuses["有效"] >= 2 and all(isinstance(n, int) for n in statuses.values())
    bad = ipreg(repo, "report", "--year", "2030", "--today", TODAY)
    assert bad.returncode == 2 and "年份" in bad.stderr


GOLDEN_DOCUMENTS = ROOT / "tests" / "golden" / "documents"


@pytest.mark.parametrize("kind", ["notice", "certificates", "review-letters"])
def test_documents_match_their_golden_files(repo: Path, kind: str) -> None:
    """The Word XML of each document (body, headers and footers), one paragraph per line: a changed word, font, size,
    margin or page-number field shows up as a reviewed diff (UPDATE_GOLDEN=1 rewrites them, never in CI)."""
    args = ["--within", "400"] if kind == "review-letters" else ["--document", DOC]
    result = _docs(repo, f"out-golden-{kind}", "--kind", kind, *args)
    assert result.returncode == 0, result.stderr
    (path,) = (repo / f"out-golden-{kind}").glob("*.docx")
    with zipfile.ZipFile(path) as z:
        parts = sorted(n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n))
        text = "".join(f"=== {n}\n" + re.sub(r"(?=<w:(?:p|tbl|tr|sectPr)[ >])", "\n", z.read(n).decode("utf-8")) + "\n" for n in parts)
    assert_golden(GOLDEN_DOCUMENTS / f"{kind}.xml.txt", text)


def test_a_revocation_is_a_decision_to_the_enterprise_with_facts_ban_and_remedies(repo: Path) -> None:
    result = _docs(repo, "out-revoke", "--kind", "notice", "--document", "西市监[2025]47号")  # square brackets read as 〔〕
    assert result.returncode == 0, result.stderr
    text = _text(Document(str(repo / "out-revoke" / "西市监〔2025〕47号-决定.docx")))
    for expected in ("关于撤销西平县示例", "知识产权强企资格的决定", "2025年9月2日被西平县市场监管局（示例）行政认定侵犯知识产权",
                     "（西市监罚〔2025〕示例3号）", "第八条第五项", "自2025年10月15日起至2028年10月14日（含）", "不得申请知识产权强企备案",
                     "六十日内向西平县人民政府申请行政复议", "六个月内向西平县人民法院提起行政诉讼"):
        assert expected in text.replace("\n", ""), expected
    assert "各有关企业" not in text


def test_review_sheet_lists_every_condition_for_each_applicant(repo: Path) -> None:
    result = _docs(repo, "out-sheet", "--kind", "review-sheet")
    assert result.returncode == 0, result.stderr
    doc = Document(str(repo / "out-sheet" / f"审核表-{TODAY}.docx"))
    text = _text(doc)
    assert "知识产权强企备案审核表" in text and "审核意见" in text and "审核人（签字）" in text
    for article in ("第四条第一项", "第四条第四项", "第四条第五项", "第五条第五项", "第五条第六项"):
        assert article in text, article
    conditions = [t for t in doc.tables if len(t.columns) == 4]
    assert conditions and all(len(t.rows) > 10 for t in conditions)


def test_the_site_address_is_read_from_mkdocs_yml_with_mkdocs_own_tags(tmp_path: Path) -> None:
    """mkdocs.yml through generator.commands.mkdocs_config (no regular expression): ``!ENV`` in both forms, and
    ``!relative`` and ``!!python/name:`` (pymdownx emoji) read as text, never imported; the repository's own file too."""
    from generator.commands import mkdocs_config
    from generator.commands.docs import site_address

    assert site_address(None, {}, ROOT) == "https://ipreg.xiping.invalid/"
    assert site_address(None, {"IPREG_SITE_URL": "https://a.example/x"}, ROOT) == "https://a.example/x/"
    (tmp_path / "mkdocs.yml").write_text(
        "site_url: !ENV [OTHER_URL, IPREG_SITE_URL, 'https://d.example/']\nextra:\n  home: !ENV HOME_DIR\n  here: !relative\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:no.such.module.index\n", encoding="utf-8")
    assert site_address(None, {}, tmp_path) == "https://d.example/"
    assert site_address(None, {"OTHER_URL": "https://o.example"}, tmp_path) == "https://o.example/"
    config = mkdocs_config(tmp_path / "mkdocs.yml", {"HOME_DIR": "/h"})
    assert config["extra"] == {"home": "/h", "here": ""}
    assert config["markdown_extensions"] == [{"pymdownx.emoji": {"emoji_index": "no.such.module.index"}}]
    assert site_address(None, {}, tmp_path / "nowhere") == "https://ipreg.xiping.invalid/"


def test_certificates_are_refused_without_a_site_address_unless_draft(repo: Path) -> None:
    bare = ipreg(repo, "docs", "--today", TODAY, "--no-pdf", "-o", "out-nosite", "--kind", "certificates", "--document", DOC,
                 env={"IPREG_SITE_URL": ""})
    assert bare.returncode == 2 and "站点地址未设置" in bare.stderr and not (repo / "out-nosite").exists()
    draft = ipreg(repo, "docs", "--today", TODAY, "--no-pdf", "-o", "out-draft", "--kind", "certificates", "--document", DOC, "--draft",
                  env={"IPREG_SITE_URL": ""})
    assert draft.returncode == 0, draft.stderr
    doc = Document(str(repo / "out-draft" / f"{DOC}-证书-样稿.docx"))
    assert all("样稿" in s.header.paragraphs[0].text for s in doc.sections)
