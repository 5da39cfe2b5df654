"""``ipreg decide``: one decision appended to many records; every record or none, under the registry lock."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.commands import Env, context, day_option, records_folder, refused, waiting
from generator.ids import document_form
from generator.inputs import read_registry
from generator.labels import EVENT_ZH
from generator.writing import decisions as deciding
from generator.writing.journal import Write, commit, registry_lock


def run(args: argparse.Namespace, env: Env) -> int:
    policy, today = context(args, env)
    day = day_option(args.date)
    records, prefix = records_folder(args)
    document = document_form(args.document.strip())
    kind = deciding.decision_code(args.type)
    with registry_lock(records, waiting):  # read, number, check and write while no other writer runs
        raws, notes = read_registry(args.records)  # the whole registry, read under the lock: the change is checked within it
        try:
            changes, _ = deciding.plan(raws, prefix, kind, day, args.document, args.uscc, policy, today, notes,
                                        args.jobs)
        except deciding.DecideError as exc:
            return refused(str(exc), exc.findings)
        if args.dry_run:
            for change in changes:
                print(change.diff(), end="")
            print(f"（试运行，没有写入：{len(changes)} 个记录将追加 {day} {EVENT_ZH[kind]}，文号 {document}）")
            return 0
        commit(records, [Write(Path(c.file), c.before, c.after) for c in changes])
    if document != args.document.strip():
        print(f"文号按标准写法记为 {document}（您输入的是 {args.document.strip()}）")
    for change in changes:
        number = f"，证书编号 {change.certificate}" if change.certificate else ""
        print(f"已录入 {change.file}：{day} {EVENT_ZH[kind]}，文号 {document}{number}")
    print(f"共 {len(changes)} 个记录，只追加了事件，其他内容未改动。请运行 git diff 核对后提交合并请求。")
    return 0
