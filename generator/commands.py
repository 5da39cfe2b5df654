"""What each subcommand prints, given a Registry built by the CLI. Returns the exit code."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.labels import CATEGORY_ZH, CAUSE_ZH, DUE_KIND_ZH, SEVERITY_ZH, STATUS_ZH
from generator.policy import Policy
from generator.registry import Entry, Registry
from generator.report import format_github, format_json, format_text, summary_markdown, text_line
from generator.rules import CATALOGUE
from generator.worklist import STATUS_FIELDS, DueItem, due_items, status_rows

if TYPE_CHECKING:
    from generator.findings import Finding
    from generator.site.build import SiteInput



def _exit(registry: Registry) -> int:
    return 1 if registry.errors else 0


def check(registry: Registry, fmt: str, verbose: bool) -> int:
    if fmt == "json":
        print(format_json(registry), end="")
    elif fmt == "github":
        print(format_github(registry, verbose), end="")
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(summary_markdown(registry))
    else:
        print(format_text(registry, verbose), end="")
    return _exit(registry)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines) + "\n"


def _problems_note(registry: Registry) -> str:
    skipped = [e.file for e in registry.entries if e.record is None]
    if not skipped:
        return ""
    return f"注意：{len(skipped)} 个文件有格式错误，未列入（运行 ipreg check 查看）：{'、'.join(skipped)}\n"


def _status_rows(registry: Registry, statuses: Sequence[str], industries: Sequence[str]) -> list[dict[str, Any]]:
    from generator.exports import filter_rows

    industry = {r.file: (r.industry_code, r.industry_name) for r, _ in registry.records()}
    rows = [{**row, "industry_code": industry[row["file"]][0], "industry_name": industry[row["file"]][1]}
            for row in status_rows(registry)]
    return filter_rows(rows, statuses, industries)


def status_exit(registry: Registry) -> int:
    return 0 if all(e.record is not None for e in registry.entries) else 1


def status(registry: Registry, fmt: str, statuses: Sequence[str] = (), industries: Sequence[str] = ()) -> int:
    rows = [{k: v for k, v in row.items() if k in STATUS_FIELDS} for row in _status_rows(registry, statuses, industries)]
    if fmt == "json":
        print(json.dumps({"today": registry.today.isoformat(), "enterprises": rows}, ensure_ascii=False, indent=2))
    else:
        header = ["统一社会信用代码", "企业名称", "类别", "状态", "公开", "有效期起", "有效期至", "保留资格至", "禁止申请至"]
        table = [[r["uscc"], r["name"], CATEGORY_ZH[r["category"]], STATUS_ZH[r["status"]], "是" if r["listed"] else "否",
                  r["term_start"] or "-", r["term_end"] or "-", r["grace_until"] or "-", r["ban_until"] or "-"] for r in rows]
        print(f"{registry.today} 的状态（{len(rows)} 家）：")
        print(_table(header, table), end="")
        print(_problems_note(registry), end="", file=sys.stderr)
    return status_exit(registry)


def status_export(registry: Registry, fmt: str, statuses: Sequence[str] = (), industries: Sequence[str] = ()) -> bytes:
    """``ipreg status --format csv|xlsx``: Chinese headers and labels, for Excel."""
    from generator import exports

    headers, rows = exports.table(exports.STATUS_COLUMNS, _status_rows(registry, statuses, industries))
    if fmt == "csv":
        return exports.to_csv(headers, rows)
    return exports.to_xlsx(headers, rows, f"状态 {registry.today}", registry.today, [c.width for c in exports.STATUS_COLUMNS])


def _due_items(registry: Registry, within: int, statuses: Sequence[str], industries: Sequence[str]) -> list[DueItem]:
    industry = {r.file: r.industry_code for r, _ in registry.records()}
    return [i for i in due_items(registry, within) if (not statuses or i.status in statuses)
            and (not industries or industry.get(i.file, "").startswith(tuple(industries)))]


def due_export(registry: Registry, within: int, fmt: str, statuses: Sequence[str] = (), industries: Sequence[str] = ()) -> bytes:
    """``ipreg due --format csv|xlsx``."""
    from generator import exports

    headers, rows = exports.table(exports.DUE_COLUMNS, exports.due_rows(_due_items(registry, within, statuses, industries)))
    if fmt == "csv":
        return exports.to_csv(headers, rows)
    return exports.to_xlsx(headers, rows, f"工作清单 {registry.today}", registry.today, [c.width for c in exports.DUE_COLUMNS])


def due(registry: Registry, within: int, fmt: str, statuses: Sequence[str] = (), industries: Sequence[str] = ()) -> int:
    items = _due_items(registry, within, statuses, industries)
    if fmt == "json":
        print(json.dumps({"today": registry.today.isoformat(), "within_days": within, "items": [i.as_dict() for i in items]},
                         ensure_ascii=False, indent=2))
        return 0
    if not items:
        print(f"{registry.today} 起 {within} 天内没有到期事项，也没有逾期未复核的企业。")
        return 0
    print(f"工作清单（{registry.today} 起 {within} 天内，及逾期未复核）：")
    rows = [[i.date.isoformat(), DUE_KIND_ZH[i.kind], STATUS_ZH[i.status], i.uscc, i.name, i.file] for i in items]
    print(_table(["日期", "事项", "状态", "统一社会信用代码", "企业名称", "文件"], rows), end="")
    return 0


_MARK = {True: "✔", False: "✘", None: "－"}


def explain(registry: Registry, target: Path) -> int:
    entry = next((e for e in registry.entries if Path(e.file).resolve() == target.resolve()), None)
    if entry is None:
        print(f"{target} 不是记录文件（应为 .yaml）")
        return 2
    print(_explain_text(entry, registry), end="")
    return 1 if any(f.severity == "error" for f in entry.findings) else 0


def _explain_text(entry: Entry, registry: Registry) -> str:
    out: list[str] = []
    record, st = entry.record, entry.status
    if record is None or st is None:
        out.append(f"文件：{entry.file}")
        out.append("这个文件有格式错误，备案条件无法核对。请先修改以下问题：")
        out += ["  " + text_line(f) for f in entry.findings]
        return "\n".join(out) + "\n"
    out.append(f"企业：{record.name}（{record.uscc}），{CATEGORY_ZH[record.category]}")
    out.append(f"文件：{entry.file}")
    listed = "列入公开名单" if st.listed else "不列入公开名单"
    out.append(f"状态：{registry.today} 为“{st.status_zh}”（{st.status}），{listed}")
    if st.term_start:
        out.append(f"本期：{st.term_start} 至 {st.term_end}" + (f"；保留资格至 {st.grace_until}" if st.grace_until else ""))
    if st.cause:
        out.append(f"{st.status_zh}：{st.ended_on} 起，原因：{CAUSE_ZH[st.cause]}" + (f"；{st.ban_until}（含）前不得申请备案" if st.ban_until else ""))
    if st.next_deadline and st.next_deadline_kind:
        out.append(f"下一个期限：{st.next_deadline}（{DUE_KIND_ZH[st.next_deadline_kind]}）")
    basis = "申报日期" if st.status == "pending" else "现行决定日期"
    out.append(f"备案条件按 {entry.on}（{basis}）评估：")
    out.append("")
    for outcome in entry.outcomes:
        severity = outcome.effective_severity()
        mark = _MARK[outcome.ok] if outcome.ok is not False else ("✘" if severity == "error" else "⚠")
        if outcome.severity == "info":
            mark = "ℹ"
        article = CATALOGUE[outcome.rule].article or ""
        out.append(f"{mark} [{outcome.rule}] {article}：{outcome.message}")
    other = [f for f in entry.findings if not f.rule.startswith("art")]
    if other:
        out.append("")
        out.append("格式与数据检查：")
        out += ["  " + text_line(f) for f in other]
    errors = sum(f.severity == "error" for f in entry.findings)
    warnings = sum(f.severity == "warning" for f in entry.findings)
    out.append("")
    out.append(f"结论：{errors} 个{SEVERITY_ZH['error']}，{warnings} 个{SEVERITY_ZH['warning']}。")
    return "\n".join(out) + "\n"


def build(site: SiteInput, config: Path, site_dir: Path) -> int:
    """Check first (errors stop the build with the same messages as ``ipreg check``), then build."""
    from generator.site.build import SiteError, build_site

    registry, listed = site.registry, site.listed
    if registry.errors:
        print(format_text(registry), end="")
        print(f"站点未生成，{site_dir}/ 保持不变。", file=sys.stderr)
        return 1
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        build_site(config, site_dir, site)
    except SiteError as exc:
        print(f"ipreg: {exc}\n{site_dir}/ 保持不变。", file=sys.stderr)
        return 1
    print(f"站点已生成：{site_dir}/（{registry.today}，公开名单 {listed} 家，警告 {registry.warnings} 个）")
    return 0


def diff(base: str, before: Registry, after: Registry, before_files: dict[str, bytes], after_files: dict[str, bytes], fmt: str,
         policy_changed: bool = False) -> int:
    from generator import diff as diffing

    result = diffing.compare(base, before, after, before_files, after_files, policy_changed)
    formatter = {"markdown": diffing.format_markdown, "json": diffing.format_json}.get(fmt, diffing.format_text)
    print(formatter(result), end="")
    return 0


def decide(raws: Mapping[str, bytes], prefix: str, kind: str, day: date, document: str, usccs: Sequence[str], policy: Policy,
           today: date, dry_run: bool, notes: Sequence[Finding] = ()) -> int:
    """``ipreg decide``: plan, check, then write every record or none (``journal``), or print the diff with ``dry_run``.
    The caller holds the registry lock and read ``raws`` under it."""
    from generator import decide as deciding
    from generator.journal import Write, commit
    from generator.labels import EVENT_ZH

    try:
        changes, _ = deciding.plan(raws, prefix, kind, day, document, usccs, policy, today, notes)
    except deciding.DecideError as exc:
        print(f"ipreg: {exc}", file=sys.stderr)
        for finding in exc.findings:
            print("  " + text_line(finding), file=sys.stderr)
        return 1
    if dry_run:
        for change in changes:
            print(change.diff(), end="")
        print(f"（试运行，没有写入：{len(changes)} 个记录将追加 {day} {EVENT_ZH[kind]}，文号 {document.strip()}）")
        return 0
    commit(Path(prefix), [Write(Path(c.file), c.before, c.after) for c in changes])
    for change in changes:
        number = f"，证书编号 {change.certificate}" if change.certificate else ""
        print(f"已录入 {change.file}：{day} {EVENT_ZH[kind]}，文号 {document.strip()}{number}")
    print(f"共 {len(changes)} 个记录，只追加了事件，其他内容未改动。请运行 git diff 核对后提交合并请求。")
    return 0


def new(uscc: str, name: str, records: Path) -> int:
    """Write a commented template for a new enterprise; never overwrite an existing file."""
    from generator import ids
    from generator.template import render_template

    code = uscc.strip().upper()
    problem = ids.uscc_problem(code)
    if problem:
        print(f"ipreg: {problem}；未生成文件。", file=sys.stderr)
        return 2
    if not name.strip():
        print("ipreg: 企业名称不能为空；未生成文件。", file=sys.stderr)
        return 2
    target = records / f"{code}.yaml"
    try:
        records.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(render_template(code, name.strip()))
    except FileExistsError:
        print(f"ipreg: {target} 已存在，没有覆盖。要修改这家企业，请直接编辑该文件。", file=sys.stderr)
        return 1
    print(f"已生成 {target}：请把其中所有“待填写”替换为实际内容，然后运行 ipreg check {target}")
    return 0
