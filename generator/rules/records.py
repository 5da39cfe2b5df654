"""Record-level rules that need no policy: identifiers, file name, event order, consistency.

Identifier checks read the raw data, so they run even when the schema found other problems
in the same file; the rest read the typed Record.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import PurePath
from typing import Any

from generator import ids, industries
from generator.findings import Finding
from generator.lifecycle import Status
from generator.loader import Loaded, PathKey
from generator.model import Record
from generator.rules import (
    DATA_CONSISTENCY,
    EVENTS_APPLIED,
    EVENTS_DOCUMENT,
    EVENTS_FUTURE,
    EVENTS_ORDER,
    FILE_NAME,
    IMPORTED_HISTORY,
    IMPORTED_INCOMPLETE,
    INDUSTRY_CODE,
    INDUSTRY_NAME,
    PATENT_NUMBER,
    SCHEMA,
    USCC_CHECKSUM,
    Rule,
)
from generator.schema import ENTERPRISE_SCHEMA, PLACEHOLDER, dotted, field_schema, load_schema, placeholder_message
from generator.yamltext import CONTROL_VALUE


def _shape(*path: str | int) -> re.Pattern[str]:
    """A field's shape, from the schema (the one source of shapes), anchored at the very end."""
    pattern = str(field_schema(load_schema(ENTERPRISE_SCHEMA), path)["pattern"])
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


_USCC_SHAPE = _shape("uscc")
_PATENT_SHAPE = _shape("patents", 0, "number")
_INDUSTRY_SHAPE = _shape("industry", "code")


def _finding(loaded: Loaded, path: PathKey, rule: Rule, message: str) -> Finding:
    line, col = loaded.positions.at(path)
    return rule.finding(loaded.file, line, col, message)


def identifier_findings(loaded: Loaded) -> Iterator[Finding]:
    """uscc.checksum, file.name and patent.number on whatever well-shaped values are present.

    Malformed shapes are the schema's patterns (reported under the same rule ids there).
    """
    data = loaded.data
    if data is None:
        return
    uscc = data.get("uscc")
    if isinstance(uscc, str) and _USCC_SHAPE.match(uscc):
        problem = ids.uscc_problem(uscc)
        if problem:
            yield _finding(loaded, ("uscc",), USCC_CHECKSUM, problem)
        stem = PurePath(loaded.file).name
        if stem != f"{uscc}.yaml" and not problem:  # a code that fails its check is a typo: never advise renaming the file to it
            yield _finding(loaded, ("uscc",), FILE_NAME, f"文件名应为 {uscc}.yaml（与统一社会信用代码一致），实为 {stem}")
    patents = data.get("patents")
    if isinstance(patents, list):
        for i, patent in enumerate(patents):
            if not isinstance(patent, dict):
                continue
            number, kind = patent.get("number"), patent.get("type")
            if isinstance(number, str) and _PATENT_SHAPE.match(number):
                problem = ids.patent_problem(number, kind if isinstance(kind, str) else None)
                if problem:
                    yield _finding(loaded, ("patents", i, "number"), PATENT_NUMBER, problem)


def industry_findings(loaded: Loaded) -> Iterator[Finding]:
    """industry.code (a division of GB/T 4754-2017, its section letter) and industry.name (that division's name), on a
    well-shaped code (a malformed one is the schema's)."""
    industry = loaded.data.get("industry") if loaded.data is not None else None
    if not isinstance(industry, dict) or not isinstance(industry.get("code"), str) or not _INDUSTRY_SHAPE.match(industry["code"]):
        return
    code, name = industry["code"], industry.get("name")
    problem = industries.code_problem(code)
    if problem:
        yield _finding(loaded, ("industry", "code"), INDUSTRY_CODE, problem)
    elif isinstance(name, str) and name.strip() and not CONTROL_VALUE.search(name):  # an invisible character: its own error
        found = industries.name_problem(code, name)
        if found:
            error, message = found
            line, col = loaded.positions.at(("industry", "name"))
            yield INDUSTRY_NAME.finding(loaded.file, line, col, message, severity=None if error else "warning",
                                        params=(("code", code), ("name", name), ("expected", industries.DIVISIONS[code[1:]])))


