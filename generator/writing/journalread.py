"""Reading a write journal (``journal``) left beside ``records/``: only one this machine's ipreg could have written for
this registry is accepted. A journal folder must be a real folder holding only regular files of ipreg's own names
(``N.new``, ``manifest.json``, ``manifest.json.tmp``) and must not be tracked by git (then it came with a commit); its
manifest must be signed with this machine's key for this registry folder (``journalkey``) and name only targets
``<records>/<USCC>.yaml`` (18 characters 0-9 A-Z) that really lie in the records folder (no link, nothing resolving
elsewhere), each with its own staged file ``N.new``. Anything else raises ``Refused`` with the reason in Chinese."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ConfigurationError, IpregError
from generator.files import open_own
from generator.writing import journalkey

JOURNAL = ".ipreg-journal"
DONE = ".ipreg-journal.done"
MANIFEST = "manifest.json"
TEMP = f"{MANIFEST}.tmp"
FORMAT = 1
RECORD = re.compile(r"[0-9A-Z]{18}\.yaml")
STAGED = re.compile(r"(?:0|[1-9][0-9]{0,5})\.new")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_MAX_MANIFEST = 16 << 20


@dataclass(frozen=True)
class Entry:
    target: Path  # absolute, validated: <records>/<USCC>.yaml
    shown: str  # records/<USCC>.yaml, derived from the target
    old: str | None
    new: str
    staged: str  # N.new


@dataclass(frozen=True)
class Found:
    """A journal folder as read: its validated entries (None: no manifest) and the names of its files."""

    entries: list[Entry] | None
    files: list[str]


class Refused(ConfigurationError):
    """Why a journal is not one ipreg wrote here (Chinese)."""


class Gone(IpregError):
    """The journal went away while it was read (another run finished it)."""


def _shown(name: str) -> str:
    """A name from a journal, safe to print (no control characters from someone else's file name)."""
    return name if name.isprintable() and len(name) <= 80 else ascii(name[:80])


def _tracked(home: Path) -> bool:
    """Whether git tracks anything in the journal's folders: then it came with a commit (without git: the signature)."""
    try:
        result = subprocess.run(["git", "-C", str(home), "ls-files", "-z", "--", JOURNAL, DONE], stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and bool(result.stdout)


def _listing(folder: Path) -> list[str]:
    """The files of a journal folder; refused unless it is a real folder holding only regular files of ipreg's names."""
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise Refused("它不是普通目录，而是符号链接或文件")
        names = sorted(os.listdir(folder))
        for name in names:
            if name not in (MANIFEST, TEMP) and not STAGED.fullmatch(name):
                raise Refused(f"其中有 ipreg 不会写的文件 {_shown(name)}")
            if not stat.S_ISREG(os.lstat(folder / name).st_mode):
                raise Refused(f"其中的 {name} 不是普通文件")
    except FileNotFoundError:
        raise Gone from None
    except OSError as exc:
        raise Refused(f"无法读取：{exc.strerror or exc}") from None
    return names


def canonical(body: object) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _manifest(home: Path, folder: Path) -> list[Entry]:
    try:
        with os.fdopen(open_own(folder / MANIFEST), "rb") as handle:
            raw = handle.read(_MAX_MANIFEST + 1)
    except FileNotFoundError:
        raise Gone from None
    except OSError as exc:
        raise Refused(f"无法读取清单 {MANIFEST}：{exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError too
        data = None
    if len(raw) > _MAX_MANIFEST or not isinstance(data, dict) or set(data) != {"body", "mac"}:
        raise Refused(f"清单 {MANIFEST} 不是 ipreg 写的格式")
    if not journalkey.verify(home, canonical(data["body"]), data["mac"]):
        raise Refused(f"清单 {MANIFEST} 没有本机 ipreg 为这个登记簿所做的签名")
    return _entries(home, data["body"])


def _entries(home: Path, body: object) -> list[Entry]:
    if not isinstance(body, dict) or set(body) != {"format", "records", "entries"} or body["format"] != FORMAT:
        raise Refused(f"清单 {MANIFEST} 不是 ipreg 写的格式")
    name, rows = body["records"], body["entries"]
    if not isinstance(name, str) or not name or name.startswith(".") or not name.isprintable() or {"/", "\\"} & set(name):
        raise Refused(f"清单中的记录目录 {_shown(str(name))} 不是 ipreg 会写的")
    if not isinstance(rows, list) or not rows:
        raise Refused(f"清单 {MANIFEST} 不是 ipreg 写的格式")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or set(row) != {"file", "old", "new", "staged"}:
            raise Refused(f"清单 {MANIFEST} 不是 ipreg 写的格式")
        file, old, new = row["file"], row["old"], row["new"]
        if not isinstance(file, str) or not RECORD.fullmatch(file):
            raise Refused(f"清单要写的 {_shown(str(file))} 不是 {name}/ 中的 <统一社会信用代码>.yaml")
        if row["staged"] != f"{i}.new":
            raise Refused(f"清单中的暂存文件名 {_shown(str(row['staged']))} 不是 ipreg 会写的")
        if not (isinstance(new, str) and _DIGEST.fullmatch(new) and (old is None or isinstance(old, str) and _DIGEST.fullmatch(old))):
            raise Refused(f"清单 {MANIFEST} 不是 ipreg 写的格式")
        out.append(Entry(_inside(home / name, file), f"{name}/{file}", old, new, f"{i}.new"))
    if len({e.target for e in out}) != len(out):
        raise Refused(f"清单 {MANIFEST} 把同一个文件写了两次")
    return out


def _inside(records: Path, file: str) -> Path:
    """``records/file`` when it really is a file of the records folder (neither of them a link, nothing resolving
    elsewhere)."""
    try:
        folder = stat.S_ISDIR(os.lstat(records).st_mode)  # a real folder, not a link to one (ipreg checks no linked records/)
    except OSError:
        folder = False
    real = os.path.realpath(records)
    if not folder or os.path.realpath(records / file) != os.path.join(real, file):
        raise Refused(f"{records.name}/{file} 是符号链接或不在记录目录 {records.name}/ 中")
    return Path(os.path.abspath(records / file))


def examine(home: Path, folder: Path) -> Found:
    """A journal folder, validated: raises Refused (a reason in Chinese) or Gone."""
    files = _listing(folder)
    if _tracked(home):
        raise Refused("它被 git 跟踪，是随提交带进来的")
    return Found(_manifest(home, folder) if MANIFEST in files else None, files)
