"""Bureau documents from the records (``ipreg docs``, ARCHITECTURE.md section 8): the notice of a filing or of review
results (通知, the list as 附件), the decision of a revocation (决定 to the enterprise, with its facts and remedies).
Certificates are in ``certificates``, review letters and the 审核表 in ``reviews``.

Word files (python-docx) laid out after GB/T 9704-2012 (the page: ``docxlayout``). Every name, code, number and date
comes from the records and policy.yml (the measures with their 文号, ``documents`` for the organ); nothing is typed
twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.dates import ONE_DAY, period_end
from generator.documents.layout import (
    attachment,
    attachment_note,
    banner,
    chinese_date,
    new_document,
    page_break,
    paragraph,
    save,
    signature,
    title,
)
from generator.documents.tables import Locate, imprint, table
from generator.errors import NothingWritten
from generator.ids import number_key
from generator.labels import CAUSE_ZH, INFRINGEMENT_KIND_ZH
from generator.lifecycle import REVOCATION_BASIS, Status, held_on, status
from generator.model import TERM_EVENTS, Event, Record
from generator.policy import PolicyHistory
from generator.rules import ART8_GRACE, ART8_REVIEW, PROVISIONS, Rule
from generator.rules.art4 import ART4_JURISDICTION, ART4_LEGAL_PERSON
from generator.rules.art8 import ART8_BAN, ART8_TERM_MISMATCH

REVIEW_RESULTS = {"review_passed", "review_failed", "review_absent"}


class DocsError(NothingWritten):
    """Why no document was made (Chinese)."""


@dataclass(frozen=True)
class Decided:
    """One enterprise of a decision: its record, the event and its status right after the decision."""

    record: Record
    event: Event
    status: Status

    @property
    def category(self) -> str:
        """The category of the term this decision concerns (``Record.term_category``: the event's, never today's)."""
        return self.record.term_category(self.event if self.event.type in TERM_EVENTS else None, self.event.date)


def document_key(document: str) -> str:
    """A 文号 as compared (``ids.number_key``: brackets of any kind, full-width digits, spaces and the serial's leading
    zeros do not count: 西市监[2026]045号 is 西市监〔2026〕45号)."""
    return number_key(document)


def decision(records: Sequence[tuple[Record, Status]], document: str, policy: PolicyHistory) -> list[Decided]:
    """The enterprises whose events carry ``document`` (one date), with their status on the decision day, in the order
    of their certificate numbers (then codes)."""
    found = []
    for record, _ in records:
        for event in record.events:
            if event.document and document_key(event.document) == document_key(document):
                found.append(Decided(record, event, _effective(record, event, policy)))
    if not found:
        raise DocsError(f"登记簿中没有文号为 {document} 的决定：请先用 ipreg decide 录入，或核对文号")
    days = sorted({d.event.date for d in found})
    if len(days) > 1:
        raise DocsError(
            f"文号 {document} 出现在不同日期的事件中（{'、'.join(str(d) for d in days)}）：同一文号只能是一天的决定，请先更正记录"
        )
    return sorted(found, key=lambda d: (_certificate_order(d.event.certificate), d.record.uscc))


def _effective(record: Record, event: Event, policy: PolicyHistory) -> Status:
    """The status right after the decision takes effect: its own day, or the day after the term end for a failure or an
    absence recorded before it (design section 3 v4)."""
    st = status(record, policy, event.date)
    if event.type in ("review_failed", "review_absent") and st.term_end is not None and event.date <= st.term_end:
        st = status(record, policy, st.term_end + ONE_DAY)
    return st


def _certificate_order(number: str | None) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", number or "")) or (10**9,)


def _category_title(decided: Sequence[Decided], county: str) -> str:
    kinds = {d.category for d in decided}
    if len(kinds) > 1:
        return f"{county}知识产权优势企业和储备企业"
    return f"{county}知识产权优势企业" if kinds == {"advantage"} else f"{county}知识产权储备企业"


def _names(decided: Sequence[Decided]) -> str:
    first, n = decided[0].record.name, len(decided)
    return first if n == 1 else f"{first}等{n}家企业"


def notice_title(decided: Sequence[Decided], county: str) -> str:
    """The title as a county bureau writes it: a batch title for a filing or a review, the enterprise for a
    revocation or a withdrawal; ``county`` is policy.yml's (``documents.county``)."""
    kinds = {d.event.type for d in decided}
    year = decided[0].event.date.year
    if kinds == {"filed"}:
        return f"关于公布{year}年度{_category_title(decided, county)}名单的通知"
    if kinds <= REVIEW_RESULTS:
        return f"关于{year}年度{county}知识产权强企复核结果的通知"
    if kinds == {"revoked"}:
        return f"关于撤销{decided[0].record.name}知识产权强企资格的决定"
    if kinds == {"withdrawn"}:
        return f"关于同意{_names(decided)}退出知识产权强企名单的通知"
    return f"关于{_names(decided)}知识产权强企备案事项的通知"


