"""Review letters (Art. 8(2), 信函格式 函, one 文号 each) and the 审核表 (Art. 7, one per applicant) from the records
(``ipreg docs --kind review-letters`` and ``--kind review-sheet``, ARCHITECTURE.md section 8)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.documents.layout import (
    BODY_FONT,
    HEI_FONT,
    RED,
    TITLE_FONT,
    chinese_date,
    draft_mark,
    new_document,
    paragraph,
    rule,
    save,
    section_property,
    set_font,
    signature,
    title,
)
from generator.documents.notices import DocsError, _measures, cite
from generator.documents.tables import table
from generator.files import SILENT, Progress
from generator.labels import CATEGORY_ZH, STATUS_ZH
from generator.lifecycle import Status
from generator.model import Assessment, Record
from generator.policy import PolicyHistory
from generator.registry import Entry
from generator.rules import ART8_GRACE, ART8_REVIEW, CATALOGUE
from generator.rules.art4 import ART4_PREFERENCE

REVIEW_MATERIALS = (
    "知识产权强企复核申请表（加盖企业公章）；",
    "营业执照复印件；",
    "有效专利证书、注册商标证书及著作权登记证书清单和复印件；",
    "上一年度财务报表和专利相关产品、服务收入说明；",
    "知识产权管理制度、专项经费、管理人员及贯彻《企业知识产权管理规范》情况的说明；",
    "上一年度知识产权培训记录；",
    "守法诚信情况说明。",
)
LETTER_STATUSES = ("valid", "review_due", "under_review", "conditional")


def due_for_review(records: Sequence[tuple[Record, Status]], today: date, within: int) -> list[tuple[Record, Status]]:
    """Who gets a review letter: listed enterprises whose term ends within ``within`` days, and those already 复核中
    or in 保留资格 (they need one most), by the date that matters to them."""
    due = []
    for r, st in records:
        if not st.listed or st.status not in LETTER_STATUSES:
            continue
        if st.status in ("under_review", "conditional") or (st.term_end and 0 <= (st.term_end - today).days <= within):
            due.append((r, st))
    return sorted(due, key=lambda x: (_deadline(x[1]) or today, x[0].uscc))


def _deadline(st: Status) -> date | None:
    return st.grace_until if st.status == "conditional" else (st.review_deadline if st.status == "under_review" else st.term_end)


def submit_by(st: Status, today: date, days: int) -> date:
    """The day materials are due: ``days`` before the term ends, never before the letter's own date (then ``days``
    after it)."""
    wanted = st.term_end - timedelta(days=days) if st.term_end and st.status in ("valid", "review_due") else today + timedelta(days=days)
    return wanted if wanted > today else today + timedelta(days=days)


def numbered(document: str | None, count: int) -> list[str | None]:
    """One 文号 per letter: the number in ``document`` and the next ones (西市监函〔2026〕12号, 13号, ...)."""
    if not document:
        return [None] * count
    match = re.search(r"(\d+)号$", document)
    if match is None:
        raise DocsError(f"文号 {document} 不以“数字号”结尾，无法为每封函编号：请写作 西市监函〔2026〕12号 这样的文号")
    first = int(match[1])
    return [document[: match.start(1)] + f"{first + i}号" for i in range(count)]


def _letter(doc: Any, organ: str, first: bool) -> None:
    """A new letter in 信函格式 (GB/T 9704 10.1), a section of its own: on its first page the organ's name in red 小标宋
    with its top 30 mm from the top edge of the paper and a red double rule (thick over thin) under it, a red double
    rule (thin over thick) 20 mm above the bottom edge, and no page number; page numbers from 1 on the pages after."""
    section = doc.sections[0] if first else doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = True
    section.header_distance, section.footer_distance = Mm(27), Mm(20)  # the name's glyphs start 3 mm under the header's top
    header = section.first_page_header
    header.is_linked_to_previous = False
    name = header.paragraphs[0]
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(name.add_run(organ), TITLE_FONT, 26, color=RED)
    rule(name, "bottom", 18, "E60012", space=4, style="thickThinSmallGap")
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    bottom = footer.paragraphs[0]
    bottom.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    bottom.paragraph_format.line_spacing = Pt(1)  # an empty line of 1 pt: the rule sits 20 mm above the bottom edge
    rule(bottom, "top", 18, "E60012", space=1, style="thickThinSmallGap")  # as LibreOffice draws a top border: thin over thick
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section_property(section, numbering, ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
                                          "w:bidi", "w:rtlGutter", "w:docGrid"))


def review_letters(due: Sequence[tuple[Record, Status]], history: PolicyHistory, today: date, document: str | None,
                   draft: str = "", progress: Progress = SILENT) -> bytes:
    """复核通知函: one letter per enterprise (its own 文号 when ``document`` is given): its status, what to prepare, by
    when (never before the letter's date), where and whom to ask; a 样稿 on every page when ``draft`` says why."""
    if not due:
        raise DocsError("没有即将届满、复核中或保留资格、需要复核的企业")
    policy = history.on(today)  # the letters cite the values in force on their date
    office = policy.documents
    first, short = _measures(history, today)
    doc = new_document("知识产权强企复核通知函")
    letters = list(zip(due, numbered(document, len(due)), strict=True))
    for i, ((record, st), number) in enumerate(progress.each("正在生成复核通知函", letters)):
        _letter(doc, office.organ, first=i == 0)
        if draft:
            draft_mark(doc.sections[-1], draft)
        if number:
            paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.RIGHT)  # flush right under the rule
        title(doc, f"关于{record.name}参加知识产权强企复核的函")
        paragraph(doc, f"{record.name}：")
        deadline = submit_by(st, today, policy.review_submit_days)
        if st.status == "under_review":
            state = f"有效期已于{chinese_date(st.term_end)}届满，正在复核中" if st.term_end else "正在复核中"
        elif st.status == "conditional":
            state = f"上次复核未通过，保留资格至{chinese_date(st.grace_until)}" if st.grace_until else "上次复核未通过，在保留资格期内"
        else:
            state = f"有效期至{chinese_date(st.term_end)}" if st.term_end else "即将届满"
        review, grace = cite(history, ART8_REVIEW, today), cite(history, ART8_GRACE, today)
        body = [
            f"你单位（统一社会信用代码：{record.uscc}）为{office.county}{CATEGORY_ZH[record.term_category(on=today)]}，{state}。根据{first}{review}的规定，"
            f"有效期满后由我局组织复核，复核通过的，有效期重新计算。请于{chinese_date(deadline)}前向我局提交以下材料：",
            *(f"{n}. {item}" for n, item in enumerate(REVIEW_MATERIALS, 1)),
            f"依照{short}{grace}的规定，未通过复核的，在{policy.grace_years}年内保留资格并参与复核；仍未通过或未参加复核的，"
            "从名单中撤销。",
            "联系人：" + "，".join(x for x in (office.office, f"电话 {office.phone}" if office.phone else "",
                                           f"地址 {office.address}" if office.address else "") if x) + "。",
        ]
        paragraphs = [paragraph(doc, text, indent=True) for text in body]
        signature(doc, paragraphs[-1:], office.organ, today)
    return save(doc)


