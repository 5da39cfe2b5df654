"""``ipreg due``: the staff worklist: terms and grace periods ending within DAYS, review deadlines, lapsed records."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from generator.commands import Env, emit, industries, registry, statuses, table
from generator.labels import DUE_KIND_ZH, STATUS_ZH
from generator.registry import Registry
from generator.worklist import DueItem, due_items


def run(args: argparse.Namespace, env: Env) -> int:
    reg = registry(args, env, args.paths)
    items = _items(reg, args.within, statuses(args.status), industries(args.industry))
    if args.format in ("csv", "xlsx"):
        emit(export(reg, items, args.format), args.output, args.format)
        return 0
    if args.format == "json":
        print(json.dumps({"today": reg.today.isoformat(), "within_days": args.within, "items": [i.as_dict() for i in items]},
                         ensure_ascii=False, indent=2))
        return 0
    if not items:
        print(f"{reg.today} 起 {args.within} 天内没有到期事项，也没有逾期未复核的企业。")
        return 0
    print(f"工作清单（{reg.today} 起 {args.within} 天内，及逾期未复核）：")
    rows = [[i.date.isoformat(), DUE_KIND_ZH[i.kind], STATUS_ZH[i.status], i.uscc, i.name, i.file] for i in items]
    print(table(["日期", "事项", "状态", "统一社会信用代码", "企业名称", "文件"], rows), end="")
    return 0


def _items(reg: Registry, within: int, wanted: Sequence[str], industry_prefixes: Sequence[str]) -> list[DueItem]:
    industry = {r.file: r.industry_code for r, _ in reg.records()}
    return [i for i in due_items(reg, within) if (not wanted or i.status in wanted)
            and (not industry_prefixes or industry.get(i.file, "").startswith(tuple(industry_prefixes)))]


def export(reg: Registry, items: list[DueItem], fmt: str) -> bytes:
    """``ipreg due --format csv|xlsx``."""
    from generator import spreadsheets

    headers, rows = spreadsheets.table(spreadsheets.DUE_COLUMNS, spreadsheets.due_rows(items))
    if fmt == "csv":
        return spreadsheets.to_csv(headers, rows)
    return spreadsheets.to_xlsx(headers, rows, f"工作清单 {reg.today}", reg.today, [c.width for c in spreadsheets.DUE_COLUMNS])
