"""Bureau documents from the records (``ipreg docs``): decision notices, certificates with a QR code, review letters.

Word files (python-docx) laid out after GB/T 9704-2012 《党政机关公文格式》: A4, 版心 156 × 225 mm (top 37 mm, bottom
35 mm, left 28 mm, right 26 mm), body 仿宋 3号 (16 pt) on a fixed 28.95 pt line (22 lines of 28 characters), title
小标宋 2号 (22 pt), the red 发文机关标志 and a red rule under the 发文字号, the 成文日期 in Arabic numerals, page numbers
"— 1 —" in 宋体 4号 (14 pt), outside edge (odd pages right, even pages left). The fonts are named as Chinese government
offices install them; LibreOffice substitutes Noto CJK where they are missing. Every name, code, number and date comes
from the records and policy.yml; nothing is typed twice.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from generator import qr
from generator.dates import period_end
from generator.labels import CATEGORY_ZH, EVENT_ZH
from generator.lifecycle import Status, status, validity_years
from generator.model import Event, Record
from generator.policy import Policy

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
PAGE_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
BODY_PT, TITLE_PT, PAGE_PT, LINE_PT = 16, 22, 14, 28.95


class DocsError(Exception):
    """Why no document was made (Chinese)."""


@dataclass(frozen=True)
class Decided:
    """One enterprise of a decision: its record, the event and its status right after the decision."""

    record: Record
    event: Event
    status: Status


def decision(records: Sequence[tuple[Record, Status]], document: str, policy: Policy) -> list[Decided]:
    """The enterprises whose events carry ``document`` (one date), with their status on the decision day."""
    found = []
    for record, _ in records:
        for event in record.events:
            if event.document and event.document.strip() == document.strip():
                found.append(Decided(record, event, status(record, policy, event.date)))  # right after the decision
    if not found:
        raise DocsError(f"登记簿中没有文号为 {document} 的决定：请先用 ipreg decide 录入，或核对文号")
    days = sorted({d.event.date for d in found})
    if len(days) > 1:
        raise DocsError(f"文号 {document} 出现在不同日期的事件中（{'、'.join(str(d) for d in days)}）：同一文号只能是一天的决定，请先更正记录")
    return sorted(found, key=lambda d: d.record.uscc)


# --- page and paragraph helpers ------------------------------------------------------------------------------------

def _font(run: Any, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _paragraph(doc: Any, text: str = "", *, size: float = BODY_PT, font: str = BODY_FONT, align: Any = None, indent: bool = False,
               bold: bool = False, color: RGBColor | None = None, space_before: float = 0) -> Any:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT if size <= BODY_PT else size * 1.5)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进两字
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold, color)
    return p


def _field(paragraph: Any, code: str, size: float) -> None:
    run = paragraph.add_run()
    _font(run, PAGE_FONT, size)
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._element.append(element)
        elif text == code:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {code} "
            run._element.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._element.append(t)


def _page_number(footer: Any, align: Any) -> None:
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = align
    _font(p.add_run("— "), PAGE_FONT, PAGE_PT)
    _field(p, "PAGE", PAGE_PT)
    _font(p.add_run(" —"), PAGE_FONT, PAGE_PT)


def new_document(title: str) -> Any:
    """An empty A4 document with GB/T 9704 margins, body style and outside page numbers."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = ""
    doc.core_properties.comments = "由 ipreg 从备案登记簿生成"
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)  # 页码一字线上距版心下边缘约 7 mm
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return doc


