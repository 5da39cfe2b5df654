"""Writing files the registry's way: atomically, and never over a file that is already there (``write_new``), or over
a file this program made itself (``replace_own``). Records are written through ``journal`` (all or nothing across
files, under the registry lock).

And what a long command shows while it works (check and build of many records, import, documents, report):
the workers take a ``Progress`` and tell it what they do (``stage``: a Chinese label and how many items) and how far
they are (the yielded ``advance``); they never ask where the output goes. ``SILENT`` is what a piped run, CI and the
tests get: nothing is written, so logs stay as they were. ``TerminalProgress`` draws one line on standard error with
rich (正在检查记录 ━━━━━━ 123/1000 0:00:04) and removes it when the stage ends; whether a run gets it is decided
once, at the command line's edge (``commands.progress``: standard error a terminal, no CI, TERM not dumb)."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

from generator.errors import NothingWritten


class Exists(NothingWritten):
    """The target exists; nothing was written."""


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` in one step: the bytes go to a temporary file in the same folder, which is then
    hard-linked to its name (which fails if the name exists, so no file is ever overwritten) and removed. Where hard
    links are not available the file is created exclusively (O_EXCL) and written. The file gets the mode any new file
    gets (``NEW_FILE_MODE`` less the umask: 0644 under umask 022), so colleagues can open it on a shared folder.
    Raises Exists, or OSError."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() or path.is_symlink():
        raise Exists(str(path))
    temp = folder / f".{path.name}.{secrets.token_hex(8)}.tmp"
    fd = create_exclusive(temp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            raise Exists(str(path)) from None
        except OSError:  # no hard links here (some network or FAT drives)
            try:
                with os.fdopen(create_exclusive(path), "wb") as handle:
                    handle.write(data)
            except FileExistsError:
                raise Exists(str(path)) from None
    finally:
        os.unlink(temp)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
NEW_FILE_MODE = 0o666  # what open() asks for: the umask takes its share (0644 under 022, 0600 under 077)


def create_exclusive(path: Path, mode: int = NEW_FILE_MODE) -> int:
    """A descriptor for writing a new file at ``path``: created exclusively (never an existing file, never through a
    symbolic link someone planted). Raises FileExistsError, or OSError."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)


def open_own(path: Path) -> int:
    """A descriptor for reading a file ipreg made (its cache, its key), never through a symbolic link. Raises OSError."""
    return os.open(path, os.O_RDONLY | _NOFOLLOW)


def replace_own(path: Path, data: bytes, mode: int = NEW_FILE_MODE) -> None:
    """Replace ``path`` (a file ipreg made: its cache, the site's search index) in one step: the bytes go to a new file
    beside it, created exclusively under a random name and never through a link someone planted, then renamed over
    it. On any error the new file is removed and ``path`` is as it was. Raises OSError."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with os.fdopen(create_exclusive(temp, mode), "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def user_cache(environ: Mapping[str, str]) -> Path:
    """ipreg's folder in the user's cache: XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows."""
    if sys.platform == "win32" and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "ipreg" / "cache"
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    return Path(environ.get("XDG_CACHE_HOME") or home / ".cache") / "ipreg"


Advance = Callable[[int], None]
T = TypeVar("T")


class Progress:
    """Silent progress: each stage is accepted and nothing is shown."""

    @contextmanager
    def stage(self, label: str, total: int | None) -> Iterator[Advance]:
        """A stage of ``total`` items (None: not known before they are done) named ``label`` (正在检查记录); the
        caller calls the yielded function with the number of items just finished."""
        yield _ignore

    def each(self, label: str, items: Sequence[T]) -> Iterator[T]:
        """``items`` one by one, each counted when the caller is done with it (a stage of ``len(items)``)."""
        with self.stage(label, len(items)) as advance:
            for item in items:
                yield item
                advance(1)


def _ignore(count: int) -> None:
    del count


SILENT = Progress()


class TerminalProgress(Progress):
    """One transient line per stage on a terminal (standard error), drawn by rich; colour unless ``colour`` is off
    (NO_COLOR)."""

    def __init__(self, stream: TextIO, colour: bool = True, redirect: bool = False) -> None:
        self.stream, self.colour, self.redirect = stream, colour, redirect  # redirect: print above the line (stdout a terminal too)

    @contextmanager
    def stage(self, label: str, total: int | None) -> Iterator[Advance]:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        console = Console(file=self.stream, no_color=not self.colour, highlight=False)
        columns: list[Any] = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Bar(*columns, console=console, transient=True, refresh_per_second=8, redirect_stdout=self.redirect,
                 redirect_stderr=False) as bar:
            task = bar.add_task(label, total=total)

            def advance(count: int) -> None:
                bar.advance(task, count)

            yield advance
