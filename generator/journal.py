"""Writing records: one lock for the registry, and a journal that makes a change to many files all or nothing.

Every command that writes records (``ipreg decide``, ``ipreg new``, the form editor's backend) holds the registry lock
(``.ipreg-lock`` beside ``records/``: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows) while it reads, checks
and writes, so two clerks' runs take turns instead of overwriting each other's events or numbering two certificates
alike. Nothing temporary is ever put in ``records/`` (``ipreg check`` would read it):

1. the new content of every file is written and synced to ``.ipreg-journal/N.new`` beside ``records/``;
2. ``.ipreg-journal/manifest.json`` (each target, the SHA-256 of its old and new content) is written and renamed into
   place: from this moment the change is decided;
3. each staged file is renamed over its record (one atomic rename per file, same file system);
4. the journal is removed.

A run killed before step 2 has changed no record: the next ipreg command removes the staged files (rolled back). A
run killed after it is finished by the next ipreg command (rolled forward): every record then has the change. Either
way that command says what it found, in Chinese.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.files import create_exclusive

LOCK = ".ipreg-lock"
JOURNAL = ".ipreg-journal"
MANIFEST = "manifest.json"
WAIT_SECONDS = 300.0


class JournalError(Exception):
    """A Chinese message: the registry could not be locked or a write could not be completed."""


@dataclass(frozen=True)
class Write:
    target: Path  # records/<USCC>.yaml
    before: bytes | None  # what the command read (under the lock); None: a new file
    after: bytes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _home(records: Path) -> Path:
    """Where the lock and the journal live: the folder that holds ``records/`` (the repository), never inside it."""
    return Path(os.path.abspath(records)).parent


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def registry_lock(records: Path, on_wait: Callable[[], None] | None = None, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the registry's lock (waiting for another writer up to ``wait`` seconds; ``on_wait`` is told once)."""
    path = _home(records) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0), 0o644)
    except OSError as exc:
        raise JournalError(f"无法建立登记簿的锁文件 {path}（{exc.strerror or exc}）：请检查目录权限") from None
    try:
        deadline = time.monotonic() + wait
        told = False
        while not _try_lock(fd):
            if not told and on_wait is not None:
                on_wait()
                told = True
            if time.monotonic() > deadline:
                raise JournalError(f"另一个 ipreg 命令写记录已超过 {int(wait)} 秒仍未完成：请稍后再试（锁文件 {path}）")
            time.sleep(0.05)
        yield
    finally:
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)


def _write_synced(path: Path, data: bytes, mode: int = 0o644) -> None:
    with os.fdopen(create_exclusive(path, mode), "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait while the decided change is applied: a polite stop never leaves it half done."""
    if sys.platform == "win32" or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGTERM, signal.SIGINT}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def commit(records: Path, writes: Sequence[Write]) -> None:
    """Write every change or none (the caller holds the registry lock and has recovered any earlier journal)."""
    for w in writes:
        if w.before is None:
            if w.target.exists() or w.target.is_symlink():
                raise JournalError(f"{w.target} 已存在：没有覆盖，没有写入任何记录")
        elif not os.access(w.target, os.W_OK) or not w.target.stat().st_mode & 0o200:
            raise JournalError(f"{w.target} 是只读文件：没有写入任何记录。请先取消只读属性（确认它确实应当修改）再录入")
    folder = _home(records) / JOURNAL
    if folder.exists():
        raise JournalError(f"{folder} 中还有上一次未完成的录入：请先运行任意 ipreg 命令（如 ipreg check）处理它")
    folder.mkdir()
    entries = []
    for i, w in enumerate(writes):
        staged = folder / f"{i}.new"
        _write_synced(staged, w.after, w.target.stat().st_mode & 0o777 if w.before is not None else 0o644)
        entries.append({"target": os.path.abspath(w.target), "shown": w.target.as_posix(),
                        "old": None if w.before is None else _sha(w.before), "new": _sha(w.after), "staged": staged.name})
    temp = folder / f"{MANIFEST}.tmp"
    _write_synced(temp, json.dumps(entries, ensure_ascii=False).encode("utf-8"))
    with _signals_held():
        os.replace(temp, folder / MANIFEST)  # the change is decided here
        _sync_folder(folder)
        problems = _apply(folder, entries)
        _sync_folder(Path(os.path.abspath(records)))
        if not problems:
            shutil.rmtree(folder, ignore_errors=True)
    if problems:
        raise JournalError("；".join(problems))


def _apply(folder: Path, entries: list[dict[str, str | None]]) -> list[str]:
    problems = []
    for entry in entries:
        target, staged = Path(str(entry["target"])), folder / str(entry["staged"])
        try:
            current = _sha(target.read_bytes())
        except FileNotFoundError:
            current = None
        if current == entry["new"]:
            continue  # already written
        if current != entry["old"]:
            problems.append(f"{entry['shown']} 在录入中断后被改过，没有覆盖：请核对这个文件")
            continue
        if not staged.exists():
            problems.append(f"{entry['shown']} 的新内容丢失，没有写入：请重新录入这个决定")
            continue
        os.replace(staged, target)
    return problems


def recover(records: Path, on_wait: Callable[[], None] | None = None) -> str | None:
    """Finish or undo a journal left by a killed run; what was done, in Chinese (None when there was none)."""
    folder = _home(records) / JOURNAL
    if not folder.exists():
        return None
    with registry_lock(records, on_wait):
        if not folder.exists():
            return None  # another run handled it while we waited
        manifest = folder / MANIFEST
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
        except (OSError, ValueError):
            entries = None
        if not isinstance(entries, list):
            shutil.rmtree(folder, ignore_errors=True)
            return "上一次录入决定在写入记录之前被中断：没有改动任何记录（已清除未完成的临时文件），需要时请重新录入。"
        with _signals_held():
            problems = _apply(folder, entries)
            if not problems:
                shutil.rmtree(folder, ignore_errors=True)
        names = "、".join(str(e.get("shown")) for e in entries)
        if problems:
            return "上一次录入决定被中断，补完时发现问题：" + "；".join(problems) + f"。未完成的录入保留在 {folder}，请联系维护人员。"
        return f"上一次录入决定被中断，已补完全部 {len(entries)} 个记录的写入：{names}。请运行 git diff 核对后提交。"
