"""What every command reads first: today's date, and the record files of a registry folder.

The CLI (and MkDocs' plugin, the other edge) call these with the environment they were given; nothing below them
reads the environment or the clock.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from generator.errors import ConfigurationError
from generator.findings import Finding
from generator.loader import read_bytes
from generator.rules import FILE_NAME
from generator.schema import date_range

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time


class UsageError(ConfigurationError):
    """Bad arguments or configuration: exit code 2."""


def resolve_today(option: str | None, environ: Mapping[str, str]) -> date:
    """--today, else IPREG_TODAY, else the current date in Asia/Shanghai."""
    for source, value in (("--today", option), ("IPREG_TODAY", environ.get("IPREG_TODAY"))):
        if value:
            try:
                if len(value) != 10:
                    raise ValueError(value)
                day = date.fromisoformat(value)
            except ValueError:
                raise UsageError(f"{source} 的值 {value!r} 不是有效日期：请写作 YYYY-MM-DD，如 2026-01-31") from None
            first, last = date_range()
            if not first <= day <= last:
                raise UsageError(f"{source} 的值 {value} 超出登记簿的日期范围（{first} 至 {last}，与记录中的日期相同）")
            return day
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



def read_registry(folder: str) -> tuple[dict[str, bytes], list[Finding]]:
    """Every record of ``folder`` as bytes (name shown -> bytes), and the findings about what is not a record."""
    files, notes = discover([folder])
    return {display: read_bytes(path) for path, display in files}, notes