def placeholder_findings(loaded: Loaded) -> Iterator[Finding]:
    """Template placeholders (``待填写``) left in text fields that the schema would accept."""
    if loaded.data is None or not any(PLACEHOLDER in raw for _, raw in loaded.positions.texts()):
        return
    stack: list[tuple[PathKey, Any]] = [((), loaded.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
        elif isinstance(value, str) and PLACEHOLDER in value:
            label = field_schema(load_schema(ENTERPRISE_SCHEMA), path).get("title") or dotted(path)
            yield _finding(loaded, path, SCHEMA, placeholder_message(f"{label}（{dotted(path)}）"))


def event_findings(record: Record, status: Status, today: date) -> Iterator[Finding]:
    """events.order (date order, and what the lifecycle replay refused) and events.future."""
    previous: date | None = None
    unordered = False
    for event in record.events:
        at = ("events", event.index, "date")  # its line is looked up only for a finding: most files have none
        if previous is not None and event.date < previous:
            unordered = True
            yield EVENTS_ORDER.finding(record.file, *record.at(*at),
                                       f"事件日期 {event.date} 早于上一个事件 {previous}：事件须按日期从早到晚排列")
        if event.date > today:
            yield EVENTS_FUTURE.finding(record.file, *record.at(*at), f"事件日期 {event.date} 晚于今天（{today}）：只能录入已经发生的决定")
        previous = event.date if previous is None else max(previous, event.date)
    yield from _later_dates(record, today)
    for problem in status.problems:
        if problem.kind == "order" and not unordered:  # with events out of order, the order is the mistake to fix first
            line, col = record.at("events", problem.event_index, "type")
            yield EVENTS_ORDER.finding(record.file, line, col, problem.message)
    future = any(event.date > today for event in record.events)  # a decision dated later is not in force yet: that is the mistake
    if status.status == "pending" and status.applied is None and not future:
        line, col = record.positions.key_at(("events",))
        yield EVENTS_APPLIED.finding(record.file, line, col,
                      "申报中的企业还没有申报日期：请在 events 中录入 type: applied 和申报日期（备案条件按申报日期评估）")


# the dates an event carries besides its own (design section 10): none may be after today, as the event's own
_EVENT_DATES = (("delivered", "证书送达日期"), ("recovered", "证书收回日期"), ("assessment", "审核日期"))


def _later_dates(record: Record, today: date) -> Iterator[Finding]:
    """events.future for a certificate's handing over and taking back and an assessment's date."""
    for event in record.events:
        for field, label in _EVENT_DATES:
            value = getattr(event, field)
            day, path = (value.date, ("events", event.index, field, "date")) if field == "assessment" and value \
                else (value, ("events", event.index, field))
            if day is not None and day > today:
                line, col = record.at(*path)
                yield EVENTS_FUTURE.finding(record.file, line, col, f"{label} {day} 晚于今天（{today}）：只能录入已经发生的事")


@functools.lru_cache(maxsize=16)
def _document_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def document_findings(record: Record, pattern_on: Callable[[date], str]) -> Iterator[Finding]:
    """events.document: a decision's 文号 in the registry's format (``pattern_on(day)``: policy.yml document_pattern
    in force that day), its year that of the decision (a warning when not)."""
    for event in record.events:
        if not event.document:
            continue
        line, col = record.at("events", event.index, "document")
        number = event.document.strip()
        match = _document_pattern(pattern_on(event.date)).fullmatch(number)
        if match is None:
            why = "年份用六角括号〔〕，序号不加“第”和前导 0"
            message = f"文号 {number} 不符合格式“机关代字〔年份〕序号号”（如 西市监〔2026〕12号）：{why}"
            yield EVENTS_DOCUMENT.finding(record.file, line, col, message)
        elif "year" in match.groupdict() and match["year"] and int(match["year"]) != event.date.year:
            message = f"文号 {number} 的年份 {match['year']} 与决定日期 {event.date} 不是同一年：请核对文号和日期"
            yield EVENTS_DOCUMENT.finding(record.file, line, col, message, severity="warning")


def consistency_findings(record: Record) -> Iterator[Finding]:
    """data.consistency: figures and dates that contradict each other within one record."""
    for path, message in _inconsistencies(record):
        line, col = record.at(*path)
        yield DATA_CONSISTENCY.finding(record.file, line, col, message)


def _inconsistencies(rec: Record) -> Iterator[tuple[PathKey, str]]:
    yield from _duplicates(rec)
    for f in rec.finance:
        if f.patent_revenue > f.revenue:
            yield ("finance", f.index, "patent_revenue"), f"{f.year}年专利相关收入 {f.patent_revenue:,} 元大于营业收入 {f.revenue:,} 元"
    for t in rec.training:
        if t.management_rd_trained > t.management_rd_total:
            yield (
                ("training", t.index, "management_rd_trained"),
                f"{t.year}年管理层及研发人员受训 {t.management_rd_trained} 人，多于总数 {t.management_rd_total} 人",
            )
        if t.employees_trained > t.employees_total:
            yield (
                ("training", t.index, "employees_trained"),
                f"{t.year}年员工受训 {t.employees_trained} 人，多于员工总数 {t.employees_total} 人",
            )
        if t.management_rd_total > t.employees_total:
            yield (
                ("training", t.index, "management_rd_total"),
                f"{t.year}年管理层及研发人员 {t.management_rd_total} 人，多于员工总数 {t.employees_total} 人",
            )
    for p in rec.patents:
        parts = ids.patent_parts(p.number)
        if parts is not None and p.granted.year < parts[0]:
            yield ("patents", p.index, "granted"), f"专利 {p.number} 于 {parts[0]} 年申请，授权日 {p.granted} 却更早"
        if p.ended is not None and p.ended < p.granted:
            yield ("patents", p.index, "ended"), f"专利 {p.number} 的终止日 {p.ended} 早于授权日 {p.granted}"
    for m in rec.trademarks:
        if m.expires < m.registered:
            yield ("trademarks", m.index, "expires"), f"商标第 {m.number} 号的有效期至 {m.expires} 早于注册日 {m.registered}"
    for h in rec.honors:
        if h.expires is not None and h.expires < h.awarded:
            yield ("honors", h.index, "expires"), f"称号的有效期至 {h.expires} 早于获得日期 {h.awarded}"
    for d in rec.dishonesty:
        if d.removed is not None and d.removed < d.listed:
            yield ("conduct", "dishonesty", d.index, "removed"), f"移出名单日期 {d.removed} 早于列入日期 {d.listed}"
    for a in rec.abnormal_applications:
        if a.rectified is not None and a.rectified < a.notified:
            yield ("conduct", "abnormal_patent_applications", a.index, "rectified"), f"整改日期 {a.rectified} 早于通报日期 {a.notified}"
    for e in rec.events:
        if e.valid_until is not None and e.valid_until < e.date:
            yield ("events", e.index, "valid_until"), f"有效期至 {e.valid_until} 早于事件日期 {e.date}"
        if rec.established is not None and e.date < rec.established:
            yield ("events", e.index, "date"), f"事件日期 {e.date} 早于企业成立日期 {rec.established}"
        if e.delivered is not None and e.delivered < e.date:
            yield ("events", e.index, "delivered"), f"证书送达日期 {e.delivered} 早于颁发证书的决定日期 {e.date}"
    yield from _recoveries(rec)


def _recoveries(rec: Record) -> Iterator[tuple[PathKey, str]]:
    """A certificate taken back (``recovered``) only after a revocation that follows its issue (with no later
    certificate issued in between: that revocation takes back the later one), and not before that revocation."""
    ordered = sorted(rec.events, key=lambda e: (e.date, e.index))
    for at, e in enumerate(ordered):
        if e.recovered is None or e.type not in ("filed", "review_passed"):
            continue
        after = [x for x in ordered[at + 1:] if x.type in ("filed", "review_passed", "revoked")]
        revoked = after[0] if after and after[0].type == "revoked" else None
        if revoked is None:
            yield ("events", e.index, "recovered"), (f"证书收回日期 {e.recovered}：{e.date} 颁发的证书以后没有撤销决定（revoked），"
                                                     "证书收回只在取消资格以后录入")
        elif e.recovered < revoked.date:
            yield ("events", e.index, "recovered"), f"证书收回日期 {e.recovered} 早于 {revoked.date} 的撤销决定：证书在取消资格以后收回"


def _duplicates(rec: Record) -> Iterator[tuple[PathKey, str]]:
    """The same year, patent or trademark twice in one record (in the normal forms of ``ids``: ZL202010566088.9 and
    CN202010566088.9 are one patent). Across records the same patent or trademark is registry.duplicate."""
    groups: list[tuple[str, list[tuple[Any, str, PathKey]]]] = [
        ("财务年度", [(f.year, str(f.year), ("finance", f.index, "year")) for f in rec.finance]),
        ("培训年度", [(t.year, str(t.year), ("training", t.index, "year")) for t in rec.training]),
        ("专利申请号", [(ids.patent_key(p.number), p.number, ("patents", p.index, "number")) for p in rec.patents]),
        ("商标注册号", [(ids.trademark_key(m.number), m.number, ("trademarks", m.index, "number")) for m in rec.trademarks]),
    ]
    for label, items in groups:
        seen: dict[Any, PathKey] = {}
        for key, shown, path in items:
            if key in seen:
                yield path, f"{label} {shown} 重复出现（另见第 {rec.at(*seen[key])[0]} 行）：请合并"
            else:
                seen[key] = path


# what a full record has that a list's columns do not (the schema's required fields without an import, and conduct)
_FULL = ("established", "legal_person", "industry", "main_products", "compliance", "conduct")
_FULL_ADVANTAGE = ("ip_management", "finance", "training", "trade_secret_measures", "industry_standing")


def imported_findings(loaded: Loaded, record: Record, on: date | None) -> Iterator[Finding]:
    """An imported record (design section 11): a warning that its decisions up to imported.on are history, not re-judged,
    naming what its first review needs; an error when a later application or decision finds the record incomplete."""
    if record.imported_on is None or loaded.data is None:
        return
    wanted = _FULL + (_FULL_ADVANTAGE if record.category == "advantage" else ("recommendation",))
    schema = load_schema(ENTERPRISE_SCHEMA)
    missing = "、".join(str(field_schema(schema, (key,)).get("title", key)) for key in wanted if key not in loaded.data)
    line, col = loaded.positions.at(("imported",))
    if record.imported_decision(on) or on is None:
        need = f"首次复核前须补齐：{missing}" if missing else "记录已补齐，首次复核按本登记簿的条件审查"
        yield IMPORTED_HISTORY.finding(record.file, line, col,
                                       f"导入的历史决定（来源：{record.imported_source}），未按本登记簿复核条件；{need}")
    elif missing:
        yield IMPORTED_INCOMPLETE.finding(record.file, line, col,
                                          f"{on} 的申报或决定晚于导入日期 {record.imported_on}，须按完整记录审查：请补齐 {missing}")