def review_sheet(entries: Sequence[Entry], policy: PolicyHistory, today: date) -> bytes:
    """审核表 (Art. 7): for each pending applicant, every condition of Art. 4-6 with the record's figures and the rule's
    result, the Art. 4(5) preference factors, and a box for 审核意见 and signatures, on one or two pages. Each applicant
    is a section of its own whose pages carry its name at the top; no page numbers (numbers restarting at 1 make
    LibreOffice insert blank pages); not a 公文, so lines keep their own height (no 22-line grid)."""
    pending = [e for e in entries if e.record is not None and e.status is not None and e.status.status == "pending"]
    if not pending:
        raise DocsError("登记簿中没有申报中的企业（审核表只为申报中的企业生成）")
    doc = new_document(f"知识产权强企备案审核表（{today}）", numbered=False)
    first = doc.sections[0]
    for grid in first._sectPr.findall(qn("w:docGrid")):
        first._sectPr.remove(grid)
    for i, entry in enumerate(pending):
        assert entry.record is not None
        section = doc.add_section(WD_SECTION.NEW_PAGE) if i else first
        section.header.is_linked_to_previous = False
        running = section.header.paragraphs[0]
        running.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_font(running.add_run(f"知识产权强企备案审核表：{entry.record.name}（{entry.record.uscc}）"), BODY_FONT, 9)
        _sheet(doc, entry, policy, today)
    return save(doc)


_RESULT = {True: "符合", False: "不符合", None: "—"}
SHEET_PT = 10.0  # the sheet's text: between 五号 and 小五
OPINION_MM = 45  # the height of the box for 审核意见
OPINION_CHARS, OPINION_LINE_PT = 29, 20  # a recorded opinion: characters of 小四 (12 pt) per line of the box, its line pitch


