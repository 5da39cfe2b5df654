"""``ipreg docs``: notices, certificates and review letters as Word files (and PDFs through LibreOffice) in a
folder; new files only."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator import words
from generator.commands import Env, context, mkdocs_config, progress, registry
from generator.documents import notices as documents
from generator.documents import pdf
from generator.documents import reviews as reviewdocs
from generator.documents.certificates import certificates
from generator.files import Exists, write_new
from generator.ids import document_form
from generator.inputs import UsageError
from generator.labels import STATUS_ZH
from generator.lifecycle import Status
from generator.model import Record
from generator.policy import PolicyHistory
from generator.qr import PLACEHOLDER_SITE


def site_address(option: str | None, env: Env, root: Path) -> str:
    """Where QR codes point: --site-url, else IPREG_SITE_URL, else mkdocs.yml ``site_url`` (its default when it reads
    the variable with ``!ENV``)."""
    value = option or env.get("IPREG_SITE_URL")
    if not value and (root / "mkdocs.yml").is_file():
        found = mkdocs_config(root / "mkdocs.yml", env).get("site_url")
        value = found if isinstance(found, str) else ""
    return (value or PLACEHOLDER_SITE).rstrip("/") + "/"


def run(args: argparse.Namespace, env: Env) -> int:
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 是一个文件，不是目录：-o/--output 应为存放公文的目录（默认 documents）")
    policy, today = context(args, env)
    words.configure(env)  # titles break between words
    site_url = site_address(args.site_url, env, Path.cwd())
    if site_url == PLACEHOLDER_SITE and args.kind == "certificates" and not args.draft:
        raise UsageError(f"站点地址未设置（二维码会指向占位地址 {PLACEHOLDER_SITE}），不能生成正式证书：请在 mkdocs.yml 的 site_url "
                         "写上网站地址，或用 --site-url 指定；只想看样子的，加 --draft 生成每页印有“样稿”的样稿")
    outputs = _outputs(args, env, policy, today, site_url)  # documents.DocsError: the CLI says why, exit 1
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
    for name in progress(env).each("正在转换为 PDF", list(outputs)):
        message = pdf.to_pdf(folder / name, env)
        print(message, file=sys.stderr if message.startswith("未") or "代替" in message else sys.stdout)
    return 0


def _outputs(args: argparse.Namespace, env: Env, policy: PolicyHistory, today: date, site_url: str) -> dict[str, bytes]:
    reg = registry(args, env, ["records"])
    records = list(reg.records())
    if args.kind == "review-sheet":
        return {f"审核表-{today}.docx": reviewdocs.review_sheet(reg.entries, policy, today)}
    if args.kind == "review-letters":
        within = policy.on(today).review_notice_days if args.within is None else args.within
        unfilled = policy.on(today).documents.unfilled()
        if unfilled and not args.draft:
            raise UsageError(f"{args.policy} 中复核通知函的联系方式还没有填写或仍是示例（{'、'.join(unfilled)}），不能生成正式的函："
                             "请在 documents 中写上实际的联系科室、电话和办公地址；只想看样子的，加 --draft 生成每页印有“样稿”的样稿")
        due = reviewdocs.due_for_review(records, today, within)
        letters = reviewdocs.review_letters(due, policy, today, document_form(args.document) if args.document else None,
                                            draft="联系方式是示例" if unfilled else "", progress=progress(env))
        return {f"复核通知函-{today}{'-样稿' if unfilled else ''}.docx": letters}
    if not args.document:
        raise UsageError("--kind notice 和 certificates 需要 --document 文号")
    decided = documents.decision(records, args.document, policy)
    recorded = document_form(decided[0].event.document or args.document)  # the 文号 as recorded, never as typed
    name = documents.safe_name(recorded)
    if args.kind == "notice":
        suffix = "决定" if {d.event.type for d in decided} == {"revoked"} else "通知"
        paginate = None if args.no_pdf else (lambda data: pdf.locate(data, env))  # the 版记's place, as printed
        return {f"{name}-{suffix}.docx": documents.notice(decided, recorded, policy, paginate)}
    _unlisted(decided, records, today, args.force)
    suffix = "证书-样稿" if args.draft else "证书"
    return {f"{name}-{suffix}.docx": certificates(decided, recorded, policy, site_url, draft=args.draft, progress=progress(env))}


def _unlisted(decided: Sequence[documents.Decided], records: Sequence[tuple[Record, Status]], today: date, force: bool) -> None:
    """A certificate of an enterprise no longer listed today (revoked, withdrawn, removed) is not printed unless
    ``--force``, and then with a warning."""
    now = {record.uscc: st for record, st in records}
    gone = [(d.record, now[d.record.uscc]) for d in decided if d.event.certificate and not now[d.record.uscc].listed]
    if not gone:
        return
    who = "、".join(f"{record.name}（{STATUS_ZH[st.status]}）" for record, st in gone)
    if not force:
        raise documents.DocsError(f"{who}在 {today} 已不在知识产权强企名单中，其证书不应再发出，没有生成任何文件："
                                  "确需补打存档的，加 --force")
    print(f"警告：{who}在 {today} 已不在知识产权强企名单中，按 --force 仍打印其证书", file=sys.stderr)