def _measures(history: PolicyHistory, day: date) -> tuple[str, str]:
    """《办法》 as cited the first time (name and 文号 of the version in force on ``day``), and as cited after."""
    version = history.measures_on(day)
    name = version.name if version else history.on(day).name
    number = f"（{version.document}）" if version and version.document else ""
    return f"《{name}》{number}", "《办法》"


def cite(history: PolicyHistory, rule: Rule | str, day: date) -> str:
    """The article that states ``rule`` (a ``Rule`` of the catalogue, or the key of one of its ``PROVISIONS``) in the
    measures' version in force on ``day``: the catalogue's, unless that version renumbered it (policy.yml
    ``measures.articles``, ``Policy.article``). Documents cite no article otherwise."""
    key, article = (rule.id, rule.article) if isinstance(rule, Rule) else (rule, PROVISIONS[rule])
    return history.article(key, day, article) or ""


def _whole(article: str) -> str:
    """The article a cited item belongs to (the 条 of a 条…项)."""
    return article[: article.index("条") + 1]


def _result(d: Decided) -> tuple[str, str]:
    """A review result as the list names it, and the date that goes with it; a removal by its cause (the lifecycle's)."""
    st, kind = d.status, d.event.type
    if kind == "review_passed":
        return "通过复核", chinese_date(st.term_end) if st.term_end else "—"
    if kind == "review_failed" and st.status == "conditional":
        return "未通过，保留资格", chinese_date(st.grace_until) if st.grace_until else "—"
    if kind == "review_absent":
        return "未参加复核，撤销", "—"
    return ("仍未通过，撤销" if st.cause == "review_failed_twice" else "复核未通过，撤销"), "—"


def _review_body(decided: Sequence[Decided], history: PolicyHistory, first: str, short: str, day: date) -> str:
    """The results of a review: how many passed (their terms start again) and were kept for the grace year, and each
    removed enterprise with its cause (未参加复核, 保留资格期内复核仍未通过: the lifecycle's), each with its article
    and item (Art. 8(2), 8(3), through ``cite``)."""
    policy = history.on(day)
    passed = sum(_result(d)[0] == "通过复核" for d in decided)
    kept = sum(_result(d)[0] == "未通过，保留资格" for d in decided)
    review, grace = cite(history, ART8_REVIEW, day), cite(history, ART8_GRACE, day)
    parts = []
    if passed:
        parts.append(f"{passed}家企业通过复核，有效期自{chinese_date(day)}起重新计算")
    if kept:
        parts.append(f"{kept}家企业未通过复核，依照{short}{grace}的规定，在{policy.grace_years}年内保留资格并参与复核")
    causes: dict[str, list[str]] = {}
    for d in decided:
        if d.event.type == "review_absent" or (d.event.type == "review_failed" and d.status.status != "conditional"):
            cause = d.status.cause or ("review_absent" if d.event.type == "review_absent" else "review_failed_twice")
            causes.setdefault(CAUSE_ZH[cause], []).append(d.record.name)
    if causes:
        who = "，".join(f"{'、'.join(names)}{cause}" for cause, names in causes.items())
        parts.append(f"{who}，依照{short}{grace}的规定，从知识产权强企名单中撤销")
    return f"根据{first}{review}的规定，我局组织开展了知识产权强企复核。经复核，" + "；".join(parts) + "。现将复核结果予以公布。"


