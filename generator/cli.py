"""``ipreg``: the command line. It resolves today, paths and the policy once, then dispatches.

Exit codes: 0 no error (warnings allowed), 1 errors found (or a fatal problem, shown without
traceback), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import stat
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.findings import Finding
from generator.journal import JournalError, recover, registry_lock
from generator.loader import load_bytes, read_bytes
from generator.policy import Policy, PolicyError, load_policy
from generator.registry import Registry, build_registry
from generator.rules import FILE_NAME

if TYPE_CHECKING:
    from generator.site.build import SiteInput

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or configuration: exit code 2."""


def resolve_today(option: str | None, environ: Mapping[str, str]) -> date:
    """--today, else IPREG_TODAY, else the current date in Asia/Shanghai."""
    for source, value in (("--today", option), ("IPREG_TODAY", environ.get("IPREG_TODAY"))):
        if value:
            try:
                if len(value) != 10:
                    raise ValueError(value)
                return date.fromisoformat(value)
            except ValueError:
                raise UsageError(f"{source} 的值 {value!r} 不是有效日期：请写作 YYYY-MM-DD，如 2026-01-31") from None
    return datetime.now(SHANGHAI).date()


def discover(paths: Sequence[str]) -> tuple[list[tuple[str, str]], list[Finding]]:
    """Record files under the given paths, sorted; anything else there is an error, never skipped in silence.

    A folder holds records only: ``<USCC>.yaml`` regular files (and an empty ``.gitkeep``). Symbolic
    links, sub-folders, FIFOs and devices, other names (``X.yml``, ``X.YAML``, ``X.yaml.txt``, dotfiles)
    and names that are not UTF-8 are each an error (``file.name``) and are never followed or read."""
    files: list[tuple[str, str]] = []  # (path to open, name shown); plain strings: a Path per file costs more than the listing
    notes: list[Finding] = []

    def refuse(display: str, why: str) -> None:
        notes.append(FILE_NAME.finding(display, 1, 1, why))

    for arg in paths:
        path = Path(arg)
        shown = _printable(arg)
        try:
            info = os.lstat(path)
        except OSError:
            raise UsageError(f"找不到 {shown}：请给出记录文件或 records/ 目录") from None
        if stat.S_ISLNK(info.st_mode):
            refuse(path.as_posix() if shown == arg else shown, f"{shown} 是符号链接，未读取：记录和 records/ 目录都必须是普通文件和目录")
        elif stat.S_ISREG(info.st_mode):
            files.append((arg, path.as_posix() if shown == arg else shown))
        elif not stat.S_ISDIR(info.st_mode):
            refuse(shown, f"{shown} 不是普通文件（可能是管道或设备），未读取")
        else:
            base = path.as_posix()
            prefix = "" if base == "." else base.rstrip("/") + "/"
            with os.scandir(path) as scan:
                children = sorted(scan, key=lambda e: e.name)
            for child in children:
                name = _printable(child.name)
                display = prefix + name
                problem = _not_a_record(child, name)
                if problem == "":
                    continue
                if problem is None:
                    files.append((child.path, display))
                else:
                    refuse(display, problem)
    return files, notes


def _printable(name: str) -> str:
    """A file name as it can be printed on one line: bytes that are not UTF-8 as U+FFFD, control characters as \\xNN."""
    if name.isprintable():  # the usual case; undecodable bytes (surrogate escapes) are not printable
        return name
    shown = os.fsencode(name).decode("utf-8", "replace")
    return shown if shown.isprintable() else "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)


