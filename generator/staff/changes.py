"""What a change does to the public list and the staff worklist: Registry before -> after.

Pure: both registries are computed for the same ``today``; this module only compares them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from generator.cells import markdown_cell
from generator.findings import Finding
from generator.labels import CHANGE_ZH, DATE_ZH, DUE_KIND_ZH, EVENT_ZH, FIELD_ZH, SEVERITY_ZH, STATUS_ZH
from generator.lifecycle import Status
from generator.loader import load_bytes
from generator.model import Event, Record
from generator.registry import Entry, Registry
from generator.staff.policychanges import describe_changes
from generator.staff.worklist import due_items

MAX_MESSAGES = 20  # findings listed per file in the summary; the rest are counted


@dataclass(frozen=True)
class RecordChange:
    """One record file that changed (or, with ``change == "affected"``, whose results changed without a file change)."""

    file: str
    uscc: str | None
    name: str | None  # from the record, else from the file's raw ``name:`` (a record with errors keeps its name)
    change: str  # added, modified, deleted, affected
    before: str | None  # status before (None: no valid record)
    after: str | None
    errors: int
    warnings: int
    events: list[dict[str, Any]] = field(default_factory=list)  # events that are new in this change
    events_altered: int = 0  # events of the base that were edited or removed (events are only ever appended)
    dates: dict[str, str | None] = field(default_factory=dict)  # term_end, grace_until, ban_until, review_deadline after
    findings: list[dict[str, Any]] = field(default_factory=list)  # errors and warnings after the change (new ones first)
    resolved: list[dict[str, Any]] = field(default_factory=list)  # errors and warnings of the base that are gone
    edits: list[dict[str, Any]] = field(default_factory=list)  # public fields and past events: {field, label, before, after}
    private_changed: list[str] = field(default_factory=list)  # the non-public fields that changed, by name (never values)


@dataclass(frozen=True)
class Diff:
    base: str
    today: str
    entered: list[dict[str, Any]]
    left: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    records: list[RecordChange]
    window: int = 90  # days ahead in which new deadlines are listed (policy review_notice_days)
    policy_changed: bool = False
    affected: list[RecordChange] = field(default_factory=list)  # unchanged files whose status or findings changed
    policy_changes: list[str] = field(default_factory=list)  # what the change of policy.yml does (policy.describe_changes)

    @property
    def deleted(self) -> list[RecordChange]:
        return [r for r in self.records if r.change == "deleted"]

    def as_dict(self) -> dict[str, Any]:
        return {"base": self.base, "today": self.today, "policy_changed": self.policy_changed, "policy_changes": self.policy_changes,
                "entered": self.entered, "left": self.left, "changed": self.changed, "deadlines": self.deadlines,
                "records": [r.__dict__ for r in self.records], "affected": [r.__dict__ for r in self.affected],
                "deleted": [r.file for r in self.deleted]}


def _by_uscc(registry: Registry) -> dict[str, tuple[Record, Status]]:
    return {record.uscc: (record, st) for record, st in registry.records()}


def compare(base_name: str, before: Registry, after: Registry, before_files: dict[str, bytes], after_files: dict[str, bytes],
            policy_changed: bool = False) -> Diff:
    """What the change from ``before`` to ``after`` does: to the public list, the deadlines, each file and the policy."""
    entered, left, changed = _list_moves(before, after)
    window = after.policy.on(after.today).review_notice_days
    records, affected = _record_changes(before, after, before_files, after_files)
    return Diff(base=base_name, today=after.today.isoformat(), entered=entered, left=left, changed=changed,
                deadlines=_new_deadlines(before, after, window), records=records, window=window,
                policy_changed=policy_changed, affected=affected,
                policy_changes=describe_changes(before.policy, after.policy) if policy_changed else [])


def _list_moves(before: Registry, after: Registry) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Which enterprises entered the public list, which left it, and whose status changed (by USCC)."""
    old, new = _by_uscc(before), _by_uscc(after)
    entered, left, changed = [], [], []
    for uscc in sorted(set(old) | set(new)):
        o, n = old.get(uscc), new.get(uscc)
        was, now = (o[1] if o else None), (n[1] if n else None)
        name = (n or o)[0].name  # type: ignore[index]
        if _listed(now) and not _listed(was):
            entered.append({"uscc": uscc, "name": name, "status": _code(now)})
        if _listed(was) and not _listed(now):
            left.append({"uscc": uscc, "name": name, "status": _code(now)})
        if _code(was) != _code(now):
            changed.append({"uscc": uscc, "name": name, "before": _code(was), "after": _code(now)})
    return entered, left, changed


