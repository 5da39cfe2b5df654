"""Where ``ipreg build`` may write, and how the new site replaces the old one.

Never destroy what ipreg did not create: every site ipreg builds carries ``MARKER``, and only an
absent folder, an empty folder or a folder with the marker is ever replaced. The repository itself,
its source folders (``PROTECTED``) and every path git tracks are refused even when empty.

The swap is one system call on Linux (``renameat2(RENAME_EXCHANGE)``): at every moment, SIGKILL
included, the target holds either the complete old site or the complete new one. The old site then
sits in the temporary folder and is removed; temporary folders left by a killed build
(``.<name>.building-<pid>``, ``.<name>.old-<pid>``) are removed by the next build, but only those
that carry the marker (or are empty) and whose process is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from generator.errors import ConfigurationError

MARKER = ".ipreg-site"
MARKER_TEXT = "本目录是 ipreg build 生成的公开站点；ipreg build 只会替换带有此文件的目录。\n"
PROTECTED = ("records", "docs", "generator", "schemas", "texts", "overrides", "tests", "benchmarks", ".git", ".github", ".ci")
_RENAME_EXCHANGE = 2
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?:building|old)-(?P<pid>[0-9]+)$")


class SiteDirError(ConfigurationError):
    """The target folder may not be written (message in Chinese): a usage error, nothing was touched."""


def check_target(site_dir: Path, root: Path) -> Path:
    """The absolute target for ``--site-dir``, or SiteDirError when writing there could destroy something."""
    shown = str(site_dir)
    if site_dir.is_symlink():
        raise SiteDirError(f"--site-dir {shown} 是符号链接：站点只能生成到普通目录，已拒绝，请换一个目录名")
    target = Path(os.path.abspath(site_dir))
    base = Path(os.path.abspath(root))
    if target == base or base.is_relative_to(target):
        raise SiteDirError(f"--site-dir {shown} 是登记簿仓库本身或包含它：生成站点会删除整个仓库，已拒绝")
    if target.is_relative_to(base):
        first = target.relative_to(base).parts[0]
        if first in PROTECTED:
            raise SiteDirError(
                f"--site-dir {shown} 在仓库的 {first}/ 中：那是登记簿自己的文件（记录、页面、程序或 Git 历史），不能放生成的站点，已拒绝"
            )
        tracked = _tracked(base, target)
        if tracked:
            raise SiteDirError(f"--site-dir {shown} 是 git 管理的路径（含 {tracked}）：生成站点会覆盖仓库中的文件，已拒绝")
    if target.exists():
        if not target.is_dir():
            raise SiteDirError(f"--site-dir {shown} 是一个文件，不是目录：已拒绝，文件保持不变")
        if any(os.scandir(target)) and not is_site(target):
            raise SiteDirError(
                f"--site-dir {shown} 已存在且不是 ipreg 生成的站点（没有 {MARKER} 标记文件）：为免删除其中的文件，"
                "已拒绝。请换一个新的或空的目录；若确认它是旧版本生成的站点，请先手动删除它"
            )
    return target


def is_site(folder: Path) -> bool:
    try:
        return (folder / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def _tracked(root: Path, target: Path) -> str | None:
    """A path git tracks at or above ``target`` (below ``root``), or inside it; None without git."""
    relative = target.relative_to(root)
    candidates = [relative, *list(relative.parents)[:-1]]
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", *(p.as_posix() for p in candidates)],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None  # not a git checkout: the fixed list above still applies
    names = [n for n in result.stdout.decode("utf-8", "replace").split("\0") if n]
    return names[0] if names else None


def temp_for(target: Path) -> Path:
    """A fresh temporary sibling of ``target``, marked as ipreg's from its first moment."""
    remove_stale(target)
    temp = target.parent / f".{target.name}.building-{os.getpid()}"
    if temp.exists() and (is_site(temp) or not any(temp.iterdir())):
        shutil.rmtree(temp)  # ours, from an earlier run of this process
    temp.mkdir(parents=True)  # anything else there is not ours: mkdir fails and the build stops, touching nothing
    (temp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return temp


def remove_stale(target: Path) -> list[Path]:
    """Clear what killed builds left beside ``target``: marked (or empty) temporary folders of dead processes.

    Where the two-rename fallback was killed between its renames (no Linux exchange), the old site
    is put back at ``target`` first."""
    if not target.parent.is_dir():
        return []
    stale = []
    for entry in sorted(target.parent.iterdir()):
        match = _TEMP.match(entry.name)
        if match is None or match["name"] != target.name or entry.is_symlink() or not entry.is_dir():
            continue
        if not _alive(int(match["pid"]), entry) and (is_site(entry) or not any(entry.iterdir())):
            stale.append(entry)
    for entry in stale:
        if ".old-" in entry.name and not target.exists() and is_site(entry):
            os.rename(entry, target)
        else:
            shutil.rmtree(entry, ignore_errors=True)
    return stale


def _alive(pid: int, entry: Path) -> bool:
    if pid == os.getpid():
        return False
    if os.name != "posix":  # no safe liveness probe: a day-old folder is stale
        return time.time() - entry.stat().st_mtime < 86_400
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap(new: Path, target: Path) -> None:
    """Put the complete site ``new`` at ``target`` atomically and remove the old one."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now the old site
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"  # elsewhere: two renames, the old site kept until the second
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two paths in one step (Linux 3.15+, glibc 2.28+); False where unsupported."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
