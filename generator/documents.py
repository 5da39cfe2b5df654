"""Bureau documents from the records (``ipreg docs``): decision notices, certificates with a QR code, review letters.

Word files (python-docx) laid out after GB/T 9704-2012 《党政机关公文格式》 (the page: ``docxlayout``). Every name,
code, number and date comes from the records and policy.yml; nothing is typed twice.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm

from generator import qr
from generator.dates import period_end
from generator.docxlayout import RED, TITLE_FONT, TITLE_PT, chinese_date, head, new_document, paragraph, save, signature, table
from generator.labels import CATEGORY_ZH, EVENT_ZH
from generator.lifecycle import Status, status, validity_years
from generator.model import Event, Record
from generator.policy import Policy


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
        raise DocsError(
            f"文号 {document} 出现在不同日期的事件中（{'、'.join(str(d) for d in days)}）：同一文号只能是一天的决定，请先更正记录"
        )
    return sorted(found, key=lambda d: d.record.uscc)


# --- page and paragraph helpers ------------------------------------------------------------------------------------


# --- the documents -------------------------------------------------------------------------------------------------


def _category(decided: Sequence[Decided]) -> str:
    kinds = {d.record.category for d in decided}
    return (
        "知识产权优势企业和储备企业"
        if len(kinds) > 1
        else ("西平县知识产权优势企业" if kinds == {"advantage"} else "西平县知识产权储备企业")
    )


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
    policy = policy.on(day)  # the measures' values in force on the decision day
    title = notice_title(decided)
    doc = new_document(title)
    head(doc, policy, document)
    paragraph(doc, title, size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, "")
    paragraph(doc, "各有关企业：")
    kinds = {d.event.type for d in decided}
    basis = f"根据《{policy.name}》"
    if kinds == {"filed"}:
        text = (
            f"{basis}第四条至第七条，经审核，确定以下 {len(decided)} 家企业为{_category(decided)}，"
            f"有效期{policy.validity_years}年（第八条第一项），自{chinese_date(day)}起计算。"
        )
    elif kinds <= {"review_passed", "review_failed", "review_absent"}:
        text = (
            f"{basis}第八条，县市场监管局（知识产权局）组织了知识产权强企复核。复核通过的企业有效期重新计算；未通过复核的企业"
            f"在{policy.grace_years}年内保留资格并参与复核，仍未通过或未参加复核的企业从名单中撤销。"
            f"现将 {len(decided)} 家企业的复核结果通知如下。"
        )
    elif kinds == {"revoked"}:
        text = (
            f"{basis}第八条第五项，以下 {len(decided)} 家企业经核实，取消其知识产权强企资格，自{chinese_date(day)}起"
            f"{policy.ban_years}年内不得申请知识产权强企备案。"
        )
    elif kinds == {"withdrawn"}:
        text = f"以下 {len(decided)} 家企业申请退出知识产权强企，经研究，同意其自{chinese_date(day)}起退出。"
    else:
        text = f"{basis}，现将以下 {len(decided)} 家企业的备案事项通知如下。"
    paragraph(doc, text, indent=True)
    paragraph(doc, "")
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
        rows.append(
            [
                str(i),
                d.record.name,
                d.record.uscc,
                CATEGORY_ZH[d.record.category],
                "复核未通过，撤销" if d.event.type == "review_failed" and st.status == "revoked" else EVENT_ZH[d.event.type],
                period,
                d.event.certificate or "—",
            ]
        )
    table(doc, header, rows, (9, 34, 27, 17, 17, 26, 26))
    signature(doc, policy, day)
    return save(doc)


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
        term_end = st.term_end or period_end(ev.date, validity_years(policy.on(ev.date), d.record.category))
        paragraph(doc, "", space_before=30)
        paragraph(doc, "证　书", size=36, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
        paragraph(doc, "")
        paragraph(doc, d.record.name, size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(doc, "")
        paragraph(
            doc,
            f"经审核，你单位被确定为{'西平县知识产权优势企业' if d.record.category == 'advantage' else '西平县知识产权储备企业'}。",
            indent=True,
        )
        for label, value in (
            ("统一社会信用代码", d.record.uscc),
            ("证书编号", ev.certificate or ""),
            ("有效期", f"{chinese_date(st.term_start or ev.date)}至{chinese_date(term_end)}"),
            ("依据", f"{ev.document or document}"),
        ):
            paragraph(doc, f"{label}：{value}", indent=True)
        paragraph(doc, "")
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(qr.png(qr.verify_url(site_url, ev.certificate or "", d.record.uscc))), width=Mm(30))
        paragraph(doc, "扫码核验本证书", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
        signature(doc, policy, ev.date)
    return save(doc)


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
    policy = policy.on(today)  # the letters cite the values in force on their date
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
            paragraph(doc, document, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph(doc, "知识产权强企复核通知书", size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(doc, "")
        paragraph(doc, f"{record.name}：")
        paragraph(
            doc,
            f"你单位（统一社会信用代码 {record.uscc}）为{CATEGORY_ZH[record.category]}，有效期至{chinese_date(st.term_end)}。"
            f"根据《{policy.name}》第八条第二项，有效期满后由{policy.issuer}组织复核，复核通过的有效期重新计算。"
            f"请于{chinese_date(submit)}前提交以下材料：",
            indent=True,
        )
        for n, item in enumerate(REVIEW_MATERIALS, 1):
            paragraph(doc, f"{n}. {item}", indent=True)
        paragraph(
            doc,
            f"未通过复核的，在{policy.grace_years}年内保留资格并参与复核；仍未通过或未参加复核的，从名单中撤销（第八条第三项）。",
            indent=True,
        )
        signature(doc, policy, today)
    return save(doc)


def safe_name(text: str, limit: int = 40) -> str:
    """A file name that works on Windows too (no \\ / : * ? " < > |), at most ``limit`` characters (a long 文号 keeps its
    beginning and a short digest, so two long ones still get two names; every file system takes 255 bytes)."""
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text).strip("._") or "文件"
    if len(name) > limit:
        name = f"{name[: limit - 9]}…{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return name


def due_for_review(records: Sequence[tuple[Record, Status]], today: date, within: int) -> list[tuple[Record, Status]]:
    """The listed enterprises whose term ends within ``within`` days of ``today``: who gets a review letter."""
    due = [
        (r, st)
        for r, st in records
        if st.listed and st.status in ("valid", "review_due") and st.term_end and 0 <= (st.term_end - today).days <= within
    ]
    return sorted(due, key=lambda x: x[1].term_end or today)


