"""Writing records: one lock for the registry, and a journal that makes a change to many files all or nothing.

Every command that writes records (``ipreg decide``, ``ipreg new``, the form editor's backend) holds the registry lock
(``.ipreg-lock`` beside ``records/``, through filelock: ``flock`` on POSIX, ``msvcrt.locking`` on Windows) while it reads, checks
and writes, so two clerks' runs take turns instead of overwriting each other's events or numbering two certificates
alike. Nothing temporary is ever put in ``records/`` (``ipreg check`` would read it):

1. ``.ipreg-journal/`` is made beside ``records/`` (it must not exist);
2. the new content of every file is written and synced to ``.ipreg-journal/N.new``;
3. ``.ipreg-journal/manifest.json`` (the records folder's name, each target's file name ``<USCC>.yaml``, the SHA-256 of
   its old and new content, its staged file, all signed with HMAC-SHA256 under this machine's key, ``journalkey``) is
   written and renamed into place: from this moment the change is decided;
4. each staged file is checked against its digest and renamed over its record (one atomic rename per file);
5. the finished journal is renamed to ``.ipreg-journal.done/`` (one atomic step: "complete" from here on);
6. its files are deleted, the manifest last, then the folder.

``recover`` (run before every ipreg command) tells each leftover apart, says the truth about it in Chinese, and only
touches a journal ipreg could have written here:

- ``.ipreg-journal/`` without a manifest (killed in 1-3): no record was changed; the staged files are removed;
- ``.ipreg-journal/`` with a manifest (killed in 4 or 5): the rest is renamed into place (rolled forward);
- ``.ipreg-journal.done/`` (killed in 6): every record already has the change; the rest is removed;
- an empty ``.ipreg-journal/`` (killed right after 1): nothing to finish or undo; it is removed.

A journal is refused, and left exactly as it is (nothing written, nothing deleted, ``JournalRefused``), when git
tracks it (it came with a commit), when it is a link or holds anything ipreg does not write (a name other than
``N.new``, ``manifest.json``, ``manifest.json.tmp``; a link; a folder), or when its manifest is not signed with this
machine's key for this registry folder or names a target that is not ``<records>/<USCC>.yaml`` (18 characters 0-9 A-Z,
really inside the records folder, not a link) or a staged file other than its own ``N.new``. What is shown to the
clerk is derived from the validated target, never taken from the manifest. While a refused journal is there,
``commit`` writes nothing and says to check and delete the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import EXIT_USAGE, NothingWritten
from generator.files import NEW_FILE_MODE, create_exclusive, open_own
from generator.writing import journalkey
from generator.writing.journalread import (
    DONE,
    FORMAT,
    JOURNAL,
    MANIFEST,
    RECORD,
    STAGED,
    TEMP,
    Entry,
    Found,
    Gone,
    Refused,
    canonical,
    examine,
)

LOCK = ".ipreg-lock"
WAIT_SECONDS = 300.0


class JournalError(NothingWritten):
    """A Chinese message: the registry could not be locked or a write could not be completed."""


class JournalRefused(JournalError):
    """A Chinese message: a journal this machine's ipreg did not write here was found and left as it is."""

    exit_code = EXIT_USAGE  # a configuration problem: nothing written, and not ipreg's to undo


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