def _not_a_record(child: os.DirEntry[str], name: str) -> str | None:
    """Why a folder entry is not a record file (None: it is one; "": an allowed empty .gitkeep)."""
    if name != child.name:
        return f"文件名 {name} 含有不是 UTF-8 的字符或不可见字符，未读取：请把文件改名为 <统一社会信用代码>.yaml"
    if child.is_symlink():
        return f"{name} 是符号链接，未读取：记录必须是 records/ 中的普通文件"
    if child.is_dir(follow_symlinks=False):
        return f"{name} 是子目录，其中的文件不会被检查也不会公开：记录必须直接放在 records/ 中，其他资料请放到 records/ 以外"
    if not child.is_file(follow_symlinks=False):
        return f"{name} 不是普通文件（可能是管道或设备），未读取"
    if name == ".gitkeep" and child.stat(follow_symlinks=False).st_size == 0:
        return ""  # keeps an empty records/ folder in git
    if name.startswith(".") or not name.endswith(".yaml"):
        return (f"{name} 不是记录文件，不会被检查也不会公开：记录文件应命名为 <统一社会信用代码>.yaml（扩展名小写 .yaml），"
                "其他文件请放到 records/ 以外")
    return None


def _common(parser: argparse.ArgumentParser, paths: bool = True) -> None:
    if paths:
        parser.add_argument("paths", nargs="*", default=["records"], metavar="PATH", help="记录文件或目录（默认 records/）")
    parser.add_argument("--policy", default="policy.yml", help="政策参数文件（默认 policy.yml）")
    parser.add_argument("--today", help="按此日期计算（YYYY-MM-DD），优先于环境变量 IPREG_TODAY")
    parser.add_argument("--debug", action="store_true", help="出现内部错误时显示完整调用栈")
    parser.add_argument("--jobs", type=int, default=None, metavar="N", help="读取记录的进程数（默认按 CPU 核数；1 表示不并行）")


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", action="append", default=[], metavar="STATUS",
                        help="只列出这些状态（英文代码或中文，如 valid 或 有效；可用逗号分隔或重复）")
    parser.add_argument("--industry", action="append", default=[], metavar="CODE",
                        help="只列出行业代码以此开头的企业（如 C35 或 C；可用逗号分隔或重复）")
    parser.add_argument("-o", "--output", metavar="FILE", help="写入新文件（已存在时不覆盖）；xlsx 在终端上必须指定")


def _statuses(values: Sequence[str]) -> tuple[str, ...]:
    from generator.labels import STATUS_ZH

    by_label = {label: code for code, label in STATUS_ZH.items()}
    out = []
    for value in (v.strip() for item in values for v in item.replace("，", ",").split(",") if v.strip()):
        code = value if value in STATUS_ZH else by_label.get(value)
        if code is None:
            known = "、".join(f"{c}（{z}）" for c, z in STATUS_ZH.items())
            raise UsageError(f"--status {value} 不是状态：可选 {known}")
        out.append(code)
    return tuple(out)


def _industries(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip().upper() for item in values for v in item.replace("，", ",").split(",") if v.strip())


