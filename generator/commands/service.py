"""``ipreg service``: one service (Art. 11) added to many records; every record or none, under the registry lock."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from generator.checking.reporters import text_line
from generator.commands import Env, context, day_option, records_folder, refused, waiting
from generator.inputs import read_registry
from generator.labels import SERVICE_KIND_ZH
from generator.policy import PolicyHistory
from generator.writing import entries
from generator.writing.decisions import DecideError
from generator.writing.journal import Write, commit, registry_lock


def run(args: argparse.Namespace, env: Env) -> int:
    policy, today = context(args, env)
    day = day_option(args.date)
    try:
        request = entries.service_request(args.kind, day, args.title, args.document, args.provider, args.amount, args.lender,
                                          args.participants)
    except DecideError as exc:  # exit 1 like decide's refusals: a request that would write an error writes nothing
        return refused(str(exc), exc.findings)
    what = f"{day} {SERVICE_KIND_ZH[str(request.entry['kind'])]}“{request.entry['title']}”"
    return apply(args, request, policy, today, what)


def apply(args: argparse.Namespace, request: entries.Request, policy: PolicyHistory, today: date, what: str) -> int:
    """Plan, check and write ``request`` for the named records (shared with ``ipreg priority``)."""
    records, prefix = records_folder(args)
    with registry_lock(records, waiting):
        raws, notes = read_registry(args.records)
        try:
            changes, warnings = entries.plan(raws, prefix, request, args.uscc, policy, today, notes, args.jobs)
        except DecideError as exc:
            return refused(str(exc), exc.findings)
        if args.dry_run:
            for change in changes:
                print(change.diff(), end="")
            print(f"（试运行，没有写入：{len(changes)} 个记录将录入 {what}）")
            if warnings:
                print("录入后会有以下警告（请先核对日期和企业）：")
            for finding in warnings:
                print("  " + text_line(finding))
            return 0
        commit(records, [Write(Path(c.file), c.before, c.after) for c in changes])
    for change in changes:
        print(f"已录入 {change.file}：{what}")
    for finding in warnings:
        print("  " + text_line(finding))
    print(f"共 {len(changes)} 个记录，只追加了这一项，其他内容未改动。请运行 git diff 核对后提交合并请求。")
    return 0