@contextlib.contextmanager
def registry_lock(records: Path, on_wait: Callable[[], None] | None = None, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the registry's lock (waiting for another writer up to ``wait`` seconds; ``on_wait`` is told once).

    filelock's ``FileLock`` with ``preserve_lock_file``: the lock file stays after release (never unlinked on Windows,
    no soft fallback that writes into it on a filesystem without ``flock``); an existing one is opened with
    ``O_NOFOLLOW`` and never truncated, so a planted link is refused, not followed (tests/test_journal_trust.py)."""
    from filelock import FileLock, Timeout  # only commands that write records pay for its import

    path = _home(records) / LOCK
    lock = FileLock(path, mode=0o644, preserve_lock_file=True)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait is not None:
                on_wait()
            lock.acquire(timeout=wait, poll_interval=0.05)
    except Timeout:
        raise JournalError(f"另一个 ipreg 命令写记录已超过 {int(wait)} 秒仍未完成：请稍后再试（锁文件 {path}）") from None
    except OSError as exc:
        raise JournalError(f"无法建立登记簿的锁文件 {path}（{exc.strerror or exc}）：请检查目录权限") from None
    try:
        yield
    finally:
        lock.release()


def _write_synced(path: Path, data: bytes, mode: int = NEW_FILE_MODE) -> None:
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


def _examine_all(home: Path) -> dict[str, Found]:
    """Each journal folder there is (the finished one first), validated; raises JournalRefused for any refused one."""
    found = {}
    for name in (DONE, JOURNAL):
        folder = home / name
        if not os.path.lexists(folder):
            continue
        try:
            found[name] = examine(home, folder)
        except Gone:
            continue
        except Refused as exc:
            raise JournalRefused(
                f"{folder} 不是本机 ipreg 写下的录入日志（{exc}），没有按它写入或删除任何文件。它可能是随提交、合并请求或压缩包"
                f"带进来的：请核对并删除 {name}/ 目录（不要提交它）；删除之前 ipreg decide、ipreg new 和表单编辑器都不会写记录。"
            ) from None
    return found


# ---------------------------------------------------------------------------------------------------------------------
# writing


def _digest_of(path: Path) -> str | None:
    """The SHA-256 of a file (None: there is none; "unreadable" for a link or an unreadable file)."""
    try:
        with os.fdopen(open_own(path), "rb") as handle:
            return _sha(handle.read())
    except FileNotFoundError:
        return None
    except OSError:
        return "unreadable"


def _apply(folder: Path, entries: list[Entry]) -> tuple[list[str], int]:
    """Rename each staged file over its record; the problems, and how many were renamed now."""
    problems, wrote = [], 0
    for entry in entries:
        current = _digest_of(entry.target)
        if current == entry.new:
            continue  # already written
        if current != entry.old:
            problems.append(f"{entry.shown} 在录入中断后被改过，没有覆盖：请核对这个文件")
            continue
        if _digest_of(folder / entry.staged) != entry.new:
            problems.append(f"{entry.shown} 的新内容丢失或不完整，没有写入：请重新录入这个决定")
            continue
        os.replace(folder / entry.staged, entry.target)
        wrote += 1
    return problems, wrote


def _remove(folder: Path) -> None:
    """Delete a journal folder's own files (staged files first, the manifest last), then the folder."""
    try:
        names = sorted(n for n in os.listdir(folder) if n in (MANIFEST, TEMP) or STAGED.fullmatch(n))
    except OSError:
        return
    for name in sorted(names, key=lambda n: n == MANIFEST):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / name)
    with contextlib.suppress(OSError):  # not empty: something else was put there, and it stays
        os.rmdir(folder)


def _finish(home: Path, folder: Path) -> None:
    """A journal every record of which has its new content: marked complete in one step, then removed."""
    try:
        os.rename(folder, home / DONE)
    except OSError:
        _remove(folder)
        return
    _sync_folder(home)
    _remove(home / DONE)


def _check_writes(records: Path, writes: Sequence[Write]) -> None:
    if records.is_symlink():
        raise JournalError(f"记录目录 {records} 是符号链接：ipreg 不通过链接写记录，没有写入任何记录")
    if len({os.path.abspath(w.target) for w in writes}) != len(writes):
        raise JournalError("同一个记录文件在一次录入中出现了两次：没有写入任何记录")
    for w in writes:
        if os.path.dirname(os.path.abspath(w.target)) != os.path.abspath(records) or not RECORD.fullmatch(w.target.name):
            raise JournalError(f"{w.target} 不是 {records}/ 中的 <统一社会信用代码>.yaml：没有写入任何记录")
        if w.before is None:
            if w.target.exists() or w.target.is_symlink():
                raise JournalError(f"{w.target} 已存在：没有覆盖，没有写入任何记录")
        elif not os.access(w.target, os.W_OK) or not w.target.stat().st_mode & 0o200:
            raise JournalError(f"{w.target} 是只读文件：没有写入任何记录。请先取消只读属性（确认它确实应当修改）再录入")


def _leftover(home: Path) -> None:
    """Refuse to start while a journal is there: one to recover first, or one ipreg did not write (check and delete)."""
    try:
        found = _examine_all(home)
    except JournalRefused as exc:
        raise JournalRefused(f"没有写入任何记录。{exc}") from None
    if found:
        raise JournalError(f"{home / JOURNAL} 中还有上一次未完成的录入：没有写入任何记录。请先运行任意 ipreg 命令（如 ipreg check）处理它")


