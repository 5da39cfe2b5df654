"""One module per subcommand (``generator.commands.<name>``), each with ``run(args, env) -> exit code``; the CLI
(``generator.cli``) parses, dispatches and maps errors to exit codes. ``env`` is the environment the CLI was given:
no command reads ``os.environ`` or the clock itself. Helpers the commands share live here."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from generator.checking.reporters import text_line
from generator.files import SILENT, Progress, TerminalProgress
from generator.findings import Finding
from generator.inputs import UsageError, discover, resolve_today
from generator.policy import PolicyHistory, load_policy
from generator.registry import Registry

Env = Mapping[str, str]


def context(args: argparse.Namespace, env: Env) -> tuple[PolicyHistory, date]:
    """policy.yml (``--policy``) and the day to evaluate (``--today``, IPREG_TODAY, or today in Shanghai)."""
    today = resolve_today(args.today, env)
    return load_policy(Path(args.policy)), today


def registry(args: argparse.Namespace, env: Env, paths: Sequence[str]) -> Registry:
    """Records and statuses for status, due, explain and report (no cache; line maps dropped once used)."""
    from generator.checking.workers import check_files
    from generator.registry import assemble

    policy, today = context(args, env)
    files, notes = discover(paths)
    return assemble(check_files(files, policy, today, getattr(args, "jobs", None), keep_records=True, progress=progress(env)), policy,
                    today, notes)


def progress(env: Env) -> Progress:
    """The progress a long command shows: on a terminal (standard error is one, TERM is not dumb, no CI) a line that
    says what it does and how far it is (``progress.TerminalProgress``, without colour under NO_COLOR); else nothing, so
    piped output and CI logs stay as they were. Decided here, once, from the environment the command line read."""
    if env.get("CI", "").lower() not in ("", "0", "false") or env.get("TERM") == "dumb" or not sys.stderr.isatty():
        return SILENT
    return TerminalProgress(sys.stderr, colour=not env.get("NO_COLOR"), redirect=sys.stdout.isatty())


def day_option(text: str) -> date:
    """``--date`` of the commands that write records."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text} 不是日期：请写作 YYYY-MM-DD，如 2026-03-15") from None


def records_folder(args: argparse.Namespace) -> tuple[Path, str]:
    """``--records`` of the commands that write records, and the prefix of its files' display names."""
    records = Path(args.records)
    if not records.is_dir():
        raise UsageError(f"找不到记录目录 {args.records}：请在登记簿根目录运行，或用 --records 指定")
    return records, records.as_posix().rstrip("/") + "/"


def refused(message: str, findings: Sequence[Finding]) -> int:
    """A writer's refusal (nothing written): its reason and the findings behind it, on stderr; exit 1."""
    print(f"ipreg: {message}", file=sys.stderr)
    for finding in findings:
        print("  " + text_line(finding), file=sys.stderr)
    return 1


def waiting() -> None:
    print("ipreg：另一个 ipreg 命令正在写记录，等它完成……", file=sys.stderr)


def statuses(values: Sequence[str]) -> tuple[str, ...]:
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


def industries(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip().upper() for item in values for v in item.replace("，", ",").split(",") if v.strip())


def emit(data: bytes, output: str | None, fmt: str) -> None:
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


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table whose columns line up in a terminal (Chinese characters are two columns wide)."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines) + "\n"


def problems_note(registry: Registry) -> str:
    skipped = [e.file for e in registry.entries if e.record is None]
    if not skipped:
        return ""
    return f"注意：{len(skipped)} 个文件有格式错误，未列入（运行 ipreg check 查看）：{'、'.join(skipped)}\n"


def mkdocs_config(path: Path, env: Env) -> dict[str, Any]:
    """``mkdocs.yml`` for the settings ipreg takes from it (``site_url``, ``extra.ipreg_admin``): not a clerk's file, so
    not through generator/loader.py's door but PyYAML's safe loader with MkDocs' own tags: ``!ENV`` read from ``env``
    (the first variable set, else the last item, its default), ``!relative`` and ``!!python/name:`` (pymdownx's emoji,
    superfences) kept as text, never imported. A file that cannot be read or parsed is a usage error."""
    import yaml

    def from_env(load: Any, node: yaml.Node) -> Any:
        names = load.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [load.construct_scalar(node), None]
        return next((env[str(v)] for v in names[:-1] if env.get(str(v))), names[-1] if names else None)

    loader: Any = type("MkDocsLoader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", from_env)
    loader.add_constructor("!relative", lambda load, node: load.construct_scalar(node))
    loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda load, suffix, node: node.value or suffix)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"无法读取 mkdocs.yml：{exc}") from None
    return config if isinstance(config, dict) else {}
