"""``ipreg admin``: the form editor served on this PC (``adminserver``), or written out for a staff server."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from generator.commands import Env, context, mkdocs_config
from generator.editor import config as admin
from generator.editor import server as adminserver
from generator.findings import Finding
from generator.inputs import UsageError, read_registry, resolve_today


def run(args: argparse.Namespace, env: Env) -> int:
    schema = Path("schemas") / "enterprise.schema.json"
    if not schema.is_file() or not (Path("records").is_dir() and (adminserver.DECAP / "decap-cms.js").is_file()):
        raise UsageError("请在登记簿仓库的根目录运行 ipreg admin（需要 records/、schemas/ 和 tools/admin/decap/）")
    if args.export:
        policy, _ = context(args, env)
        return admin.export(Path(args.export), Path.cwd(), settings(env), policy.first.documents.county)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} 不对：请写 0 到 65535 之间的端口号")
    policy, _ = context(args, env)

    def read() -> tuple[dict[str, bytes], list[Finding]]:
        return read_registry("records")

    def today() -> date:
        return resolve_today(args.today, env)  # each save is checked on its own day (the editor may run for days)

    def ready(url: str) -> None:
        print(f"表单编辑器已启动：{url}\n在浏览器中打开这个地址，点“登录”即可编辑 records/ 中的记录；保存前会按 ipreg check 检查，"
              "有错误时不保存并说明原因。编辑完用 git diff 核对后提交合并请求。按 Ctrl+C 结束。", flush=True)
        if not args.no_browser:
            import webbrowser

            webbrowser.open(url)

    editor = adminserver.Editor(Path.cwd(), read, policy, today)
    try:
        adminserver.serve(editor, lambda api: admin.local_config_yaml(schema, api), args.port, ready)
    except OSError as exc:
        raise UsageError(f"无法在本机端口 {args.port} 启动表单编辑器（{exc.strerror or exc}）：可能已有一个在运行，"
                         "或用 --port 换一个端口") from None
    return 0


def settings(env: Env) -> dict[str, Any]:
    """mkdocs.yml ``extra.ipreg_admin`` (its !ENV tags read from ``env``, else their defaults)."""
    found = (mkdocs_config(Path("mkdocs.yml"), env).get("extra") or {}).get("ipreg_admin")
    return dict(found) if isinstance(found, dict) else {}
