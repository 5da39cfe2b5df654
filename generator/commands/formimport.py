"""``ipreg import --form FILLED.xlsx --date RECEIVED [--dry-run]``: an applicant's workbook into its record.

The workbook is read (``importing/formread.py``; a file that cannot be read: one sentence, exit 2); a cell that holds no
value of its field is reported at its cell and nothing is written (exit 1). Otherwise, under the registry lock, the
record is made or updated with an ``applied`` event on RECEIVED, checked within the whole registry, and every finding
reported at the cell it came from (Art. 4-6 included: what the application falls short of). The record is written
(through the journal) unless the check finds an error in the data itself; what the eligibility rules conclude is
reported, and the record written, so that the application is on file with its shortfalls named. Exit 1 on any error.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from datetime import date
from pathlib import Path

from generator import ids
from generator.checking.workers import registry_from
from generator.commands import Env, context, day_option, records_folder, waiting
from generator.importing.fields import form_of, load_schema
from generator.importing.formread import Filled, read
from generator.importing.formrecord import merged, place
from generator.inputs import UsageError, read_registry
from generator.labels import SEVERITY_ZH
from generator.loader import load_bytes
from generator.policy import PolicyHistory
from generator.writing.journal import Write, commit, registry_lock


def run(args: argparse.Namespace, env: Env) -> int:
    policy, today = context(args, env)
    if not args.date:
        raise UsageError("ipreg import --form 需要 --date：收到申报表的日期（YYYY-MM-DD），记为申报事件的日期")
    day = day_option(args.date)
    records, _ = records_folder(args)
    schema = load_schema()
    filled = read(Path(args.form), form_of(schema))
    for note in filled.notes:
        print(f"注意：{note}")
    uscc = str(filled.data.get("uscc", ""))
    problem = ids.uscc_problem(uscc) if uscc else None
    if problem and ("uscc",) in filled.cells:
        filled.problems.insert(0, (filled.cells[("uscc",)], problem))
    for cell, message in filled.problems:
        print(f"{cell}：{message}")
    if not uscc or problem:
        print(f"申报表有 {len(filled.problems)} 处需要更正（统一社会信用代码不对时无法对照登记簿），未写入任何记录。")
        return 1
    return _apply(args, filled, records, schema, day, policy, today)


def _apply(args: argparse.Namespace, filled: Filled, records: Path, schema: dict[str, object], day: date, policy: PolicyHistory,
           today: date) -> int:
    with registry_lock(records, waiting):  # read, check and write while no other writer runs
        raws, notes = read_registry(args.records)
        file = f"{records_folder(args)[1]}{filled.data['uscc']}.yaml"
        before = raws.get(file)
        after = merged(schema, filled, before, file, day)
        raws[file] = after
        # the whole registry checked with the new record, in worker processes from a few hundred records on
        registry = registry_from(raws, policy, today, args.jobs, notes)
        findings = sorted((f for f in registry.findings if f.file == file), key=lambda f: f.sort_key())
        loaded = {file: load_bytes(after, file)}
        said = {str(cell) for cell, _ in filled.problems}
        placed = [(where, f) for where, f in place(findings, loaded[file], filled) if where not in said]
        for where, f in placed:
            article = f"（{f.article}）" if f.article else ""
            print(f"{where}：{SEVERITY_ZH[f.severity]}：{f.message}{article} [{f.rule}]")
        blocking = len(filled.problems) + sum(f.severity == "error" and not f.rule.startswith("art") for _, f in placed)
        errors = blocking + sum(f.severity == "error" for _, f in placed)
        if blocking:
            print(f"申报表有 {blocking} 处需要更正，未写入 {file}：请让企业按上面的提示修改后重新提交。")
        elif after == before:
            print(f"没有变化：{file} 已包含这份申报表的全部内容和 {day} 的申报事件。")
        elif args.dry_run:
            _diff(file, before, after)
            print(f"（试运行，没有写入：将{'更新' if before else '新建'} {file}，申报日期 {day}）")
        else:
            commit(records, [Write(Path(file), before, after)])
            print(f"已{'更新' if before else '新建'} {file}：申报日期 {day}。" + ("" if not errors else "备案条件的问题见上，已一并记录。"))
    return 1 if errors else 0


def _diff(file: str, before: bytes | None, after: bytes) -> None:
    old = (before or b"").decode("utf-8-sig").splitlines(keepends=True)
    sys.stdout.writelines(difflib.unified_diff(old, after.decode("utf-8").splitlines(keepends=True), f"a/{file}", f"b/{file}"))