def _emit(data: bytes, output: str | None, fmt: str) -> None:
    """Exported bytes to a new file (atomic, never over an existing one) or to stdout."""
    from generator.files import Exists, write_new

    if output is None:
        if fmt == "xlsx" and sys.stdout.isatty():
            raise UsageError("xlsx 是二进制文件，不能显示在终端上：请用 --output 文件名.xlsx 指定要写入的新文件")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_new(Path(output), data)
    except Exists:
        raise UsageError(f"{output} 已存在，没有覆盖：请换一个文件名，或先移走原文件") from None
    except OSError as exc:
        raise UsageError(f"无法写入 {output}：{exc.strerror or exc}") from None
    print(f"已写入 {output}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipreg", description="西平县知识产权强企备案登记簿：检查记录、查看状态、生成公开站点。")
    parser.add_argument("--version", action="version", version=f"ipreg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="检查记录（格式、校验码、备案条件、有效期）")
    _common(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("-v", "--verbose", action="store_true", help="同时显示“提示”级别的信息")
    check.add_argument("--no-cache", action="store_true", help="不使用按文件内容保存的检查结果（缓存在用户缓存目录，如 ~/.cache/ipreg/，不在仓库中）")

    st = sub.add_parser("status", help="列出每家企业在今天的状态")
    _common(st)
    st.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table",
                    help="csv：带 BOM 的中文表头，Excel 直接打开；xlsx：Excel 工作簿（代码等都存为文本）")
    _export_options(st)

    explain = sub.add_parser("explain", help="逐条说明一家企业的检查结果和依据")
    _common(explain, paths=False)
    explain.add_argument("file", metavar="FILE", help="记录文件，如 records/91411721MA00000154.yaml")

    due = sub.add_parser("due", help="工作清单：即将届满的有效期、保留资格期和逾期未复核的企业")
    _common(due)
    due.add_argument("--within", type=_days, default=90, metavar="DAYS", help="未来多少天内（默认 90）")
    due.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table",
                     help="csv：带 BOM 的中文表头，Excel 直接打开；xlsx：Excel 工作簿")
    _export_options(due)

    diff = sub.add_parser("diff", help="与另一个提交相比：哪些企业进入或离开名单、状态变化、新增期限")
    _common(diff, paths=False)
    diff.add_argument("base", metavar="BASE_REF", help="比较的基准提交，如 origin/main")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    new = sub.add_parser("new", help="为新企业生成带中文注释的记录模板 records/<代码>.yaml（不会覆盖已有文件）")
    new.add_argument("--uscc", required=True, help="统一社会信用代码（18 位）")
    new.add_argument("--name", required=True, help="企业名称（营业执照上的全称）")
    new.add_argument("--records", default="records", help="记录目录（默认 records）")
    new.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    decide = sub.add_parser("decide", help="把一个决定（同一文号、日期）录入多家企业的记录：只追加事件，其他内容一字不改")
    _common(decide, paths=False)
    decide.add_argument("--type", required=True, metavar="TYPE",
                        help="决定类型：filed（备案）、review_passed（复核通过）、review_failed（复核未通过）、"
                             "review_absent（未参加复核）、revoked（取消资格）、withdrawn（企业退出）")
    decide.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="决定日期（文件的成文日期）")
    decide.add_argument("--document", required=True, metavar="文号", help="决定的文号，如 西市监〔2026〕12号")
    decide.add_argument("--records", default="records", help="记录目录（默认 records）")
    decide.add_argument("--dry-run", action="store_true", help="只显示将要追加的内容（diff），不写入")
    decide.add_argument("uscc", nargs="*", metavar="USCC", help="企业的统一社会信用代码，可写多个")

    docs = sub.add_parser("docs", help="由记录生成公文（.docx，GB/T 9704 版式；装有 LibreOffice 时另生成 PDF）")
    _common(docs, paths=False)
    docs.add_argument("--kind", required=True, choices=("notice", "certificates", "review-letters"),
                      help="notice：决定通知；certificates：证书（带核验二维码）；review-letters：复核通知书")
    docs.add_argument("--document", metavar="文号", help="决定的文号（notice、certificates 必填；review-letters 可作为发文字号）")
    docs.add_argument("--within", type=_days, default=None, metavar="DAYS", help="review-letters：有效期在多少天内届满（默认 policy.yml 的 review_notice_days）")
    docs.add_argument("-o", "--output", default="documents", metavar="DIR", help="输出目录（默认 documents/；只写新文件，不覆盖）")
    docs.add_argument("--site-url", default=None, metavar="URL", help="二维码指向的站点地址（默认环境变量 IPREG_SITE_URL）")
    docs.add_argument("--no-pdf", action="store_true", help="不转换 PDF")

    report = sub.add_parser("report", help="年度统计：当年的决定，年底按状态、类别和行业的企业数，进入和离开名单的企业（xlsx）")
    _common(report, paths=False)
    report.add_argument("--year", type=int, required=True, metavar="YYYY")
    report.add_argument("-o", "--output", metavar="FILE", help="写入的 xlsx 文件（默认 年度统计-YYYY.xlsx；已存在时不覆盖）")

    admin = sub.add_parser("admin", help="本机表单编辑：在浏览器中填表修改 records/ 中的记录（只需 Python，不需要 Node 或互联网）")
    _common(admin, paths=False)
    admin.add_argument("--port", type=int, default=8081, help="本机端口（默认 8081；0 表示任选一个空闲端口）")
    admin.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    admin.add_argument("--export", metavar="DIR", default=None,
                       help="不启动本机编辑器，而是把表单编辑器写到新目录 DIR，供部署在单位内部的服务器上（后端见 mkdocs.yml 的 extra.ipreg_admin）")

    build = sub.add_parser("build", help="检查记录并生成公开站点（mkdocs --strict），成功后才替换旧站点")
    _common(build, paths=False)
    build.add_argument("--site-dir", default="site", help="站点输出目录（默认 site）")
    build.add_argument("--config", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    return parser


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C so that half-written files are removed."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _terminate_late(signum: int, frame: object) -> None:
    """SIGTERM after the work is done (the process is about to exit): end as terminated (143), never by the default
    action in the middle of Python's shutdown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(143)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() else None
    try:
        return _dispatch(args)
    except UsageError as exc:
        print(f"ipreg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PolicyError as exc:
        print(f"ipreg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("ipreg: 已中断", file=sys.stderr)
        return 130
    except Terminated:
        print("ipreg: 已终止", file=sys.stderr)
        return 143
    except JournalError as exc:
        print(f"ipreg: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    except OSError as exc:  # the file system said no (a name too long, no room, no permission): the clerk can act on it
        if getattr(args, "debug", False):
            raise
        print(f"ipreg: {os_error_zh(exc)}", file=sys.stderr)
        return EXIT_FINDINGS
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        print(f"ipreg: 内部错误（{type(exc).__name__}: {exc}）。这是程序的问题，不是您的记录的问题；"
              "请把这条信息报告给维护人员，加 --debug 可看详细信息。", file=sys.stderr)
        return EXIT_FINDINGS
    finally:
        if previous is not None:  # in-process callers (argv given) get their handler back; a program keeps handling it
            signal.signal(signal.SIGTERM, previous if argv is not None else _terminate_late)


_ERRNO_ZH = {
    errno.ENAMETOOLONG: "文件名太长", errno.EACCES: "没有权限", errno.EPERM: "不允许这样操作", errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的", errno.EEXIST: "已经存在", errno.ENOENT: "找不到", errno.ENOTDIR: "路径中有一段不是目录",
    errno.EISDIR: "这是一个目录", errno.EDQUOT: "超出磁盘配额", errno.EIO: "读写出错",
}


def os_error_zh(exc: OSError) -> str:
    """An OSError in words a clerk can act on: what the system said, and the path."""
    what = _ERRNO_ZH.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    where = f"：{exc.filename}" if exc.filename else ""
    return f"无法读写文件（{what}）{where}。请检查路径、文件名和权限后再试；仍有问题请把这条信息报告给维护人员。"


def _days(text: str) -> int:
    """--within: a number of days from 0 to 36,500 (a hundred years), in Chinese when it is not."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是天数：请写 0 到 36500 之间的整数，如 90") from None
    if not 0 <= value <= 36_500:
        raise argparse.ArgumentTypeError(f"{value} 天不对：请写 0 到 36500 之间的整数，如 90")
    return value


