"""``ipreg``: the command line. It parses the arguments, reads the environment once, dispatches to
``generator.commands.<name>.run(args, env)`` and maps every error to an exit code and one Chinese line.

Exit codes (``generator.errors``): 0 no error (warnings allowed), 1 errors found (or nothing written: a refused write,
a failed build, a file-system error), 2 usage or configuration error (a write journal ipreg did not write here counts
as one), 3 internal error (a fault of the program: one Chinese line, the traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import atexit
import errno
import importlib
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn

from generator import __version__
from generator.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_USAGE, IpregError
from generator.inputs import UsageError
from generator.words import WideHelpFormatter
from generator.writing import entryargs
from generator.writing.journal import JournalRefused, recover

# argparse's own words, in Chinese (a clerk reads the help and the usage errors): in the help ...
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
}
# ... and in its error messages (argparse's English templates: ChineseArgumentParser.error translates them)
_ARGPARSE_ERRORS_ZH = {
    "the following arguments are required: %s": "缺少必须给出的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s（用 ipreg -h 或 ipreg 命令 -h 查看用法）",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r 不是可选的值（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "后面需要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected at least one argument": "后面至少写一个值",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值（应为 %(type)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出一个",
    "ignored explicit argument %r": "多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可选：%(choices)s）",
    "expected %s argument": "后面需要写 %s 个值",
    "expected %s arguments": "后面需要写 %s 个值",
}
_FIELD = re.compile(r"%\((\w+)\)[rs]|%[rs]")


def _template(english: str) -> re.Pattern[str]:
    """An argparse message template as a pattern: each field a group; the values a user typed match greedily (what
    follows them is argparse's or ipreg's own words), an argument's name and a type's lazily (a user's value follows)."""
    parts, at = [], 0
    for number, field in enumerate(_FIELD.finditer(english)):
        name = field.group(1) or f"_{number}"  # %s, %r: by position (argparse's templates have one at most)
        parts += [re.escape(english[at:field.start()]), f"(?P<{name}>.*{'?' if name in ('argument_name', 'type') else ''})"]
        at = field.end()
    return re.compile("".join([*parts, re.escape(english[at:])]), re.DOTALL)


_ARGPARSE_ERRORS = [(_template(english), chinese) for english, chinese in _ARGPARSE_ERRORS_ZH.items()]


def _argparse_zh(message: str) -> str:
    """One of argparse's error messages in Chinese (a message it does not know stays as it is)."""
    for pattern, chinese in _ARGPARSE_ERRORS:
        match = pattern.fullmatch(message)
        if match:
            return _fill(chinese, match.groupdict())
    return message


def _fill(chinese: str, values: dict[str, str]) -> str:
    if "message" in values:
        values["message"] = _argparse_zh(values["message"])
    positional = iter(value for name, value in sorted(values.items()) if name.startswith("_"))
    return _FIELD.sub(lambda field: values[field.group(1)] if field.group(1) else next(positional), chinese)


class _ChineseHelpFormatter(WideHelpFormatter):
    """The help's own words in Chinese (the usage prefix, the section headings), measured in columns (words.py)."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _ARGPARSE_ZH["usage: "] if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(_ARGPARSE_ZH.get(heading, heading) if heading else heading)

    def format_help(self) -> str:  # argparse ends a heading with ":"; a Chinese heading takes "："
        return re.sub(r"^(\S*[\u4e00-\u9fff]):$", r"\1：", super().format_help(), flags=re.M)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse speaking Chinese through its public methods (its subcommands' parsers are of this class too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if isinstance(kwargs.get("help"), str):  # -h's help, which ArgumentParser adds itself
            kwargs["help"] = _ARGPARSE_ZH.get(kwargs["help"], kwargs["help"])
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{_argparse_zh(message)}\n")


COMMANDS = ("check", "status", "explain", "due", "diff", "new", "decide", "service", "priority", "import", "form", "docs", "report",
            "admin", "build")

_MODULES = {"import": "importing"}  # a command whose name is a Python keyword


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


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="ipreg", description="知识产权强企备案登记簿：检查记录、查看状态、生成公开站点。")
    parser.add_argument("--version", action="version", version=f"ipreg {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="检查记录（格式、校验码、备案条件、有效期）")
    _common(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("-v", "--verbose", action="store_true", help="同时显示“提示”级别的信息")
    check.add_argument(
        "--no-cache", action="store_true", help="不使用按文件内容保存的检查结果（缓存在用户缓存目录，如 ~/.cache/ipreg/，不在仓库中）"
    )

    st = sub.add_parser("status", help="列出每家企业在今天的状态")
    _common(st)
    st.add_argument(
        "--format",
        choices=("table", "json", "csv", "xlsx"),
        default="table",
        help="csv：带 BOM 的中文表头，Excel 直接打开；xlsx：Excel 工作簿（代码等都存为文本）",
    )
    _export_options(st)
    st.add_argument("--entitled", action="store_true", help="只列出当天可获优先支持（第十三条）的企业（policy.yml 的约定）")

    explain = sub.add_parser("explain", help="逐条说明一家企业的检查结果和依据")
    _common(explain, paths=False)
    explain.add_argument("file", metavar="FILE", help="记录文件，如 records/91411721MA00000154.yaml，或只写统一社会信用代码")

    due = sub.add_parser("due", help="工作清单：即将届满的有效期、保留资格期和逾期未复核的企业")
    _common(due)
    due.add_argument("--within", type=_days, default=90, metavar="DAYS", help="未来多少天内（默认 90）")
    due.add_argument("--month", default=None, metavar="YYYY-MM", help="只列出这个月的期限，如 2026-12（代替 --within）")
    due.add_argument(
        "--format",
        choices=("table", "json", "csv", "xlsx"),
        default="table",
        help="csv：带 BOM 的中文表头，Excel 直接打开；xlsx：Excel 工作簿",
    )
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
    decide.add_argument(
        "--type",
        required=True,
        metavar="TYPE",
        help="决定类型，英文代码或中文都可以：filed（备案）、review_passed（复核通过）、review_failed（复核未通过）、"
        "review_absent（未参加复核）、revoked（取消资格）、withdrawn（企业申请退出）",
    )
    decide.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="决定日期（文件的成文日期）")
    decide.add_argument("--document", required=True, metavar="文号", help="决定的文号，如 西市监〔2026〕12号")
    decide.add_argument("--records", default="records", help="记录目录（默认 records）")
    decide.add_argument("--dry-run", action="store_true", help="只显示将要追加的内容（diff），不写入")
    decide.add_argument("uscc", nargs="*", metavar="USCC", help="企业的统一社会信用代码，可写多个")
    entryargs.add_parsers(sub, _common)

    imp = sub.add_parser("import", help="导入备案机关已有的名单（.xlsx 或 .csv）：新企业建立记录，已有企业只追加缺少的决定，"
                         "有错误时一个文件也不写；或用 --form 导入企业填好的申报表")
    _common(imp, paths=False)
    imp.add_argument("file", nargs="?", metavar="FILE", help="名单文件（.xlsx 或 .csv）")
    imp.add_argument("--sheet", metavar="NAME", help="工作表名称（默认第一个工作表）")
    imp.add_argument("--source", metavar="TEXT", help="记录中写明的来源（默认名单的文件名），如 “2023年县局备案名单”")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    imp.add_argument("--report", metavar="REPORT.xlsx", help="把逐行报告写入新的工作簿（默认显示在终端上）")
    imp.add_argument("--form", metavar="FILLED.xlsx", help="导入企业填写的申报表（ipreg form 生成的工作簿）")
    imp.add_argument("--date", metavar="RECEIVED", help="与 --form 同用：收到申报表的日期（YYYY-MM-DD）")
    imp.add_argument("--records", default="records", help=argparse.SUPPRESS)

    form = sub.add_parser("form", help="生成企业申报表（.xlsx，由记录结构生成：下拉选项、数据验证、填写说明）")
    form.add_argument("-o", "--output", metavar="FILE", help="写入新文件，如 申报表.xlsx（已存在时不覆盖）")
    form.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    docs = sub.add_parser("docs", help="由记录生成公文（.docx，GB/T 9704 版式；装有 LibreOffice 时另生成 PDF）")
    _common(docs, paths=False)
    docs.add_argument(
        "--kind",
        required=True,
        choices=("notice", "certificates", "review-letters", "review-sheet"),
        help="notice：决定通知（撤销为决定）；certificates：证书（带核验二维码）；review-letters：复核通知函；"
        "review-sheet：申报中企业的审核表",
    )
    docs.add_argument("--document", metavar="文号",
                      help="决定的文号（notice、certificates 必填；review-letters 为第一封函的文号，其余依次加一）")
    docs.add_argument(
        "--within",
        type=_days,
        default=None,
        metavar="DAYS",
        help="review-letters：有效期在多少天内届满（默认 policy.yml 的 review_notice_days）",
    )
    docs.add_argument("-o", "--output", default="documents", metavar="DIR", help="输出目录（默认 documents/；只写新文件，不覆盖）")
    docs.add_argument("--site-url", default=None, metavar="URL",
                      help="二维码指向的站点地址（默认 IPREG_SITE_URL，再默认 mkdocs.yml 的 site_url）")
    docs.add_argument("--draft", action="store_true",
                      help="样稿：站点地址未设置时也生成证书、联系方式未填写时也生成复核通知函，每页印“样稿”")
    docs.add_argument("--force", action="store_true",
                      help="certificates：企业今天已不在名单中（如已撤销、已退出）时仍打印其证书（先警告）")
    docs.add_argument("--no-pdf", action="store_true", help="不转换 PDF")

    report = sub.add_parser("report", help="年度统计：当年的决定，年底按状态、类别和行业的企业数，进入和离开名单的企业（xlsx）")
    _common(report, paths=False)
    report.add_argument("--year", type=int, required=True, metavar="YYYY", help="统计哪一年（按决定日期计，不论文号写的年份）")
    report.add_argument("-o", "--output", metavar="FILE", help="写入的 xlsx 文件（默认 年度统计-YYYY.xlsx；已存在时不覆盖）")

    admin = sub.add_parser("admin", help="本机表单编辑：在浏览器中填表修改 records/ 中的记录（只需 Python，不需要 Node 或互联网）")
    _common(admin, paths=False)
    admin.add_argument("--port", type=int, default=8081, help="本机端口（默认 8081；0 表示任选一个空闲端口）")
    admin.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    admin.add_argument(
        "--export",
        metavar="DIR",
        default=None,
        help="不启动本机编辑器，而是把表单编辑器写到新目录 DIR，供部署在单位内部的服务器上（后端见 mkdocs.yml 的 extra.ipreg_admin）",
    )

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
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(143)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() else None
    try:
        return _dispatch(args, dict(os.environ))  # the one place the environment is read
    except IpregError as exc:  # every error ipreg expects, each with its exit code (generator.errors)
        print(f"ipreg: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ipreg: 已中断", file=sys.stderr)
        return 130
    except Terminated:
        print("ipreg: 已终止", file=sys.stderr)
        return 143
    except OSError as exc:  # the file system said no (a name too long, no room, no permission): the clerk can act on it
        if getattr(args, "debug", False):
            raise
        print(f"ipreg: {os_error_zh(exc)}", file=sys.stderr)
        return EXIT_FINDINGS
    except Exception as exc:  # a fault of the program: exit 3, never 1 (CI tells a crash from records with errors)
        if getattr(args, "debug", False):
            traceback.print_exc()
        detail = " ".join(str(exc).split())  # one line
        print(
            f"ipreg: 内部错误（{type(exc).__name__}: {detail}）。这是程序的问题，不是您的记录的问题；"
            "请把运行的命令和这条信息报告给维护人员，加 --debug 可看详细信息。",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if previous is not None:  # in-process callers (argv given) get their handler back; a program keeps handling it
            signal.signal(signal.SIGTERM, previous if argv is not None else _terminate_late)
            if argv is None:
                atexit.register(_hold_sigterm)


def _hold_sigterm() -> None:
    """The last step of a program's life: Python's shutdown puts the default SIGTERM action back before the process
    ends, so a SIGTERM in that last moment would kill it by signal (exit -15). It is held from here on; the work is
    done and the process ends with its own exit code."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})


_ERRNO_ZH = {
    errno.ENAMETOOLONG: "文件名太长",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许这样操作",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.EEXIST: "已经存在",
    errno.ENOENT: "找不到",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EISDIR: "这是一个目录",
    errno.EDQUOT: "超出磁盘配额",
    errno.EIO: "读写出错",
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


def _recover(args: argparse.Namespace) -> bool:
    """Finish or undo what a killed ``ipreg decide`` left (``journal``), before any command reads the records. A
    journal ipreg did not write here is left alone and reported; True then (the command still runs: ``ipreg check``
    still checks, and writing commands refuse to write)."""
    from generator.commands import waiting

    refused = False
    for folder in sorted({Path("records"), Path(getattr(args, "records", None) or "records")}):
        if folder.is_dir():
            try:
                done = recover(folder, waiting)
            except JournalRefused as exc:
                print(f"ipreg：{exc}", file=sys.stderr)
                refused = True
                continue
            if done:
                print(f"ipreg：{done}", file=sys.stderr)
    return refused


def _dispatch(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    if args.command not in COMMANDS:
        raise UsageError(f"未知命令 {args.command}")
    refused = _recover(args)
    module = _MODULES.get(args.command, args.command)
    command = importlib.import_module(f"generator.commands.{module}")  # only the command that runs is imported
    code = int(command.run(args, env))
    return max(code, EXIT_USAGE) if refused else code  # a journal from elsewhere is a configuration problem: 2
