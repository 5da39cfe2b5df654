"""``ipreg docs``: notices, certificates and review letters as Word files (and PDFs through LibreOffice) in a
folder; new files only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import documents, docxlayout
from generator.commands import Env, context, registry
from generator.files import Exists, write_new
from generator.inputs import UsageError
from generator.qr import PLACEHOLDER_SITE


def run(args: argparse.Namespace, env: Env) -> int:
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 是一个文件，不是目录：-o/--output 应为存放公文的目录（默认 documents）")
    policy, today = context(args, env)
    records = list(registry(args, env, ["records"]).records())
    site_url = (args.site_url or env.get("IPREG_SITE_URL") or PLACEHOLDER_SITE).rstrip("/") + "/"
    if site_url == PLACEHOLDER_SITE and args.kind == "certificates":
        print(
            f"ipreg：未设置站点地址（--site-url 或 IPREG_SITE_URL），二维码指向占位地址 {PLACEHOLDER_SITE}，正式发证前请设置。",
            file=sys.stderr,
        )
    try:
        if args.kind in ("notice", "certificates"):
            if not args.document:
                raise UsageError("--kind notice 和 certificates 需要 --document 文号")
            decided = documents.decision(records, args.document, policy)
            if args.kind == "notice":
                outputs = {f"{documents.safe_name(args.document)}-通知.docx": documents.notice(decided, args.document, policy)}
            else:
                outputs = {
                    f"{documents.safe_name(args.document)}-证书.docx": documents.certificates(decided, args.document, policy, site_url)
                }
        else:
            within = policy.on(today).review_notice_days if args.within is None else args.within
            letters = documents.review_letters(documents.due_for_review(records, today, within), policy, today, args.document)
            outputs = {f"复核通知书-{today}.docx": letters}
    except documents.DocsError as exc:
        print(f"ipreg: {exc}", file=sys.stderr)
        return 1
    existing = [name for name in outputs if (folder / name).exists()]
    if existing:
        raise UsageError(f"{folder} 中已有 {'、'.join(existing)}，没有覆盖：请换一个 --output 目录，或先移走原文件")
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        try:
            write_new(folder / name, data)
        except Exists:
            raise UsageError(f"{folder / name} 已存在，没有覆盖") from None
        print(f"已生成 {folder / name}")
    if args.no_pdf:
        return 0
    for name in outputs:
        message = docxlayout.to_pdf(folder / name)
        print(message, file=sys.stderr if message.startswith("未") else sys.stdout)
    return 0