def _context(args: argparse.Namespace) -> tuple[Policy, date]:
    today = resolve_today(args.today, os.environ)
    return load_policy(Path(args.policy)), today


def _check_registry(args: argparse.Namespace) -> Registry:
    """``ipreg check``: each file's own results from the content cache or worker processes."""
    from generator.checkcache import cache_dir, check_cached, private_folder

    policy, today = _context(args)
    files, notes = discover(args.paths)
    named = _named_records(files, args.paths)
    if named is not None:  # files of records/ named one by one: check them within the whole registry, report only them
        whole, whole_notes = discover(["records"])
        inside = {os.path.normpath(display) for _, display in whole}
        files = whole + [(path, display) for path, display in files if os.path.normpath(display) not in inside]
        notes = whole_notes + notes
    infos = args.format == "json" or args.verbose  # information notes are shown only there
    cache = None if args.no_cache else cache_dir(os.environ, Path.cwd())
    if cache is not None and not private_folder(cache):
        print(f"ipreg：缓存目录 {cache} 不是本用户独占的目录（其他用户可写，或是符号链接），不使用检查缓存；"
              "请把 IPREG_CACHE_DIR 设为自己的目录，或删除这个设置", file=sys.stderr)
        cache = None
    registry = check_cached(files, notes, policy, today, cache, args.jobs, infos)
    if named is not None:
        registry = replace(registry, entries=tuple(e for e in registry.entries if os.path.normpath(e.file) in named),
                           findings=tuple(f for f in registry.findings if os.path.normpath(f.file) in named))
    return registry