def _listed(st: Status | None) -> bool:
    """Whether a status (None: no record) puts the enterprise on the public list."""
    return st is not None and st.listed


def _code(st: Status | None) -> str | None:
    """The status code, None when there is no record."""
    return st.status if st else None


def _new_deadlines(before: Registry, after: Registry, window: int) -> list[dict[str, Any]]:
    """The deadlines up to ``window`` days from today (policy ``review_notice_days``; those already passed included) that
    ``after`` has and ``before`` had not. A record under review whose deadline lies further ahead is not one of them."""
    horizon = after.today + timedelta(days=window)
    old_due = {(i.uscc, i.date, i.kind) for i in due_items(before, window)}
    return [i.as_dict() for i in due_items(after, window) if (i.uscc, i.date, i.kind) not in old_due and i.date <= horizon]


def _finding_key(f: Finding) -> tuple[str, str, str]:
    return (f.severity, f.rule, f.message)


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {"line": f.line, "severity": f.severity, "rule": f.rule, "article": f.article, "message": f.message}


def _event_key(e: Event) -> tuple[Any, ...]:
    return (e.date, e.type, e.document, e.certificate, e.valid_until)


def _event_dict(e: Event) -> dict[str, Any]:
    return {"date": e.date.isoformat(), "type": e.type, "document": e.document, "certificate": e.certificate,
            "valid_until": e.valid_until.isoformat() if e.valid_until else None}


def _raw_name(data: bytes | None, file: str) -> str | None:
    """The ``name:`` of a file whose record did not build (schema errors): the summary still says which enterprise."""
    if data is None:
        return None
    loaded = load_bytes(data, file)
    name = loaded.data.get("name") if isinstance(loaded.data, dict) else None
    return name.strip() or None if isinstance(name, str) else None


def _serious(entry: Entry | None) -> list[Finding]:
    return [f for f in entry.findings if f.severity in ("error", "warning")] if entry else []


def _change(path: str, kind: str, o: Entry | None, n: Entry | None, before_data: bytes | None, after_data: bytes | None) -> RecordChange:
    """One file's change (``kind``: added, modified, deleted, affected) from entry ``o`` to entry ``n``."""
    old_record, new_record = (o.record if o else None), (n.record if n else None)
    record = new_record or old_record
    now = _serious(n)
    edits = _edits(old_record, new_record)
    return RecordChange(
        file=path, uscc=record.uscc if record else None, name=_name(path, old_record, new_record, after_data), change=kind,
        before=_status_code(o), after=_status_code(n),
        errors=sum(f.severity == "error" for f in now), warnings=sum(f.severity == "warning" for f in now),
        events=_appended_events(old_record, new_record), events_altered=sum(1 for e in edits if e["field"].startswith("events[")),
        dates=_dates_after(n.status if n else None), findings=_findings_after(o, n), resolved=_resolved_findings(o, n),
        edits=edits, private_changed=_private_changes(before_data, after_data, path) if kind == "modified" else [],
    )


def _status_code(entry: Entry | None) -> str | None:
    """The status code of an entry, None when the file has no valid record."""
    return _code(entry.status if entry else None)


def _name(path: str, old: Record | None, new: Record | None, after_data: bytes | None) -> str | None:
    """The enterprise's name: from the new record, else the new file's raw ``name:``, else the old record."""
    return (new.name if new else None) or _raw_name(after_data, path) or (old.name if old else None)


def _appended_events(old: Record | None, new: Record | None) -> list[dict[str, Any]]:
    """The events the new record has past the old record's count (all of them when there was no valid old record)."""
    old_count = len(old.events) if old else 0
    return [_event_dict(e) for e in (new.events if new else ())[old_count:]]