def _red_rule(doc: Any) -> None:
    p = _paragraph(doc, size=6)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 7.3.5.3 writes it: 2026年11月20日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _head(doc: Any, policy: Policy, document: str) -> None:
    _paragraph(doc, policy.issuer_mark, size=30, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_before=20)
    _paragraph(doc, "", size=BODY_PT)
    _paragraph(doc, document, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(doc)
    _paragraph(doc, "")


def _signature(doc: Any, policy: Policy, day: date) -> None:
    _paragraph(doc, "")
    _paragraph(doc, policy.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, chinese_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT)


def _table(doc: Any, header: list[str], rows: list[list[str]], widths_mm: Sequence[float]) -> None:
    """A table within the 156 mm 版心: 黑体 header, 仿宋 五号 (10.5 pt) cells, fixed column widths."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), "黑体", 10.5, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)
    for column, width in zip(table.columns, widths_mm):
        for cell in column.cells:
            cell.width = Mm(width)
    for grid, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):  # what LibreOffice reads
        grid.set(qn("w:w"), str(int(Mm(width).twips)))


def _save(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- the documents -------------------------------------------------------------------------------------------------

def _category(decided: Sequence[Decided]) -> str:
    kinds = {d.record.category for d in decided}
    return "知识产权优势企业和储备企业" if len(kinds) > 1 else ("西平县知识产权优势企业" if kinds == {"advantage"} else "西平县知识产权储备企业")


def notice_title(decided: Sequence[Decided]) -> str:
    first, n = decided[0].record.name, len(decided)
    names = first if n == 1 else f"{first}等{n}家企业"
    kinds = {d.event.type for d in decided}
    if kinds == {"filed"}:
        return f"关于确定{names}为{_category(decided)}的通知"
    if kinds <= {"review_passed", "review_failed", "review_absent"}:
        return f"关于{names}知识产权强企复核结果的通知"
    if kinds == {"revoked"}:
        return f"关于取消{names}知识产权强企资格的决定"
    if kinds == {"withdrawn"}:
        return f"关于同意{names}退出知识产权强企的通知"
    return f"关于{names}知识产权强企备案事项的通知"


def notice(decided: Sequence[Decided], document: str, policy: Policy) -> bytes:
    """决定通知: the decision, its legal basis and a table of the enterprises (USCC, category, term, certificate)."""
    day = decided[0].event.date
    title = notice_title(decided)
    doc = new_document(title)
    _head(doc, policy, document)
    _paragraph(doc, title, size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "")
    _paragraph(doc, "各有关企业：")
    kinds = {d.event.type for d in decided}
    basis = f"根据《{policy.name}》"
    if kinds == {"filed"}:
        text = (f"{basis}第四条至第七条，经审核，确定以下 {len(decided)} 家企业为{_category(decided)}，"
                f"有效期{policy.validity_years}年（第八条第一项），自{chinese_date(day)}起计算。")
    elif kinds <= {"review_passed", "review_failed", "review_absent"}:
        text = (f"{basis}第八条，县市场监管局（知识产权局）组织了知识产权强企复核。复核通过的企业有效期重新计算；未通过复核的企业"
                f"在{policy.grace_years}年内保留资格并参与复核，仍未通过或未参加复核的企业从名单中撤销。现将 {len(decided)} 家企业的复核结果通知如下。")
    elif kinds == {"revoked"}:
        text = (f"{basis}第八条第五项，以下 {len(decided)} 家企业经核实，取消其知识产权强企资格，自{chinese_date(day)}起"
                f"{policy.ban_years}年内不得申请知识产权强企备案。")
    elif kinds == {"withdrawn"}:
        text = f"以下 {len(decided)} 家企业申请退出知识产权强企，经研究，同意其自{chinese_date(day)}起退出。"
    else:
        text = f"{basis}，现将以下 {len(decided)} 家企业的备案事项通知如下。"
    _paragraph(doc, text, indent=True)
    _paragraph(doc, "")
    header = ["序号", "企业名称", "统一社会信用代码", "类别", "决定", "有效期或期限", "证书编号"]
    rows = []
    for i, d in enumerate(decided, 1):
        st = d.status
        if d.event.type in ("filed", "review_passed") and st.term_start and st.term_end:
            period = f"{st.term_start} 至 {st.term_end}"
        elif st.grace_until and d.event.type == "review_failed" and st.status == "conditional":
            period = f"保留资格至 {st.grace_until}"
        elif st.ban_until:
            period = f"至 {st.ban_until}（含）不得申请"
        else:
            period = "—"
        rows.append([str(i), d.record.name, d.record.uscc, CATEGORY_ZH[d.record.category],
                     "复核未通过，撤销" if d.event.type == "review_failed" and st.status == "revoked" else EVENT_ZH[d.event.type],
                     period, d.event.certificate or "—"])
    _table(doc, header, rows, (9, 34, 27, 17, 17, 26, 26))
    _signature(doc, policy, day)
    return _save(doc)


def certificates(decided: Sequence[Decided], document: str, policy: Policy, site_url: str) -> bytes:
    """证书 (Art. 8(4)): one page per enterprise with a certificate in the decision, and a QR code to verify it."""
    with_number = [d for d in decided if d.event.certificate]
    if not with_number:
        raise DocsError(f"文号 {document} 的决定中没有证书编号（只有备案和复核通过会颁发证书）")
    doc = new_document(f"知识产权强企证书（{document}）")
    for i, d in enumerate(with_number):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        st, ev = d.status, d.event
        term_end = st.term_end or period_end(ev.date, validity_years(policy, d.record.category))
        _paragraph(doc, "", space_before=30)
        _paragraph(doc, "证　书", size=36, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
        _paragraph(doc, "")
        _paragraph(doc, d.record.name, size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(doc, "")
        _paragraph(doc, f"经审核，你单位被确定为{'西平县知识产权优势企业' if d.record.category == 'advantage' else '西平县知识产权储备企业'}。",
                   indent=True)
        for label, value in (("统一社会信用代码", d.record.uscc), ("证书编号", ev.certificate or ""),
                             ("有效期", f"{chinese_date(st.term_start or ev.date)}至{chinese_date(term_end)}"),
                             ("依据", f"{ev.document or document}")):
            _paragraph(doc, f"{label}：{value}", indent=True)
        _paragraph(doc, "")
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(qr.png(qr.verify_url(site_url, ev.certificate or "", d.record.uscc))), width=Mm(30))
        _paragraph(doc, "扫码核验本证书", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
        _signature(doc, policy, ev.date)
    return _save(doc)


REVIEW_MATERIALS = (
    "知识产权强企复核申请表（加盖企业公章）；",
    "营业执照复印件；",
    "有效专利证书、注册商标证书及著作权登记证书清单和复印件；",
    "上一年度财务报表和专利相关产品、服务收入说明；",
    "知识产权管理制度、专项经费、管理人员及贯彻 GB/T 29490 情况的说明；",
    "上一年度知识产权培训记录；",
    "守法诚信情况说明。",
)


def review_letters(due: Sequence[tuple[Record, Status]], policy: Policy, today: date, document: str | None) -> bytes:
    """复核通知书: one page per enterprise whose term ends soon: what to prepare and by when."""
    if not due:
        raise DocsError("没有即将届满、需要复核的企业")
    doc = new_document("知识产权强企复核通知书")
    for i, (record, st) in enumerate(due):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        assert st.term_end is not None
        submit = st.term_end - timedelta(days=policy.review_submit_days)
        if document:
            _paragraph(doc, document, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(doc, "知识产权强企复核通知书", size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(doc, "")
        _paragraph(doc, f"{record.name}：")
        _paragraph(doc, f"你单位（统一社会信用代码 {record.uscc}）为{CATEGORY_ZH[record.category]}，有效期至{chinese_date(st.term_end)}。"
                        f"根据《{policy.name}》第八条第二项，有效期满后由{policy.issuer}组织复核，复核通过的有效期重新计算。"
                        f"请于{chinese_date(submit)}前提交以下材料：", indent=True)
        for n, item in enumerate(REVIEW_MATERIALS, 1):
            _paragraph(doc, f"{n}. {item}", indent=True)
        _paragraph(doc, f"未通过复核的，在{policy.grace_years}年内保留资格并参与复核；仍未通过或未参加复核的，从名单中撤销（第八条第三项）。",
                   indent=True)
        _signature(doc, policy, today)
    return _save(doc)


def safe_name(text: str, limit: int = 40) -> str:
    """A file name that works on Windows too (no \\ / : * ? " < > |), at most ``limit`` characters (a long 文号 keeps its
    beginning and a short digest, so two long ones still get two names; every file system takes 255 bytes)."""
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text).strip("._") or "文件"
    if len(name) > limit:
        name = f"{name[:limit - 9]}…{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return name


def due_for_review(records: Sequence[tuple[Record, Status]], today: date, within: int) -> list[tuple[Record, Status]]:
    """The listed enterprises whose term ends within ``within`` days of ``today``: who gets a review letter."""
    due = [(r, st) for r, st in records if st.listed and st.status in ("valid", "review_due") and st.term_end
           and 0 <= (st.term_end - today).days <= within]
    return sorted(due, key=lambda x: x[1].term_end or today)


def to_pdf(docx: Path) -> str:
    """Convert with LibreOffice when installed (a private profile, a temporary folder, then a new file next to the
    .docx); what happened, in Chinese."""
    import shutil
    import subprocess
    import tempfile

    from generator.files import Exists, write_new

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return (f"未安装 LibreOffice，只生成了 {docx.name}（用 Word 或 WPS 打开后可另存为 PDF；"
                "Debian：apt-get install libreoffice-writer-nogui fonts-noto-cjk）")
    with tempfile.TemporaryDirectory(prefix="ipreg-pdf-") as tmp:
        try:
            result = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                                     "--outdir", tmp, str(docx)], capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"未能转换 PDF（{exc}），{docx.name} 已生成"
        produced = Path(tmp) / (docx.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            return f"未能转换 PDF（LibreOffice 返回 {result.returncode}），{docx.name} 已生成"
        target = docx.with_suffix(".pdf")
        try:
            write_new(target, produced.read_bytes())
        except Exists:
            return f"未写入 {target.name}：文件已存在，没有覆盖"
    return f"已生成 {target}"
