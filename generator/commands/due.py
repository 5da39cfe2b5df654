"""``ipreg due``: the staff worklist: terms and grace periods ending within DAYS, review deadlines, lapsed records."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date

from generator.commands import Env, emit, industries, registry, statuses, table
from generator.inputs import UsageError
from generator.labels import DUE_KIND_ZH, STATUS_ZH
from generator.registry import Registry
from generator.staff.worklist import DueItem, due_items


def run(args: argparse.Namespace, env: Env) -> int:
    reg = registry(args, env, args.paths)
    month = _month(args.month, reg.today) if args.month else None
    if month is not None:
        args.within = max(0, (month[1] - reg.today).days)
    items = _items(reg, args.within, statuses(args.status), industries(args.industry))
    if month is not None:
        items = [i for i in items if month[0] <= i.date <= month[1]]
    if args.format in ("csv", "xlsx"):
        emit(export(reg, items, args.format), args.output, args.format)
        return 0
    if args.format == "json":
        print(json.dumps({"today": reg.today.isoformat(), "within_days": args.within, "items": [i.as_dict() for i in items]},
                         ensure_ascii=False, indent=2))
        return 0
    span = f"{month[0].year}年{month[0].month}月" if month else f"{reg.today} 起 {args.within} 天内"
    if not items:
        print(f"{span}没有到期事项{'' if month else '，也没有逾期未复核的企业'}。")
        return 0
    print(f"工作清单（{span}{'' if month else '，及逾期未复核'}）：")
    rows = [[i.date.isoformat(), DUE_KIND_ZH[i.kind], STATUS_ZH[i.status], i.uscc, i.name, i.file] for i in items]
    print(table(["日期", "事项", "状态", "统一社会信用代码", "企业名称", "文件"], rows), end="")
    lacking = _lacking(reg, items)
    if lacking:
        print("\n导入的记录复核前还缺少的内容（首次复核须按完整记录审查）：")
        print("".join(f"  {file}：{what}\n" for file, what in lacking), end="")
    return 0


def _lacking(reg: Registry, items: list[DueItem]) -> list[tuple[str, str]]:
    """For each imported record in the worklist: what its first review still needs (the imported.history warning)."""
    from generator.rules import IMPORTED_HISTORY

    wanted = {i.file for i in items}
    found = {f.file: f.message.split("须补齐：", 1)[1] for f in reg.findings
             if f.rule == IMPORTED_HISTORY.id and f.file in wanted and "须补齐：" in f.message}
    return sorted(found.items())


def _month(text: str, today: date) -> tuple[date, date]:
    """--month YYYY-MM: its first and last day; a month already over is refused (its deadlines have passed)."""
    import calendar

    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise UsageError(f"--month 的值 {text!r} 不是月份：请写作 YYYY-MM，如 2026-12") from None
    last = date(year, month, calendar.monthrange(year, month)[1])
    if last < today:
        raise UsageError(f"--month {text} 已经过去（今天是 {today}）：工作清单只列出今后的期限")
    return first, last


def _items(reg: Registry, within: int, wanted: Sequence[str], industry_prefixes: Sequence[str]) -> list[DueItem]:
    industry = {r.file: r.industry_code for r, _ in reg.records()}
    return [i for i in due_items(reg, within) if (not wanted or i.status in wanted)
            and (not industry_prefixes or industry.get(i.file, "").startswith(tuple(industry_prefixes)))]


def export(reg: Registry, items: list[DueItem], fmt: str) -> bytes:
    """``ipreg due --format csv|xlsx``."""
    from generator.staff import spreadsheets

    headers, rows = spreadsheets.table(spreadsheets.DUE_COLUMNS, spreadsheets.due_rows(items))
    if fmt == "csv":
        return spreadsheets.to_csv(headers, rows)
    office = reg.policy.first.documents
    return spreadsheets.to_xlsx(headers, rows, f"工作清单 {reg.today}", reg.today, f"{office.county}知识产权强企工作清单", office.organ)
