"""``ipreg status``: every enterprise's status on the day, as a table, JSON, or CSV / xlsx for Excel."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from generator.commands import Env, emit, industries, problems_note, registry, statuses, table
from generator.labels import CATEGORY_ZH, DATE_ZH, STATUS_ZH
from generator.registry import Registry
from generator.rules.cultivation import ART13_NOT_ENTITLED
from generator.staff.worklist import STATUS_FIELDS, status_rows


def run(args: argparse.Namespace, env: Env) -> int:
    reg = registry(args, env, args.paths)
    filters = (statuses(args.status), industries(args.industry))
    if getattr(args, "entitled", False):  # Art. 13: the statuses that count as 通过备案 on the day (policy.yml)
        allowed = reg.policy.on(reg.today).priority_support_statuses
        filters = (tuple(s for s in (filters[0] or allowed) if s in allowed) or ("-",), filters[1])  # "-": no status
    if args.format in ("csv", "xlsx"):
        emit(export(reg, args.format, *filters), args.output, args.format)
        return _exit(reg)
    rows = [{k: v for k, v in row.items() if k in STATUS_FIELDS} for row in _rows(reg, *filters)]
    if args.format == "json":
        print(json.dumps({"today": reg.today.isoformat(), "enterprises": rows}, ensure_ascii=False, indent=2))
    else:
        header = [
            "统一社会信用代码",
            "企业名称",
            "类别",
            "状态",
            "公开",
            *(DATE_ZH[k] for k in ("term_start", "term_end", "grace_until", "ban_until")),
        ]
        cells = [
            [
                r["uscc"],
                r["name"],
                CATEGORY_ZH[r["category"]],
                STATUS_ZH[r["status"]],
                "是" if r["listed"] else "否",
                r["term_start"] or "-",
                r["term_end"] or "-",
                r["grace_until"] or "-",
                r["ban_until"] or "-",
            ]
            for r in rows
        ]
        what = f" 可获优先支持（{ART13_NOT_ENTITLED.article}）的企业" if getattr(args, "entitled", False) else " 的状态"
        print(f"{reg.today}{what}（{len(rows)} 家）：")
        print(table(header, cells), end="")
        print(problems_note(reg), end="", file=sys.stderr)
    return _exit(reg)


def _exit(reg: Registry) -> int:
    return 0 if all(e.record is not None for e in reg.entries) else 1


def _rows(reg: Registry, wanted: Sequence[str], industry_prefixes: Sequence[str]) -> list[dict[str, Any]]:
    from generator.staff.spreadsheets import filter_rows

    industry = {r.file: (r.industry_code, r.industry_name) for r, _ in reg.records()}
    rows = [{**row, "industry_code": industry[row["file"]][0], "industry_name": industry[row["file"]][1]} for row in status_rows(reg)]
    return filter_rows(rows, wanted, industry_prefixes)


def export(reg: Registry, fmt: str, wanted: Sequence[str] = (), industry_prefixes: Sequence[str] = ()) -> bytes:
    """``ipreg status --format csv|xlsx``: Chinese headers and labels, for Excel."""
    from generator.staff import spreadsheets

    headers, rows = spreadsheets.table(spreadsheets.STATUS_COLUMNS, _rows(reg, wanted, industry_prefixes))
    if fmt == "csv":
        return spreadsheets.to_csv(headers, rows)
    office = reg.policy.first.documents
    return spreadsheets.to_xlsx(headers, rows, f"名单 {reg.today}", reg.today, f"{office.county}知识产权强企名单", office.organ)