def _sheet(doc: Any, entry: Entry, policy: PolicyHistory, today: date) -> None:
    record = entry.record
    assert record is not None
    on = entry.on or today
    paragraph(doc, "知识产权强企备案审核表", size=22, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, line=36)
    for text in (f"企业名称：{record.name}", f"统一社会信用代码：{record.uscc}",
                 f"申报类别：{CATEGORY_ZH[record.category]}　　申报日期：{chinese_date(on)}"):
        paragraph(doc, text, size=12, line=20)
    if record.imported_on is not None:  # design section 11: its earlier decisions are imported history
        paragraph(doc, f"{chinese_date(record.imported_on)}及以前的决定是导入的历史决定（来源：{record.imported_source}），"
                  "未按本登记簿复核条件；本次申报按完整记录审查。", size=12, line=20)
    rows = []
    for outcome in entry.outcomes:
        declared = CATALOGUE[outcome.rule]
        if not outcome.rule.startswith(("art4", "art5", "art6")):
            continue
        result = "倾斜因素" if outcome.rule == ART4_PREFERENCE.id and outcome.ok is None else _RESULT[outcome.ok]
        if outcome.ok is False and outcome.effective_severity() != "error":
            result = "需核实"
        rows.append([cite(policy, declared, on), declared.summary.format(**policy.on(on).values()), outcome.message, result])
    table(doc, ["条款", "条件", "记录中的情况", "结果"], rows, (24, 52, 63, 17), whole=(0, 3), size=SHEET_PT,
          padding=0.3)  # twenty-odd rows: the 审核意见 box still on the applicant's second page
    status = STATUS_ZH[entry.status.status] if entry.status else ""
    paragraph(doc, f"（登记簿按 {chinese_date(on)} 核对，当前状态：{status}；“需核实”为提示，由审核人判断。）", size=SHEET_PT, line=18)
    _opinion(doc, assessment_of(record, entry.status.applied if entry.status else None))


def assessment_of(record: Record, applied: date | None) -> Assessment | None:
    """The Art. 7 审核 recorded for the current application (design section 10): on its ``applied`` event (the day
    ``applied``), or on a later ``filed`` of the same cycle; None when nobody has recorded one yet."""
    found = [e for e in record.events if e.type in ("applied", "filed") and applied is not None and e.date >= applied and e.assessment]
    return max(found, key=lambda e: (e.date, e.index)).assessment if found else None


def _opinion(doc: Any, assessment: Assessment | None = None) -> None:
    """The box the reviewers write in: 审核意见 with ``OPINION_MM`` of room, then a line each for the 审核人 and the
    复核人 to sign and date; one row, which never splits, its label on one line. A recorded assessment (Art. 7) is
    printed in it: the opinion at the top of the room, the reviewer's role and the date on the 审核人 line (the
    signature is still by hand); without one the box is blank, to be filled in by hand."""
    box = doc.add_table(rows=1, cols=2)
    box.style = "Table Grid"
    box.autofit = False
    row = box.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = row.cells
    left.width, right.width = Mm(30), Mm(126)
    left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    label = left.paragraphs[0]
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(label.add_run("审核意见"), HEI_FONT, 12)
    room = right.paragraphs[0].paragraph_format
    if assessment is None:
        room.line_spacing_rule, room.line_spacing = WD_LINE_SPACING.EXACTLY, Mm(OPINION_MM)  # the room to write in
    else:
        set_font(right.paragraphs[0].add_run(assessment.opinion), BODY_FONT, 12)
        lines = -(-len(assessment.opinion) // OPINION_CHARS)
        room.line_spacing_rule, room.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(OPINION_LINE_PT)
        room.space_before, room.space_after = Pt(6), Pt(max(6.0, Mm(OPINION_MM).pt - 6 - lines * OPINION_LINE_PT))
    for who in ("审核人", "复核人"):
        signed = right.add_paragraph()
        signed.paragraph_format.line_spacing_rule, signed.paragraph_format.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(30)
        line = f"{who}（签字）：　　　　　　　　　　　年　　月　　日"
        if who == "审核人" and assessment is not None:
            signer, day = f"审核人（{assessment.by}）签字：", chinese_date(assessment.date)
            line = signer + "　" * max(2, OPINION_CHARS - 1 - len(signer) - len(day)) + day
        set_font(signed.add_run(line), BODY_FONT, 12)
    for col, width in zip(box._tbl.tblGrid.findall(qn("w:gridCol")), (30, 126), strict=True):  # what LibreOffice reads
        col.set(qn("w:w"), str(int(Mm(width).twips)))