def commit(records: Path, writes: Sequence[Write]) -> None:
    """Write every change or none (the caller holds the registry lock and has recovered any earlier journal)."""
    if not writes:
        return
    _check_writes(records, writes)
    home, name = _home(records), os.path.basename(os.path.abspath(records))
    _leftover(home)
    secret = journalkey.signing_key(home)
    if secret is None:
        raise JournalError("无法建立本机的录入签名密钥（.git/ipreg-journal.key 或 ~/.config/ipreg/）：没有写入任何记录。请检查目录权限")
    folder = home / JOURNAL
    try:
        os.mkdir(folder)
    except FileExistsError:
        _leftover(home)
        raise JournalError(f"{folder} 已存在：没有写入任何记录。请先运行任意 ipreg 命令（如 ipreg check）处理它") from None
    rows, entries = [], []
    for i, w in enumerate(writes):
        _write_synced(folder / f"{i}.new", w.after, w.target.stat().st_mode & 0o777 if w.before is not None else NEW_FILE_MODE)
        old = None if w.before is None else _sha(w.before)
        rows.append({"file": w.target.name, "old": old, "new": _sha(w.after), "staged": f"{i}.new"})
        entries.append(Entry(Path(os.path.abspath(w.target)), f"{name}/{w.target.name}", old, _sha(w.after), f"{i}.new"))
    body = {"format": FORMAT, "records": name, "entries": rows}
    signed = {"body": body, "mac": journalkey.sign(secret, home, canonical(body))}
    _write_synced(folder / TEMP, json.dumps(signed, ensure_ascii=False).encode("utf-8"))
    with _signals_held():
        os.replace(folder / TEMP, folder / MANIFEST)  # the change is decided here
        _sync_folder(folder)
        problems, _ = _apply(folder, entries)
        _sync_folder(Path(os.path.abspath(records)))
        if not problems:
            _finish(home, folder)
    if problems:
        raise JournalError("；".join(problems))


# ---------------------------------------------------------------------------------------------------------------------
# recovering: each leftover state, and the truth about it


def _names(entries: list[Entry]) -> str:
    return "、".join(e.shown for e in entries)


def _undecided(home: Path, found: Found) -> str:
    staged = any(n != MANIFEST for n in found.files)
    _remove(home / JOURNAL)
    if staged:
        return "上一次录入决定在写入记录之前被中断：没有改动任何记录（已清除未完成的临时文件），需要时请重新录入。"
    return (f"发现上一次录入留下的空目录 {JOURNAL}/，其中没有待写入的内容，已删除：没有需要补完或撤销的写入，记录保持现状"
            "（可运行 git diff 查看记录有没有未提交的改动）。")


def _forward(home: Path, entries: list[Entry]) -> str:
    folder = home / JOURNAL
    with _signals_held():
        problems, wrote = _apply(folder, entries)
        if not problems:
            _finish(home, folder)
    n = len(entries)
    if problems:
        return "上一次录入决定被中断，补完时发现问题：" + "；".join(problems) + f"。未完成的录入保留在 {folder}，请联系维护人员。"
    if wrote == 0:
        return (f"上一次录入决定在中断前已写入全部 {n} 个记录：{_names(entries)}，只是临时文件还没有清除，现已清除。"
                "请运行 git diff 核对后提交。")
    earlier = f"其中 {n - wrote} 个在中断前已写入，{wrote} 个是现在补写的" if wrote < n else "都是现在补写的"
    return f"上一次录入决定被中断，已补完全部 {n} 个记录的写入：{_names(entries)}（{earlier}）。请运行 git diff 核对后提交。"


def _completed(home: Path, found: Found) -> str:
    _remove(home / DONE)
    if found.entries is None:
        return f"上一次录入决定已写入全部记录，只是在清除临时目录 {DONE}/ 时被中断：现已清除，记录不受影响。"
    changed = [e.shown for e in found.entries if _digest_of(e.target) != e.new]
    told = f"上一次录入决定已写入全部 {len(found.entries)} 个记录：{_names(found.entries)}，只是在清除临时文件时被中断，现已清除。"
    if changed:
        return told + f"其中 {'、'.join(changed)} 此后又被改过，请核对。"
    return told + "请运行 git diff 核对后提交。"


def recover(records: Path, on_wait: Callable[[], None] | None = None) -> str | None:
    """Finish or undo a journal left by a killed run; what was done, in Chinese (None when there was none). A journal
    ipreg did not write here raises JournalRefused and is left as it is."""
    home = _home(records)
    if not any(os.path.lexists(home / name) for name in (JOURNAL, DONE)):
        return None
    _examine_all(home)  # refused before the lock is even taken: nothing is created for a journal from elsewhere
    with registry_lock(records, on_wait):
        found = _examine_all(home)  # again: another run may have handled it while we waited
        said = []
        if DONE in found:
            said.append(_completed(home, found[DONE]))
        if JOURNAL in found:
            entries = found[JOURNAL].entries
            said.append(_undecided(home, found[JOURNAL]) if entries is None else _forward(home, entries))
        return "".join(said) or None