def _named_records(files: list[tuple[str, str]], paths: Sequence[str]) -> set[str] | None:
    """The named files when ``ipreg check`` was given single files of the records/ folder (as the pre-commit hook does):
    registry-wide rules (duplicate USCCs and certificates, the ranking) then need the whole registry, so a local check
    finds what CI finds. None when a folder was named or no named file lies in records/."""
    if list(paths) == ["records"] or any(Path(p).is_dir() for p in paths) or not Path("records").is_dir():
        return None
    named = {os.path.normpath(display) for _, display in files}
    records = Path("records").resolve()
    if not any(Path(path).resolve().parent == records for path, _ in files):
        return None
    return named


def _registry(args: argparse.Namespace, paths: Sequence[str]) -> Registry:
    """Records and statuses for status, due, explain and build (no cache; line maps dropped once used)."""
    from generator.checkcache import check_files
    from generator.registry import assemble

    policy, today = _context(args)
    files, notes = discover(paths)
    return assemble(check_files(files, policy, today, getattr(args, "jobs", None), keep_records=True), policy, today, notes)


def _site_input(args: argparse.Namespace) -> SiteInput:
    """``ipreg build``: check records/ and render each published enterprise's page where it is checked."""
    from generator.site.build import gather

    policy, today = _context(args)
    files, notes = discover(["records"])
    return gather(files, policy, today, notes, getattr(args, "jobs", None))


def _docs(args: argparse.Namespace) -> int:
    """``ipreg docs``: Word files (and PDFs) into a folder, new files only."""
    from generator import documents
    from generator.files import Exists, write_new
    from generator.qr import PLACEHOLDER_SITE

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 是一个文件，不是目录：-o/--output 应为存放公文的目录（默认 documents）")
    policy, today = _context(args)
    registry = _registry(args, ["records"])
    records = list(registry.records())
    site_url = (args.site_url or os.environ.get("IPREG_SITE_URL") or PLACEHOLDER_SITE).rstrip("/") + "/"
    if site_url == PLACEHOLDER_SITE and args.kind == "certificates":
        print(f"ipreg：未设置站点地址（--site-url 或 IPREG_SITE_URL），二维码指向占位地址 {PLACEHOLDER_SITE}，正式发证前请设置。", file=sys.stderr)
    try:
        if args.kind in ("notice", "certificates"):
            if not args.document:
                raise UsageError("--kind notice 和 certificates 需要 --document 文号")
            decided = documents.decision(records, args.document, policy)
            if args.kind == "notice":
                outputs = {f"{documents.safe_name(args.document)}-通知.docx": documents.notice(decided, args.document, policy)}
            else:
                outputs = {f"{documents.safe_name(args.document)}-证书.docx": documents.certificates(decided, args.document, policy, site_url)}
        else:
            within = policy.review_notice_days if args.within is None else args.within
            if within < 0:
                raise UsageError("--within 不能为负数")
            due = [(r, st) for r, st in records if st.listed and st.status in ("valid", "review_due") and st.term_end
                   and 0 <= (st.term_end - today).days <= within]
            outputs = {f"复核通知书-{today}.docx": documents.review_letters(sorted(due, key=lambda x: x[1].term_end or today), policy, today,
                                                                          args.document)}
    except documents.DocsError as exc:
        print(f"ipreg: {exc}", file=sys.stderr)
        return 1
    folder = Path(args.output)
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
        message = documents_pdf(folder / name)
        print(message, file=sys.stderr if message.startswith("未") else sys.stdout)
    return 0


