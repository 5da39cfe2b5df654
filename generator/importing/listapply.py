"""A list's rows against the registry: which records are new, which decisions are missing, which rows contradict it.

New USCCs become records with ``imported: {source, on}`` and the decisions their rows state; a known USCC gets only
the decisions its record lacks, appended in the file's own style (``writing.decisions.append_event``, as ``ipreg
decide`` does). A row that contradicts the registry (another name for a USCC, another category, a certificate number
another enterprise holds, a decision earlier than the record's last event) is an error at its cell; so is every error
the full check of the registry afterwards finds in a changed record, at the cell of the decision that caused it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.files import SILENT, Progress
from generator.findings import Finding
from generator.ids import name_key, number_key
from generator.importing.listplan import Decision, Row
from generator.labels import CATEGORY_ZH, EVENT_ZH
from generator.loader import load_bytes
from generator.policy import PolicyHistory
from generator.registry import assemble, check_local
from generator.writing.decisions import DecideError, append_event

HEADER = """\
# yaml-language-server: $schema=../schemas/enterprise.schema.json
# 由 ipreg import 从 {source} 导入（{on}）：只有名单中的几列。首次复核前请补齐其余内容（ipreg check 的警告列出缺少的项目）。
"""


@dataclass
class Outcome:
    """One row's line of the report."""

    row: Row
    kind: str = "present"  # new | appended | present | error
    messages: list[str] = field(default_factory=list)
    cell: str = ""


@dataclass
class _Target:
    file: str
    before: bytes | None
    after: bytes
    spans: list[tuple[int, int, Outcome, Decision]] = field(default_factory=list)  # lines [a, b) of an added event -> its row


READING_ROWS, CHECKING_AFTER = "正在核对名单各行", "正在检查导入后的记录"


def plan(rows: Sequence[Row], raws: Mapping[str, bytes], prefix: str, source: str, on: date, policy: PolicyHistory,
         today: date, progress: Progress = SILENT) -> tuple[list[Outcome], dict[str, tuple[bytes | None, bytes]]]:
    """Each row's outcome and the files to write (name -> (before, after)); nothing to write when any row is an error.
    ``progress`` is told of each row, then of each record checked afterwards."""
    outcomes = [Outcome(r) for r in rows]
    for o in outcomes:
        if o.row.errors:
            o.kind, o.cell, o.messages = "error", o.row.errors[0][0], [f"{c}：{m}" for c, m in o.row.errors]
    existing = {name: load_bytes(data, name).data for name, data in raws.items()}
    holders = _certificate_holders(existing)
    targets: dict[str, _Target] = {}
    seen: dict[str, Outcome] = {}
    with progress.stage(READING_ROWS, len(outcomes)) as advance:
        for o in outcomes:
            advance(1)
            if o.kind == "error":
                continue
            file = f"{prefix}{o.row.uscc}.yaml"
            data = existing.get(file)
            first = seen.setdefault(o.row.uscc, o)
            if not _agrees(o, first, data, holders):
                continue
            _apply(o, file, data, raws, targets, source, on)
    targets = {file: t for file, t in targets.items() if t.after != t.before}  # a row the registry already has changes nothing
    if not any(o.kind == "error" for o in outcomes) and targets:
        _check_after(outcomes, raws, targets, policy, today, progress)
    if any(o.kind == "error" for o in outcomes):
        return outcomes, {}
    return outcomes, {t.file: (t.before, t.after) for t in targets.values()}


def _certificate_holders(existing: Mapping[str, dict[str, Any] | None]) -> dict[str, str]:
    holders = {}
    for data in existing.values():
        for event in (data or {}).get("events") or ():
            if isinstance(event, dict) and isinstance(event.get("certificate"), str):
                holders[number_key(event["certificate"])] = str(data.get("uscc")) if data else ""
    return holders


def _error(o: Outcome, cell: str, message: str) -> bool:
    if o.kind != "error":
        o.messages = []  # what the row would have done is not done
    o.kind, o.cell = "error", o.cell or cell
    text = f"{cell}：{message}" if cell else message
    if text not in o.messages:
        o.messages.append(text)
    return False


def _agrees(o: Outcome, first: Outcome, data: dict[str, Any] | None, holders: dict[str, str]) -> bool:
    """False (and the row an error) when the row contradicts the registry or an earlier row of the same enterprise."""
    row, name_cell = o.row, _cell(o.row, "name")
    known_name = data.get("name") if data else (first.row.name if first is not o else None)
    if isinstance(known_name, str) and name_key(known_name) != name_key(row.name):
        where = "登记簿中" if data else f"第 {first.row.number} 行"
        return _error(o, name_cell, f"统一社会信用代码 {row.uscc} 在{where}是“{known_name}”，这一行写的是“{row.name}”：请核对")
    known_category = data.get("category") if data else first.row.category
    if row.category and isinstance(known_category, str) and known_category != row.category:
        return _error(o, _cell(row, "category"), f"类别是“{CATEGORY_ZH[row.category]}”，而{'登记簿' if data else '前面的行'}中是"
                      f"“{CATEGORY_ZH.get(known_category, known_category)}”：类别改变须由备案决定，请核对")
    if data is None and first is o and not row.category:
        return _error(o, _cell(row, "category"), "新企业须写明类别（知识产权优势企业或储备企业）")
    for d in row.decisions:
        holder = holders.get(number_key(d.certificate)) if d.certificate else None
        if holder and holder != row.uscc:
            return _error(o, _cell(row, "certificate"), f"证书编号 {d.certificate} 已属于另一家企业（{holder}）：请核对")
        if d.certificate:
            holders[number_key(d.certificate)] = row.uscc
    return True