def _dates_after(st: Status | None) -> dict[str, str | None]:
    """The dates shown after the change: an ended cycle's end and ban, else the term, review deadline, grace and ban."""
    # a cycle that ended (revoked, withdrawn, lapsed) says when and until when no new filing is allowed, not its old term
    keys = ("ended_on", "ban_until") if st and st.status in ("revoked", "withdrawn", "lapsed") else (
        "term_start", "term_end", "review_deadline", "grace_until", "ban_until")
    return {k: (getattr(st, k).isoformat() if st and getattr(st, k) else None) for k in keys}


def _findings_after(o: Entry | None, n: Entry | None) -> list[dict[str, Any]]:
    """The errors and warnings after the change: the new ones first, then by line, errors before warnings."""
    old_keys = {_finding_key(f) for f in _serious(o)}
    ordered = sorted(_serious(n), key=lambda f: (_finding_key(f) in old_keys, f.line, f.severity != "error"))
    return [_finding_dict(f) for f in ordered]


def _resolved_findings(o: Entry | None, n: Entry | None) -> list[dict[str, Any]]:
    """The errors and warnings of the old entry that the new one no longer has (none when the file is gone)."""
    if not n:
        return []
    new_keys = {_finding_key(f) for f in _serious(n)}
    return [_finding_dict(f) for f in _serious(o) if _finding_key(f) not in new_keys]


def _edits(old: Record | None, new: Record | None) -> list[dict[str, Any]]:
    """Before -> after for every public field and every past event that changed (events are only ever appended)."""
    from generator.public import is_public

    if old is None or new is None:
        return []
    out = []
    for key, label in FIELD_ZH.items():
        if not is_public(key):
            continue
        was, now = getattr(old, key), getattr(new, key)
        if was != now:
            shown = ("、".join(x) if isinstance(x, tuple) else x for x in (was, now))
            out.append({"field": key, "label": label, "before": next(shown), "after": next(shown)})
    for i, (was_event, now_event) in enumerate(zip(old.events, new.events, strict=False)):
        if _event_key(was_event) != _event_key(now_event):
            out.append({"field": f"events[{i}]", "label": f"第 {i + 1} 个事件", "before": _event_text(_event_dict(was_event)),
                        "after": _event_text(_event_dict(now_event))})
    for i, was_event in enumerate(old.events[len(new.events):], len(new.events)):
        out.append({"field": f"events[{i}]", "label": f"第 {i + 1} 个事件", "before": _event_text(_event_dict(was_event)),
                    "after": None})
    return out


def _private_changes(before: bytes | None, after: bytes | None, path: str) -> list[str]:
    """The non-public top-level fields whose content changed, by their Chinese name (their values are not shown)."""
    from generator.public import PUBLIC_FIELDS
    from generator.schema import ENTERPRISE_SCHEMA, load_schema

    if before is None or after is None:
        return []
    old, new = load_bytes(before, path).data, load_bytes(after, path).data
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    titles = load_schema(ENTERPRISE_SCHEMA)["properties"]
    skip = set(PUBLIC_FIELDS)
    changed = [key for key in sorted(set(old) | set(new)) if key not in skip and old.get(key) != new.get(key)]
    return [f"{titles.get(key, {}).get('title', key)}（{key}）" for key in changed]


def _record_changes(before: Registry, after: Registry, before_files: dict[str, bytes],
                    after_files: dict[str, bytes]) -> tuple[list[RecordChange], list[RecordChange]]:
    old_entries = {e.file: e for e in before.entries}
    new_entries = {e.file: e for e in after.entries}
    changes, affected = [], []
    for path in sorted(set(before_files) | set(after_files)):
        o, n = old_entries.get(path), new_entries.get(path)
        if before_files.get(path) != after_files.get(path):
            kind = "added" if path not in before_files else "deleted" if path not in after_files else "modified"
            changes.append(_change(path, kind, o, n, before_files.get(path), after_files.get(path)))
            continue
        # the same bytes: a change of policy.yml, of another record (duplicates, ranking) or of the code moved its results
        was = (_status_code(o), {_finding_key(f) for f in _serious(o)})
        now = (_status_code(n), {_finding_key(f) for f in _serious(n)})
        if was != now:
            affected.append(_change(path, "affected", o, n, before_files.get(path), after_files.get(path)))
    return changes, affected


