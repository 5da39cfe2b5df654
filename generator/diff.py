"""What a change does to the public list and the staff worklist: Registry before -> after.

Pure: both registries are computed for the same ``today``; this module only compares them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator.cells import markdown_cell
from generator.labels import CHANGE_ZH, DUE_KIND_ZH, STATUS_ZH
from generator.lifecycle import Status
from generator.model import Record
from generator.registry import Registry
from generator.worklist import due_items


@dataclass(frozen=True)
class RecordChange:
    file: str
    uscc: str | None
    name: str | None
    change: str  # added, modified, deleted
    before: str | None  # status before (None: no valid record)
    after: str | None
    errors: int
    warnings: int


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

    def as_dict(self) -> dict[str, Any]:
        return {"base": self.base, "today": self.today, "entered": self.entered, "left": self.left,
                "changed": self.changed, "deadlines": self.deadlines,
                "records": [r.__dict__ for r in self.records]}


def _by_uscc(registry: Registry) -> dict[str, tuple[Record, Status]]:
    return {record.uscc: (record, st) for record, st in registry.records()}


def compare(base_name: str, before: Registry, after: Registry, before_files: dict[str, bytes], after_files: dict[str, bytes]) -> Diff:
    old, new = _by_uscc(before), _by_uscc(after)
    entered, left, changed = [], [], []
    for uscc in sorted(set(old) | set(new)):
        o, n = old.get(uscc), new.get(uscc)
        was, now = (o[1] if o else None), (n[1] if n else None)
        name = (n or o)[0].name  # type: ignore[index]
        if (now is not None and now.listed) and not (was is not None and was.listed):
            entered.append({"uscc": uscc, "name": name, "status": now.status})
        if (was is not None and was.listed) and not (now is not None and now.listed):
            left.append({"uscc": uscc, "name": name, "status": now.status if now else None})
        if (was.status if was else None) != (now.status if now else None):
            changed.append({"uscc": uscc, "name": name, "before": was.status if was else None, "after": now.status if now else None})
    window = after.policy.review_notice_days
    old_due = {(i.uscc, i.date, i.kind) for i in due_items(before, window)}
    deadlines = [i.as_dict() for i in due_items(after, window) if (i.uscc, i.date, i.kind) not in old_due]
    return Diff(base_name, after.today.isoformat(), entered, left, changed, deadlines, _record_changes(before, after, before_files, after_files),
                window)


def _record_changes(before: Registry, after: Registry, before_files: dict[str, bytes], after_files: dict[str, bytes]) -> list[RecordChange]:
    old_entries = {e.file: e for e in before.entries}
    new_entries = {e.file: e for e in after.entries}
    out = []
    for path in sorted(set(before_files) | set(after_files)):
        if before_files.get(path) == after_files.get(path):
            continue
        kind = "added" if path not in before_files else "deleted" if path not in after_files else "modified"
        o, n = old_entries.get(path), new_entries.get(path)
        shown = n or o
        record = shown.record if shown else None
        out.append(RecordChange(
            path, record.uscc if record else None, record.name if record else None, kind,
            o.status.status if o and o.status else None, n.status.status if n and n.status else None,
            sum(f.severity == "error" for f in n.findings) if n else 0,
            sum(f.severity == "warning" for f in n.findings) if n else 0,
        ))
    return out


def _zh(status: str | None) -> str:
    return STATUS_ZH[status] if status else "—"




def format_markdown(diff: Diff) -> str:
    lines = [f"## 本次修改的影响（与 {markdown_cell(diff.base)} 相比，按 {diff.today} 计算）", ""]
    if diff.records:
        lines += ["| 文件 | 企业 | 改动 | 修改前状态 | 修改后状态 | 错误 | 警告 |", "|---|---|---|---|---|---|---|"]
        for r in diff.records:
            lines.append(f"| {markdown_cell(r.file)} | {markdown_cell(r.name or '—')} | {CHANGE_ZH[r.change]} | {_zh(r.before)} | {_zh(r.after)} | {r.errors} | {r.warnings} |")
    else:
        lines.append("没有修改记录文件。")
    lines.append("")
    for title, items in (("进入公开名单", diff.entered), ("离开公开名单", diff.left)):
        lines.append(f"**{title}**：" + ("、".join(f"{markdown_cell(i['name'])}（{i['uscc']}）" for i in items) if items else "无"))
        lines.append("")
    if diff.changed:
        lines += ["**状态变化**：", ""]
        lines += [f"- {markdown_cell(c['name'])}（{c['uscc']}）：{_zh(c['before'])} → {_zh(c['after'])}" for c in diff.changed]
        lines.append("")
    if diff.deadlines:
        lines += [f"**{diff.window} 天内新增的期限**：", ""]
        lines += [f"- {d['date']} {DUE_KIND_ZH[d['kind']]}：{markdown_cell(d['name'])}（{d['uscc']}）" for d in diff.deadlines]
        lines.append("")
    return "\n".join(lines) + "\n"


def format_text(diff: Diff) -> str:
    lines = [f"与 {diff.base} 相比（按 {diff.today} 计算）："]
    for r in diff.records:
        lines.append(f"  {CHANGE_ZH[r.change]} {r.file}：{_zh(r.before)} → {_zh(r.after)}，{r.errors} 个错误，{r.warnings} 个警告")
    lines.append("进入公开名单：" + ("、".join(f"{i['name']}（{i['uscc']}）" for i in diff.entered) or "无"))
    lines.append("离开公开名单：" + ("、".join(f"{i['name']}（{i['uscc']}）" for i in diff.left) or "无"))
    for c in diff.changed:
        lines.append(f"状态变化：{c['name']}（{c['uscc']}）{_zh(c['before'])} → {_zh(c['after'])}")
    for d in diff.deadlines:
        lines.append(f"新增期限：{d['date']} {DUE_KIND_ZH[d['kind']]} {d['name']}（{d['uscc']}）")
    return "\n".join(lines) + "\n"


def format_json(diff: Diff) -> str:
    return json.dumps(diff.as_dict(), ensure_ascii=False, indent=2) + "\n"
