"""``ipreg new --uscc CODE --name NAME``: a commented template for a new enterprise; never over an existing file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import ids
from generator.commands import Env, waiting
from generator.template import render_template
from generator.writing.journal import Write, commit, registry_lock


def run(args: argparse.Namespace, env: Env) -> int:
    records = Path(args.records)
    code = args.uscc.strip().upper()
    problem = ids.uscc_problem(code)
    if problem:
        print(f"ipreg: {problem}；未生成文件。", file=sys.stderr)
        return 2
    if not args.name.strip():
        print("ipreg: 企业名称不能为空；未生成文件。", file=sys.stderr)
        return 2
    target = records / f"{code}.yaml"
    records.mkdir(parents=True, exist_ok=True)
    with registry_lock(records, waiting):
        if target.exists() or target.is_symlink():
            print(f"ipreg: {target} 已存在，没有覆盖。要修改这家企业，请直接编辑该文件。", file=sys.stderr)
            return 1
        commit(records, [Write(target, None, render_template(code, args.name.strip()).encode("utf-8"))])  # nothing half-written in records/
    print(f"已生成 {target}：请把其中所有“待填写”替换为实际内容，然后运行 ipreg check {target}")
    return 0