def _zh(status: str | None) -> str:
    return STATUS_ZH[status] if status else "—"


def _event_text(e: dict[str, Any]) -> str:
    parts = [f"{e['date']} {EVENT_ZH.get(e['type'], e['type'])}"]
    if e["document"]:
        parts.append(f"文号 {e['document']}")
    if e["certificate"]:
        parts.append(f"证书 {e['certificate']}")
    if e["valid_until"]:
        parts.append(f"证书有效期至 {e['valid_until']}")
    return "，".join(parts)


_DATE_ZH = {k: DATE_ZH[k] for k in ("ended_on", "term_start", "term_end", "review_deadline", "grace_until", "ban_until")}


def _dates_text(r: RecordChange) -> str:
    return "；".join(f"{_DATE_ZH[k]} {v}" for k, v in r.dates.items() if v)


def _finding_text(f: dict[str, Any]) -> str:
    article = f"（{f['article']}）" if f["article"] else ""
    return f"第 {f['line']} 行 {SEVERITY_ZH[f['severity']]} [{f['rule']}] {f['message']}{article}"


def _deleted_warning(r: RecordChange) -> str:
    return (f"删除了记录文件 {r.file}（{r.name or '名称不明'}）。记录不应删除：企业退出或被撤销也只追加事件"
            "（withdrawn / revoked），历史由 Git 保存。确需删除的，请在合并请求中写明理由，由审核人确认。")


def _record_details(r: RecordChange, cell: Callable[[str], str], strong: Callable[[str], str] = lambda s: s) -> list[str]:
    """The lines under one file: new events, edited fields and events (before -> after), private fields changed (by
    name), resulting dates, findings (capped), resolved findings."""
    lines = []
    if r.events:
        lines += [f"- 新增事件：{cell(_event_text(e))}" for e in r.events]
    for e in r.edits:
        after = cell(str(e["after"])) if e["after"] is not None else "（删除）"
        lines.append(f"- 修改{cell(e['label'])}：{cell(str(e['before']))} → {after}")
    if r.events_altered:
        why = "事件只应追加，不应改动；确需更正的，请在合并请求中写明理由"
        lines.append(f"- {strong('注意')}：修改或删除了 {r.events_altered} 个已有事件（{why}）")
    if r.private_changed:
        lines.append(f"- 修改了不公开的信息：{cell('、'.join(r.private_changed))}")
    if r.change != "deleted" and _dates_text(r):
        lines.append(f"- 修改后：{_zh(r.after)}；{_dates_text(r)}")
    for f in r.findings[:MAX_MESSAGES]:
        lines.append(f"- {cell(_finding_text(f))}")
    if len(r.findings) > MAX_MESSAGES:
        lines.append(f"- 另有 {len(r.findings) - MAX_MESSAGES} 个问题（运行 ipreg check {cell(r.file)} 查看全部）")
    for f in r.resolved[:MAX_MESSAGES]:
        lines.append(f"- 已解决：{cell(_finding_text(f))}")
    return lines


