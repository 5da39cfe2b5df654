"""Reporters: one Finding list, three formats (text, json, github) plus a Markdown summary."""

from __future__ import annotations

import json
from collections.abc import Sequence

from generator.cells import markdown_cell
from generator.findings import Finding
from generator.labels import SEVERITY_ZH
from generator.registry import Registry


def visible(findings: Sequence[Finding], verbose: bool) -> list[Finding]:
    """Info findings are shown only on request (``--verbose``); JSON always has them."""
    return [f for f in findings if verbose or f.severity != "info"]


def text_line(f: Finding) -> str:
    article = f"（{f.article}）" if f.article else ""
    return f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}{article}"


def format_text(registry: Registry, verbose: bool = False) -> str:
    lines = [text_line(f) for f in visible(registry.findings, verbose)]
    count = len(registry.entries)
    if registry.errors:
        verdict = "请按上面的提示修改后再提交。"
    elif registry.warnings:
        verdict = "没有错误；警告需要人工核实。"
    else:
        verdict = "全部通过。"
    lines.append(f"检查了 {count} 个记录（今天按 {registry.today} 计）：{registry.errors} 个错误，{registry.warnings} 个警告。{verdict}")
    return "\n".join(lines) + "\n"


def format_json(registry: Registry) -> str:
    payload = {
        "today": registry.today.isoformat(),
        "records": len(registry.entries),
        "errors": registry.errors,
        "warnings": registry.warnings,
        "findings": [f.as_dict() for f in registry.findings],
    }
    indent = 2 if len(registry.findings) < 2000 else None  # the C encoder only runs without indentation
    return json.dumps(payload, ensure_ascii=False, indent=indent) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def format_github(registry: Registry, verbose: bool = False) -> str:
    """GitHub workflow commands: ``::error file=...,line=...,title=[rule]::message``."""
    out = []
    for f in visible(registry.findings, verbose):
        article = f"（{f.article}）" if f.article else ""
        props = f"file={_escape_property(f.file)},line={f.line},title={_escape_property(f'[{f.rule}]')}"
        out.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape_data(f.message + article)}")
    return "\n".join(out) + ("\n" if out else "")


def summary_markdown(registry: Registry) -> str:
    """The job summary: a count line and a table of errors and warnings."""
    lines = [
        "## 登记簿检查结果",
        "",
        f"检查日期 {registry.today}，共 {len(registry.entries)} 个记录：**{registry.errors} 个错误**，{registry.warnings} 个警告。",
        "",
    ]
    shown = visible(registry.findings, False)
    if shown:
        lines += ["| 文件 | 行 | 级别 | 规则 | 说明 |", "|---|---|---|---|---|"]
        for f in shown:
            article = f"（{f.article}）" if f.article else ""
            lines.append(
                f"| {markdown_cell(f.file)} | {f.line} | {SEVERITY_ZH[f.severity]} | `{f.rule}` | {markdown_cell(f.message + article)} |"
            )
    return "\n".join(lines) + "\n"