def notice(decided: Sequence[Decided], document: str, history: PolicyHistory, paginate: Locate | None = None) -> bytes:
    """决定通知 (filing, review results, withdrawal) or 撤销决定, by the kind of the decision's events; ``paginate``
    counts the rendered pages so the 版记 lands on an even page numbered as GB/T 9704 7.5 says."""
    if {d.event.type for d in decided} == {"revoked"}:
        return revocation(decided, document, history, paginate)
    day = decided[0].event.date
    policy = history.on(day)  # the measures' values in force on the decision day
    office = policy.documents
    heading = notice_title(decided, office.county)
    doc = new_document(heading)
    banner(doc, policy.issuer_mark, document)
    title(doc, heading)
    paragraph(doc, "各有关企业：")
    first, short = _measures(history, day)
    kinds = {d.event.type for d in decided}
    year = day.year
    if kinds == {"filed"}:
        conditions = f"{_whole(cite(history, ART4_LEGAL_PERSON, day))}至{_whole(cite(history, ART4_JURISDICTION, day))}"
        body = [f"根据{first}{conditions}的规定，经企业申报、我局审核，确定{_names(decided)}为{year}年度"
                f"{_category_title(decided, office.county)}，现将名单予以公布。"]
        body.append(_term_sentence(decided, history, short, day))
        body.append("请各企业按照" + short + "的要求，健全知识产权管理体系，加强知识产权创造、保护和运用，有效期满后按时参加复核。")
        list_title = f"{year}年度{_category_title(decided, office.county)}名单"
    elif kinds <= REVIEW_RESULTS:
        body = [_review_body(decided, history, first, short, day)]
        list_title = f"{year}年度{office.county}知识产权强企复核结果"
    else:
        body = [f"{_names(decided)}申请退出知识产权强企名单。经研究，同意其自{chinese_date(day)}起退出，不再列入知识产权强企名单。"]
        list_title = "退出知识产权强企名单的企业"
    body.append("特此通知。")
    paragraphs = [paragraph(doc, text, indent=True) for text in body]
    note = attachment_note(doc, [list_title])
    signature(doc, [paragraphs[-1], *note], office.organ, day, "（此件公开发布）" if office.public else None)
    attachment(doc, "附件", list_title)
    _list(doc, decided, kinds)
    imprint(doc, office.cc, office.printer, day, paginate)
    return save(doc)


def _term_sentence(decided: Sequence[Decided], history: PolicyHistory, short: str, day: date) -> str:
    policy = history.on(day)
    categories = {d.category for d in decided}
    parts = []
    if "advantage" in categories:
        parts.append(f"依照{short}{cite(history, ART8_TERM_MISMATCH, day)}的规定，知识产权优势企业有效期为{policy.validity_years}年")
    if "reserve" in categories:
        parts.append(f"储备企业的有效期为{policy.reserve_validity_years}年（{short}未规定储备企业的有效期，按我局备案登记的约定执行）")
    return "；".join(parts) + f"，自{chinese_date(day)}起计算。"


def _list(doc: Any, decided: Sequence[Decided], kinds: set[str]) -> None:
    """The list of the 附件: columns chosen per decision kind so that no code, number or date is broken."""
    mixed = len({d.category for d in decided}) > 1
    if kinds == {"filed"}:
        header = ["序号", "企业名称", "统一社会信用代码", "证书编号", *(["类别"] if mixed else ["有效期至"])]
        rows = [[str(i), d.record.name, d.record.uscc, d.event.certificate or "—",
                 ("优势企业" if d.category == "advantage" else "储备企业") if mixed
                 else (chinese_date(d.status.term_end) if d.status.term_end else "—")]
                for i, d in enumerate(decided, 1)]
        table(doc, header, rows, whole=(2, 3, 4))
    elif kinds <= REVIEW_RESULTS:
        header = ["序号", "企业名称", "统一社会信用代码", "复核结果", "有效期至"]
        rows = [[str(i), d.record.name, d.record.uscc, *_result(d)] for i, d in enumerate(decided, 1)]
        table(doc, header, rows, whole=(2, 3, 4))
    else:
        header = ["序号", "企业名称", "统一社会信用代码", "退出日期"]
        rows = [[str(i), d.record.name, d.record.uscc, chinese_date(d.event.date)] for i, d in enumerate(decided, 1)]
        table(doc, header, rows, whole=(2, 3))


