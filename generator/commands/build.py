"""``ipreg build``: check records/ (errors stop the build with the same messages as ``ipreg check``), then build the
site with MkDocs --strict into a fresh folder and swap it in only when it is complete."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.checking.reporters import format_text, text_line
from generator.commands import Env, context, progress
from generator.inputs import UsageError, discover


def run(args: argparse.Namespace, env: Env) -> int:
    from generator.site.builder import SiteError, build_site, gather
    from generator.site.sitedir import check_target

    config = Path(args.config)
    if not config.is_file():
        raise UsageError(f"找不到 {args.config}：请在登记簿根目录运行")
    site_dir = check_target(Path(args.site_dir), Path(os.path.abspath(config)).parent)  # SiteDirError: exit 2
    policy, today = context(args, env)
    files, notes = discover(["records"])
    shown = progress(env)
    site = gather(files, policy, today, notes, getattr(args, "jobs", None), shown)  # pages rendered where the records are checked
    registry = site.registry
    if registry.errors:
        print(format_text(registry), end="")
        print(f"站点未生成，{site_dir}/ 保持不变。", file=sys.stderr)
        return 1
    try:
        build_site(config, site_dir, site, shown)
    except SiteError as exc:
        print(f"ipreg: {exc}\n{site_dir}/ 保持不变。", file=sys.stderr)
        return 1
    for finding in registry.findings:
        if finding.severity == "warning":  # which ones: a count alone sends the clerk to ipreg check
            print(text_line(finding))
    print(
        f"站点已生成：{site_dir}/（{registry.today}，公开名单 {site.listed} 家，"
        f"警告 {registry.warnings} 个{'，见上' if registry.warnings else ''}）"
    )
    return 0
