"""``ipreg report --year Y``: the annual statistics workbook (the same figures as the site's /statistics/ page), with the
year's 服务台账 and its totals (design section 10)."""

from __future__ import annotations

import argparse

from generator.commands import Env, context, emit, registry
from generator.inputs import UsageError
from generator.staff.support import support_year
from generator.staff.yearly import report_xlsx, year_report


def run(args: argparse.Namespace, env: Env) -> int:
    policy, today = context(args, env)
    if not 2000 <= args.year <= today.year:
        raise UsageError(f"--year {args.year} 不对：应为 2000 至 {today.year} 之间的年份")
    reg = registry(args, env, ["records"])
    records = [r for r, _ in reg.records()]
    emit(
        report_xlsx(year_report(records, policy, args.year, today), policy.first.documents,
                    support_year(records, policy, args.year, today)),
        args.output or f"年度统计-{args.year}.xlsx",
        "xlsx",
    )
    return 0
