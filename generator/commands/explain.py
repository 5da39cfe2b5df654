"""``ipreg explain FILE``: every rule for one record, with its article, outcome and figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.checking.reporters import text_line
from generator.commands import Env, registry
from generator.inputs import UsageError
from generator.labels import (
    CATEGORY_ZH,
    CAUSE_ZH,
    DUE_KIND_ZH,
    FINDING_ZH,
    PROGRAMME_ZH,
    SERVICE_KIND_ZH,
    SEVERITY_ZH,
    SUPERVISION_KIND_ZH,
    SUPPORT_OUTCOME_ZH,
)
from generator.model import Record
from generator.registry import Entry, Registry
from generator.rules import CATALOGUE
from generator.rules.cultivation import ART3_VIOLATION_REFERRED, articles_in_force, entitled_on, status_on

_MARK = {True: "✔", False: "✘", None: "－"}


def run(args: argparse.Namespace, env: Env) -> int:
    target = Path(args.file)
    code = args.file.strip().upper().removesuffix(".YAML")
    by_code = Path("records") / f"{code}.yaml"  # a clerk types the code (or the file's name): records/<code>.yaml
    if not target.is_file() and "/" not in args.file and "\\" not in args.file and by_code.is_file():
        target = by_code
    if not target.is_file():
        raise UsageError(f"找不到记录文件 {args.file}（也没有 {by_code.as_posix()}）：请在登记簿根目录运行，写记录文件的路径"
                         "（如 records/91411721MA00000154.yaml）或统一社会信用代码")
    reg = registry(args, env, [target.parent.as_posix() or "."])
    entry = next((e for e in reg.entries if Path(e.file).resolve() == target.resolve()), None)
    if entry is None:
        print(f"{target} 不是记录文件（应为 .yaml）")
        return 2
    print(explain_text(entry, reg), end="")
    return 1 if any(f.severity == "error" for f in entry.findings) else 0


def explain_text(entry: Entry, reg: Registry) -> str:
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
    out.append(f"状态：{reg.today} 为“{st.status_zh}”（{st.status}），{listed}")
    if st.term_start:
        out.append(f"本期：{st.term_start} 至 {st.term_end}" + (f"；保留资格至 {st.grace_until}" if st.grace_until else ""))
    if st.cause:
        out.append(
            f"{st.status_zh}：{st.ended_on} 起，原因：{CAUSE_ZH[st.cause]}"
            + (f"；至 {st.ban_until}（含）不得申请备案" if st.ban_until else "")
        )
    if st.next_deadline and st.next_deadline_kind:
        out.append(f"下一个期限：{st.next_deadline}（{DUE_KIND_ZH[st.next_deadline_kind]}）")
    basis = "申报日期" if st.status == "pending" else "现行决定日期"
    if record.imported_decision(entry.on):  # design section 11: Art. 4-6 are not re-judged for imported history
        out.append(f"{entry.on} 的决定：导入的历史决定（来源：{record.imported_source}），未按本登记簿复核条件；只核对第八条：")
    else:
        out.append(f"备案条件按 {entry.on}（{basis}）评估：")
    out.append("")
    for outcome in entry.outcomes:
        severity = outcome.effective_severity()
        mark = _MARK[outcome.ok] if outcome.ok is not False else ("✘" if severity == "error" else "⚠")
        if outcome.severity == "info":
            mark = "ℹ"
        article = CATALOGUE[outcome.rule].article or ""
        out.append(f"{mark} [{outcome.rule}] " + (f"{article}：" if article else "") + outcome.message)
    out += cultivation_lines(record, reg)
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


def cultivation_lines(record: Record, reg: Registry) -> list[str]:
    """Services (Art. 11), priority support (Art. 13) and supervision (Art. 3), each with the enterprise's status on its
    date and its article as the measures in force that day number it (design section 10); nothing when the record has
    none."""
    if not (record.services or record.priority_support or record.supervision):
        return []
    out = ["", "服务、优先支持与日常监管（按各项日期的状态核对）："]
    for x in record.services:
        st = status_on(record, reg.policy, x.date)
        figures = "".join(f"，{v}" for v in (x.provider, x.document, x.lender) if v)
        figures += f"，{x.amount:,} 元" if x.amount else ""
        figures += f"，{x.participants} 人" if x.participants else ""
        art11 = articles_in_force(reg.policy, x.date)[0]
        out.append(f"  {x.date} 服务（{art11}，{SERVICE_KIND_ZH[x.kind]}）：{x.title}{figures}；当天“{st.status_zh}”")
    for p in record.priority_support:
        st = status_on(record, reg.policy, p.date)
        entitled = "可获优先支持" if entitled_on(st, reg.policy, p.date) else "不可获优先支持"
        document = f"，{p.document}" if p.document else ""
        art13 = articles_in_force(reg.policy, p.date)[2]
        out.append(f"  {p.date} 优先支持（{art13}，{PROGRAMME_ZH[p.programme]}）：{SUPPORT_OUTCOME_ZH[p.outcome]}"
                   f"{document}；当天“{st.status_zh}”，{entitled}")
    for v in record.supervision:
        document = f"，{v.document}" if v.document else ""
        article = reg.policy.article(ART3_VIOLATION_REFERRED.id, v.date, ART3_VIOLATION_REFERRED.article)
        out.append(f"  {v.date} 日常监管（{article}，{SUPERVISION_KIND_ZH[v.kind]}）：{FINDING_ZH[v.finding]}{document}")
    return out