def _admin(args: argparse.Namespace) -> int:
    """``ipreg admin``: the form editor served on this PC (``adminserver``), or written out for a staff server."""
    from generator import admin, adminserver

    schema = Path("schemas") / "enterprise.schema.json"
    if not schema.is_file() or not (Path("records").is_dir() and (adminserver.DECAP / "decap-cms.js").is_file()):
        raise UsageError("请在登记簿仓库的根目录运行 ipreg admin（需要 records/、schemas/ 和 tools/admin/decap/）")
    if args.export:
        return admin.export(Path(args.export), schema, _admin_settings())
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} 不对：请写 0 到 65535 之间的端口号")
    policy, _ = _context(args)

    def read() -> tuple[dict[str, bytes], list[Finding]]:
        files, notes = discover(["records"])
        return {display: read_bytes(path) for path, display in files}, notes

    def today() -> date:
        return resolve_today(args.today, os.environ)

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


def _admin_settings() -> dict[str, Any]:
    """mkdocs.yml ``extra.ipreg_admin`` (its !ENV tags read as their defaults)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    def env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        value = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_scalar(node)  # type: ignore[arg-type]
        if isinstance(value, list):
            return next((os.environ[v] for v in value[:-1] if os.environ.get(v)), value[-1] if value else None)
        return os.environ.get(str(value))

    _Loader.add_constructor("!ENV", env)
    try:
        config = yaml.load(Path("mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"无法读取 mkdocs.yml：{exc}") from None
    settings = ((config or {}).get("extra") or {}).get("ipreg_admin")
    return dict(settings) if isinstance(settings, dict) else {}


def documents_pdf(docx: Path) -> str:
    """Convert with LibreOffice when installed (a private profile, a temporary folder, then a new file next to the .docx)."""
    import shutil
    import subprocess
    import tempfile

    from generator.files import Exists, write_new

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return f"未安装 LibreOffice，只生成了 {docx.name}（用 Word 或 WPS 打开后可另存为 PDF；Debian：apt-get install libreoffice-writer-nogui fonts-noto-cjk）"
    with tempfile.TemporaryDirectory(prefix="ipreg-pdf-") as tmp:
        try:
            result = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                                     "--outdir", tmp, str(docx)], capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"未能转换 PDF（{exc}），{docx.name} 已生成"
        produced = Path(tmp) / (docx.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            return f"未能转换 PDF（LibreOffice 返回 {result.returncode}），{docx.name} 已生成"
        target = docx.with_suffix(".pdf")
        try:
            write_new(target, produced.read_bytes())
        except Exists:
            return f"未写入 {target.name}：文件已存在，没有覆盖"
    return f"已生成 {target}"


def _diff(args: argparse.Namespace) -> int:
    from generator import commands, gitsource
    from generator.policy import policy_from_loaded

    policy, today = _context(args)
    cwd = Path.cwd()
    try:
        commit = gitsource.resolve(args.base, cwd)
        before_files = gitsource.records_at(commit, "records", cwd)
        base_policy_raw = gitsource.file_at(commit, "policy.yml", cwd)
    except gitsource.GitError as exc:
        raise UsageError(str(exc)) from None
    base_policy = policy
    if base_policy_raw is not None:
        try:
            base_policy = policy_from_loaded(load_bytes(base_policy_raw, f"{args.base}:policy.yml"))
        except PolicyError:
            pass  # an invalid old policy: compare under today's policy
    files, notes = discover(["records"])
    after_files = {display: read_bytes(path) for path, display in files}
    before = build_registry(gitsource.load_all(before_files), base_policy, today)
    after = build_registry([load_bytes(data, name) for name, data in after_files.items()], policy, today, notes)
    current_raw = read_bytes(Path(args.policy)) if Path(args.policy).is_file() else None
    policy_changed = base_policy_raw != current_raw
    return commands.diff(args.base, before, after, before_files, after_files, args.format, policy_changed)


def _waiting() -> None:
    print("ipreg：另一个 ipreg 命令正在写记录，等它完成……", file=sys.stderr)


def _recover(args: argparse.Namespace) -> None:
    """Finish or undo what a killed ``ipreg decide`` left (``journal``), before any command reads the records."""
    folders = {Path("records"), Path(getattr(args, "records", None) or "records")}
    for folder in folders:
        if folder.is_dir():
            done = recover(folder, _waiting)
            if done:
                print(f"ipreg：{done}", file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    _recover(args)
    from generator import commands

    if args.command == "check":
        return commands.check(_check_registry(args), args.format, args.verbose)
    if args.command == "status":
        registry = _registry(args, args.paths)
        filters = (_statuses(args.status), _industries(args.industry))
        if args.format in ("csv", "xlsx"):
            _emit(commands.status_export(registry, args.format, *filters), args.output, args.format)
            return commands.status_exit(registry)
        return commands.status(registry, args.format, *filters)
    if args.command == "due":
        if args.within < 0:
            raise UsageError("--within 不能为负数")
        registry = _registry(args, args.paths)
        filters = (_statuses(args.status), _industries(args.industry))
        if args.format in ("csv", "xlsx"):
            _emit(commands.due_export(registry, args.within, args.format, *filters), args.output, args.format)
            return 0
        return commands.due(registry, args.within, args.format, *filters)
    if args.command == "explain":
        target = Path(args.file)
        if not target.is_file():
            raise UsageError(f"找不到记录文件 {args.file}")
        registry = _registry(args, [target.parent.as_posix() or "."])
        return commands.explain(registry, target)
    if args.command == "diff":
        return _diff(args)
    if args.command == "new":
        with registry_lock(Path(args.records), _waiting):
            return commands.new(args.uscc, args.name, Path(args.records))
    if args.command == "docs":
        return _docs(args)
    if args.command == "report":
        policy, today = _context(args)
        if not 2000 <= args.year <= today.year:
            raise UsageError(f"--year {args.year} 不对：应为 2000 至 {today.year} 之间的年份")
        registry = _registry(args, ["records"])
        from generator.yearly import report_xlsx, year_report

        data = report_xlsx(year_report([r for r, _ in registry.records()], policy, args.year, today))
        _emit(data, args.output or f"年度统计-{args.year}.xlsx", "xlsx")
        return 0
    if args.command == "decide":
        policy, today = _context(args)
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date} 不是日期：请写作 YYYY-MM-DD，如 2026-03-15") from None
        if not Path(args.records).is_dir():
            raise UsageError(f"找不到记录目录 {args.records}：请在登记簿根目录运行，或用 --records 指定")
        with registry_lock(Path(args.records), _waiting):  # read, number, check and write while no other writer runs
            files, notes = discover([args.records])  # the whole registry, read under the lock: the change is checked within it
            raws = {display: read_bytes(path) for path, display in files}
            prefix = Path(args.records).as_posix().rstrip("/") + "/"
            return commands.decide(raws, prefix, args.type, day, args.document, args.uscc, policy, today, args.dry_run, notes)
    if args.command == "admin":
        return _admin(args)
    if args.command == "build":
        from generator.site.sitedir import SiteDirError, check_target

        config = Path(args.config)
        if not config.is_file():
            raise UsageError(f"找不到 {args.config}：请在登记簿根目录运行")
        try:
            target = check_target(Path(args.site_dir), Path(os.path.abspath(config)).parent)
        except SiteDirError as exc:
            raise UsageError(str(exc)) from None
        return commands.build(_site_input(args), config, target)
    raise UsageError(f"未知命令 {args.command}")

