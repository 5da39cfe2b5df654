"""``ipreg import LIST.xlsx|LIST.csv``: a bureau's existing list into records, all or nothing, under the registry lock
(``--form FILLED.xlsx``: the applicant's workbook, ``commands/formimport.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands import Env, context, progress, records_folder, waiting
from generator.errors import EXIT_FINDINGS, EXIT_OK
from generator.importing import listapply, listfile, listplan, listreport
from generator.inputs import UsageError, read_registry
from generator.writing.journal import Write, commit, registry_lock


def run(args: argparse.Namespace, env: Env) -> int:
    if args.form:
        from generator.commands import formimport

        return int(formimport.run(args, env))
    if not args.file:
        raise UsageError("请给出名单文件：ipreg import 名单.xlsx（或 名单.csv），或用 --form 导入企业填写的申报表")
    if args.date:
        raise UsageError("--date 只用于 --form（申报表的收到日期）；导入名单时决定日期从名单中读取")
    policy, today = context(args, env)
    path = Path(args.file)
    report = Path(args.report) if args.report else None
    if report is not None and (report.exists() or report.is_symlink()):
        raise UsageError(f"{report} 已存在，没有覆盖：请换一个报告文件名，或先移走原文件")
    records, prefix = records_folder(args)
    sheet = listfile.read_list(path, args.sheet)
    columns = listplan.find_columns(sheet)
    rows = listplan.read_rows(sheet, columns)
    source = (args.source or path.name).strip() or path.name
    with registry_lock(records, waiting):
        raws, _ = read_registry(args.records)
        outcomes, files = listapply.plan(rows, raws, prefix, source, today, policy, today, progress(env))
        if files and not args.dry_run:
            commit(records, [Write(Path(name), before, after) for name, (before, after) in sorted(files.items())])
    preface = _preface(path, sheet, columns, rows, outcomes, args.dry_run, bool(files))
    if report is not None:
        from generator.files import write_new

        write_new(report, listreport.as_xlsx(outcomes, preface))
        print("\n".join(preface))
        print(f"报告已写入 {report}", file=sys.stderr)
    else:
        print(listreport.as_text(outcomes, preface), end="")
    return EXIT_FINDINGS if any(o.kind == "error" for o in outcomes) else EXIT_OK


def _preface(path: Path, sheet: listfile.Sheet, columns: listplan.Columns, rows: list[listplan.Row],
             outcomes: list[listapply.Outcome], dry_run: bool, changes: bool) -> list[str]:
    counts = {kind: sum(o.kind == kind for o in outcomes) for kind in ("new", "appended", "present", "error")}
    encoding = f"（编码 {sheet.encoding}）" if sheet.encoding else ""
    lines = [f"导入 {path.name}{encoding}：工作表“{sheet.name}”，表头在第 {columns.header_row} 行，{len(rows)} 行数据"]
    if columns.unknown:
        lines.append(f"未识别的列（未读取）：{'、'.join(columns.unknown)}")
    summary = f"新建 {counts['new']} 行，追加 {counts['appended']} 行，已有 {counts['present']} 行，错误 {counts['error']} 行"
    if counts["error"]:
        lines.append(f"{summary}：有错误，没有写入任何文件。请改正名单后重新导入")
    elif dry_run:
        lines.append(f"{summary}（试运行，没有写入）")
    elif changes:
        lines.append(f"{summary}：已写入。请运行 ipreg check 查看警告（导入的记录首次复核前须补齐的内容），再用 git diff 核对后提交")
    else:
        lines.append(f"{summary}：登记簿已有名单中的全部决定，没有写入")
    return lines