def _cell(row: Row, name: str) -> str:
    """The cell of ``name`` in ``row`` (工作表!C7), else that of its USCC."""
    return row.cells.get(name) or row.cells.get("uscc", "")


def _event(d: Decision) -> dict[str, str]:
    event = {"date": d.day.isoformat(), "type": d.type}
    if d.document:
        event["document"] = d.document
    if d.certificate:
        event["certificate"] = d.certificate
    return event


def _apply(o: Outcome, file: str, data: dict[str, Any] | None, raws: Mapping[str, bytes], targets: dict[str, _Target],
           source: str, on: date) -> None:
    """The row's decisions added to its target file (a new record for a new USCC)."""
    target = targets.get(file)
    if target is None:
        if data is None:
            text, spans = _new_record(o, source, on)
            target = targets[file] = _Target(file, None, text.encode("utf-8"), spans)
            o.kind = "new"
            o.messages.insert(0, f"新建 {file}：{'、'.join(f'{d.day} {EVENT_ZH[d.type]}' for d in o.row.decisions)}")
            return
        else:
            target = targets[file] = _Target(file, raws[file], raws[file])
    present = _events_of(target.after)
    last = max((day for day, _ in present), default=None)
    added = []
    for d in sorted(o.row.decisions, key=lambda d: d.day):
        if (d.day.isoformat(), d.type) in {(str(a), b) for a, b in present}:
            continue
        if last is not None and d.day < last:
            _error(o, d.cell, f"{d.day} {EVENT_ZH[d.type]} 早于记录中最后一个事件（{last}）：ipreg 只在末尾追加，请手工录入这个决定")
            return
        before = target.after.decode("utf-8-sig").splitlines()
        try:
            target.after = append_event(target.after, _event(d), file)
        except DecideError as exc:
            _error(o, d.cell, str(exc))
            return
        after = target.after.decode("utf-8-sig").splitlines()
        start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), len(before))
        target.spans.append((start + 1, start + 1 + len(after) - len(before), o, d))
        present.append((d.day, d.type))
        last = d.day
        added.append(f"{d.day} {EVENT_ZH[d.type]}")
    if added:
        o.kind = "appended"
        o.messages.insert(0, f"{file} 追加 {'、'.join(added)}")
    else:
        o.messages.insert(0, f"{file} 已有这一行的决定")


def _events_of(raw: bytes) -> list[tuple[date, str]]:
    data = load_bytes(raw, "x").data or {}
    found = []
    for e in data.get("events") or ():
        if isinstance(e, dict) and isinstance(e.get("date"), str) and isinstance(e.get("type"), str):
            try:
                found.append((date.fromisoformat(e["date"]), e["type"]))
            except ValueError:
                continue
    return found


def _new_record(o: Outcome, source: str, on: date) -> tuple[str, list[tuple[int, int, Outcome, Decision]]]:
    """A record with only what the list states, and the lines of each of its events."""
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    row = o.row
    lines = [*HEADER.format(source=source.replace("\n", " "), on=on).splitlines(), f"uscc: {q(row.uscc)}", f"name: {q(row.name)}",
             f"category: {row.category}", "imported:", f"  source: {q(source)}", f'  "on": {on}', "events:"]
    spans = []
    for d in sorted(row.decisions, key=lambda d: d.day):
        start = len(lines) + 1
        lines += [f"  - date: {d.day}", f"    type: {d.type}"]
        lines += [f"    document: {q(d.document)}"] if d.document else []
        lines += [f"    certificate: {q(d.certificate)}"] if d.certificate else []
        spans.append((start, len(lines) + 1, o, d))
    return "\n".join(lines) + "\n", spans


def _check_after(outcomes: Sequence[Outcome], raws: Mapping[str, bytes], targets: dict[str, _Target], policy: PolicyHistory,
                 today: date, progress: Progress = SILENT) -> None:
    """Every error of a changed record in the registry afterwards, at the cell of the decision that caused it."""
    after = {**raws, **{t.file: t.after for t in targets.values()}}
    locals_ = []
    with progress.stage(CHECKING_AFTER, len(after)) as advance:
        for name, data in after.items():
            locals_.append(check_local(load_bytes(data, name), policy, today))  # registry.build_registry, file by file
            advance(1)
    registry = assemble(locals_, policy, today)
    firsts: dict[str, Outcome] = {}
    for o in outcomes:
        firsts.setdefault(o.row.uscc, o)
    for finding in registry.findings:
        target = targets.get(finding.file)
        if target is None or finding.severity != "error":
            continue
        _blame(finding, target, firsts)


def _blame(finding: Finding, target: _Target, firsts: Mapping[str, Outcome]) -> None:
    for start, end, o, d in target.spans:
        if start <= finding.line < end:
            key = list(_event(d))[finding.line - start] if finding.line - start < len(_event(d)) else "date"
            _error(o, dict(d.cells).get(key, d.cell), finding.message)  # the cell of the value the finding is about
            return
    uscc = target.file.rsplit("/", 1)[-1].removesuffix(".yaml")
    o = firsts[uscc]
    _error(o, o.row.cells.get("uscc", ""), finding.message)