def format_markdown(diff: Diff) -> str:
    lines = [f"## 本次修改的影响（与 {markdown_cell(diff.base)} 相比，按 {diff.today} 计算）", ""]
    for r in diff.deleted:
        lines += [f"> ⚠️ **警告**：{markdown_cell(_deleted_warning(r))}", ""]
    if diff.records:
        lines += ["| 文件 | 企业 | 改动 | 修改前状态 | 修改后状态 | 错误 | 警告 |", "|---|---|---|---|---|---|---|"]
        for r in diff.records:
            cells = [markdown_cell(r.file), markdown_cell(r.name or "—"), CHANGE_ZH[r.change], _zh(r.before), _zh(r.after)]
            cells += [str(r.errors), str(r.warnings)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        for r in diff.records:
            details = _record_details(r, markdown_cell, lambda s: f"**{s}**")
            if details:
                lines += [f"### {markdown_cell(r.name or r.file)}（{markdown_cell(r.file)}）", "", *details, ""]
    elif not diff.policy_changed:
        lines += ["没有修改记录文件。", ""]
    if diff.policy_changed or diff.affected:
        title = "policy.yml 已修改，" if diff.policy_changed else ""
        lines += [f"### {title}未改动的记录中结果有变化的：{len(diff.affected)} 家", ""]
        lines += [f"> {markdown_cell(note)}\n" for note in diff.policy_changes]
        for r in diff.affected:
            lines.append(f"- **{markdown_cell(r.name or r.file)}**（{markdown_cell(r.file)}）：{_zh(r.before)} → {_zh(r.after)}")
            lines += ["  " + line for line in _record_details(r, markdown_cell, lambda s: f"**{s}**")]
        lines.append("")
    for title, items in (("进入公开名单", diff.entered), ("离开公开名单", diff.left)):
        lines.append(f"**{title}**：" + ("、".join(f"{markdown_cell(i['name'])}（{i['uscc']}）" for i in items) if items else "无"))
        lines.append("")
    if diff.changed:
        lines += ["**状态变化**：", ""]
        lines += [f"- {markdown_cell(c['name'])}（{c['uscc']}）：{_zh(c['before'])} → {_zh(c['after'])}" for c in diff.changed]
        lines.append("")
    if diff.deadlines:
        lines += [f"**{_deadline_heading(diff)}**：", ""]
        lines += [f"- {d['date']} {DUE_KIND_ZH[d['kind']]}：{markdown_cell(d['name'])}（{d['uscc']}）" for d in diff.deadlines]
        lines.append("")
    return "\n".join(lines) + "\n"


def _deadline_heading(diff: Diff) -> str:
    """What the deadline list holds: the window from policy.yml (review_notice_days) and its last day."""
    horizon, days = date.fromisoformat(diff.today) + timedelta(days=diff.window), diff.window
    return f"新增的期限（到 {horizon} 为止：{diff.today} 起 {days} 天内，天数见 policy.yml 的 review_notice_days；已过的期限也列出）"


def _plain(text: str) -> str:
    return text


def format_text(diff: Diff) -> str:
    lines = [f"与 {diff.base} 相比（按 {diff.today} 计算）："]
    lines += [f"警告：{_deleted_warning(r)}" for r in diff.deleted]
    for r in diff.records:
        lines.append(
            f"  {CHANGE_ZH[r.change]} {r.file}（{r.name or '—'}）：{_zh(r.before)} → {_zh(r.after)}，{r.errors} 个错误，{r.warnings} 个警告"
        )
        lines += ["    " + line[2:] for line in _record_details(r, _plain)]
    if diff.policy_changed or diff.affected:
        lines.append(("policy.yml 已修改。" if diff.policy_changed else "") + f"未改动的记录中结果有变化的：{len(diff.affected)} 家")
        lines += [f"  政策修订：{note}" for note in diff.policy_changes]
        for r in diff.affected:
            lines.append(f"  {r.file}（{r.name or '—'}）：{_zh(r.before)} → {_zh(r.after)}")
            lines += ["    " + line[2:] for line in _record_details(r, _plain)]
    lines.append("进入公开名单：" + ("、".join(f"{i['name']}（{i['uscc']}）" for i in diff.entered) or "无"))
    lines.append("离开公开名单：" + ("、".join(f"{i['name']}（{i['uscc']}）" for i in diff.left) or "无"))
    for c in diff.changed:
        lines.append(f"状态变化：{c['name']}（{c['uscc']}）{_zh(c['before'])} → {_zh(c['after'])}")
    lines += [_deadline_heading(diff) + "："] if diff.deadlines else []
    for d in diff.deadlines:
        lines.append(f"新增期限：{d['date']} {DUE_KIND_ZH[d['kind']]} {d['name']}（{d['uscc']}）")
    return "\n".join(lines) + "\n"


def format_json(diff: Diff) -> str:
    return json.dumps(diff.as_dict(), ensure_ascii=False, indent=2) + "\n"