def _violations(record: Record, st: Status, day: date) -> list[tuple[date, str]]:
    """The facts of a revocation on ``day``: the conduct entries dated while the qualification was held and not after
    ``day`` (``lifecycle.held_on``, as ``art8.revocation-basis`` counts them), each with its date, in date order: what
    happened, when, and which authority's document found it."""
    facts = []
    for x in record.infringements:
        if held_on(st.held, x.date, day):
            document = f"（{x.document}）" if x.document else ""
            facts.append((x.date, f"{chinese_date(x.date)}被{x.authority}{INFRINGEMENT_KIND_ZH[x.kind]}认定侵犯知识产权{document}"))
    for y in record.dishonesty:
        if held_on(st.held, y.listed, day):
            facts.append((y.listed, f"{chinese_date(y.listed)}被列入{y.list}"))
    for v in record.violations:
        if held_on(st.held, v.date, day):
            facts.append((v.date, f"{chinese_date(v.date)}，{v.summary}（{v.authority}，{v.document}）"))
    return sorted(facts, key=lambda f: f[0])


def _held_period(st: Status, days: Sequence[date]) -> str:
    """When the facts happened, as the decision states it: in a term (with its dates), in 保留资格 or in 复核中."""
    for kind, spans in (("有效期内", st.terms), ("保留资格期内", st.graces)):
        inside = [(s, e) for s, e in spans if any(s <= d <= e for d in days)]
        if inside:
            return f"{kind}（{chinese_date(inside[-1][0])}至{chinese_date(inside[-1][1])}）"
    return "有效期届满后的复核期间（资格仍然保留）"


def revocation(decided: Sequence[Decided], document: str, history: PolicyHistory, paginate: Locate | None = None) -> bytes:
    """撤销决定 (Art. 8(5)): one 决定 per enterprise, addressed to it, with the facts, the article, the ban with its
    last day and the remedies (行政复议 within 60 days, 行政诉讼 within 6 months)."""
    day = decided[0].event.date
    policy = history.on(day)
    office = policy.documents
    doc = new_document(notice_title(decided, office.county))
    first, short = _measures(history, day)
    for i, d in enumerate(decided):
        if i:
            page_break(doc)
        st = d.status
        banner(doc, policy.issuer_mark, document)
        title(doc, f"关于撤销{d.record.name}知识产权强企资格的决定")
        paragraph(doc, f"{d.record.name}：")
        facts = _violations(d.record, st, day)
        if not facts:  # design section 3 v4: never an empty facts paragraph
            raise DocsError(f"{d.record.file}：{REVOCATION_BASIS}；没有生成撤销决定")
        what, period = "；".join(f for _, f in facts), _held_period(st, [day_ for day_, _ in facts])
        body = [
            f"经核实，你单位（统一社会信用代码：{d.record.uscc}）{what}。上述行为发生在你单位知识产权强企{period}，"
            f"属于{first}{cite(history, ART8_BAN, day)}规定的重大违法违规行为。",
            f"依照{short}{cite(history, ART8_BAN, day)}的规定，我局决定撤销你单位知识产权强企资格。自{chinese_date(day)}起至"
            f"{chinese_date(st.ban_until) if st.ban_until else chinese_date(period_end(day, policy.ban_years))}（含），"
            "你单位不得申请知识产权强企备案。",
            f"如不服本决定，可以自知道本决定之日起六十日内向{office.reconsideration}申请行政复议，"
            f"或者自知道本决定之日起六个月内向{office.court}提起行政诉讼。",
        ]
        paragraphs = [paragraph(doc, text, indent=True) for text in body]
        signature(doc, paragraphs[-1:], office.organ, day, "（此件公开发布）" if office.public else None)  # 附注 (7.3.6)
    imprint(doc, office.cc, office.printer, day, paginate)
    return save(doc)


def safe_name(text: str, limit: int = 40) -> str:
    """A file name that works on Windows too (no \\ / : * ? " < > |), at most ``limit`` characters (a long 文号 keeps its
    beginning and a short digest, so two long ones still get two names; every file system takes 255 bytes)."""
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text).strip("._") or "文件"
    if len(name) > limit:
        name = f"{name[: limit - 9]}…{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return name

