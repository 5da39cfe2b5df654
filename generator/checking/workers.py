"""Checking many files at once: each file's own results, in worker processes from PARALLEL_FROM files on.

The site build and the plain commands use ``check_files`` directly; ``checkcache`` uses ``compute`` for the files a
re-check has to read again. Worker processes get the policy, the day and what to keep once (``_init``), then files in
big chunks.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from generator.files import SILENT, Progress
from generator.findings import Finding
from generator.loader import StrPath, load_bytes, load_file, read_bytes
from generator.policy import PolicyHistory
from generator.registry import Local, Registry, assemble, check_local

CHECKING = "正在检查记录"
PARALLEL_FROM = 400  # below this many files to check, starting worker processes costs more than it saves
_worker: dict[str, object] = {}


Derive = Callable[[Local, PolicyHistory, date], Any]


@dataclass(frozen=True)
class Keep:
    """What each result keeps beyond its findings (sent to worker processes)."""

    records: bool = False
    derive: Derive | None = None
    policy: PolicyHistory | None = None
    digests: bool = False  # a file given by path is read where it is checked, and its digest comes back as ``extra``

    def shrink(self, local: Local, today: date) -> Local:
        if self.derive is not None and self.policy is not None:
            local = replace(local, extra=self.derive(local, self.policy, today))
        return local.without_positions() if self.records else local.lite()


def check_files(files: Sequence[tuple[StrPath, str]], policy: PolicyHistory, today: date, jobs: int | None,
                keep_records: bool = False, derive: Derive | None = None, progress: Progress = SILENT,
                label: str = CHECKING) -> list[Local]:
    """Each file's own results, computed (in worker processes from PARALLEL_FROM files on); no cache.

    With ``keep_records`` (status, worklist, explain) every result keeps its typed record, without the line map:
    findings are computed while the file is loaded, and the loaded document is dropped right after, so memory grows
    by records, not by parse trees. ``derive`` (a module-level function, so worker processes can run it) is called
    with each full result where it is computed, and what it returns is kept as ``Local.extra`` while the record
    itself is dropped: the site renders its pages this way, in parallel.
    """
    keep = Keep(keep_records, derive, policy)
    return compute([(display, path) for path, display in files], policy, today, jobs, keep, progress, label)


def registry_from(raws: Mapping[str, bytes], policy: PolicyHistory, today: date, jobs: int | None = None,
                  extra: Iterable[Finding] = ()) -> Registry:
    """The registry of files given by their bytes (a writer's registry with its change), checked as ``ipreg check`` does
    it, in worker processes from PARALLEL_FROM files on; only each file's findings come back, not its record."""
    return assemble(compute(list(raws.items()), policy, today, jobs, Keep()), policy, today, extra)


def file_digest(raw: bytes) -> bytes:
    """What the check cache knows a file's content by."""
    return hashlib.sha256(raw).digest()[:16]


def _result(display: str, source: bytes | StrPath, policy: PolicyHistory, today: date, keep: Keep) -> Local:
    """One file's result. With ``keep.digests`` a file given by path is read here, in the worker, and its digest is the
    result's ``extra`` (None: unreadable): the cache then learns what it stored without reading every file first."""
    if isinstance(source, bytes):
        return keep.shrink(check_local(load_bytes(source, display), policy, today), today)
    if keep.digests:
        try:
            raw = read_bytes(source)
        except OSError:
            pass  # load_file words the error
        else:
            return replace(keep.shrink(check_local(load_bytes(raw, display), policy, today), today), extra=file_digest(raw))
    return keep.shrink(check_local(load_file(source, display), policy, today), today)


def compute(todo: list[tuple[str, bytes | StrPath]], policy: PolicyHistory, today: date, jobs: int | None, keep: Keep,
            progress: Progress = SILENT, label: str = CHECKING) -> list[Local]:
    """The results of ``todo`` (display name, bytes or path to read), in its order; ``progress`` is told of each file
    (of each chunk, in worker processes) as it finishes."""
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    with progress.stage(label, len(todo)) as advance:
        if workers <= 1 or len(todo) < PARALLEL_FROM:
            out = []
            for display, source in todo:
                out.append(_result(display, source, policy, today, keep))
                advance(1)
            return out
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(policy, today, keep)) as pool:
            chunks = {pool.submit(_check_chunk, todo[start:end]): start for start, end in chunk_bounds(len(todo), workers)}
            done: dict[int, list[Local]] = {}
            for future in as_completed(chunks):
                done[chunks[future]] = future.result()
                advance(len(done[chunks[future]]))
            return [local for start in sorted(done) for local in done[start]]


def chunk_bounds(count: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) of the chunks ``count`` files are checked in: each a share of what is left (big chunks cost less to
    pass around), so that they shrink towards the end and the workers finish together instead of one checking a last
    big chunk while the others wait (guided scheduling); at most MAX_CHUNK files, at least MIN_CHUNK."""
    bounds, start = [], 0
    while start < count:
        size = max(MIN_CHUNK, min(MAX_CHUNK, (count - start) // (workers * 2)))
        bounds.append((start, min(count, start + size)))
        start += size
    return bounds


MIN_CHUNK, MAX_CHUNK = 16, 512


def _init(policy: PolicyHistory, today: date, keep: Keep) -> None:
    # a worker forked while ``check_cached`` had the collector off: on again for cycles, but what it inherited is never
    # garbage (frozen: not walked, its pages not copied), and a file's thousands of small objects die by reference count
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    gc.enable()
    _worker["policy"], _worker["today"], _worker["keep"] = policy, today, keep
    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()


def _orphaned(parent: int) -> None:
    """End this worker when the process that started it is gone (killed: a forked worker holds a copy of the pipe it
    waits on, so it would never see it close and would wait for ever)."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_POLL)
    os._exit(1)


ORPHAN_POLL = 0.5  # seconds between two looks at the parent process


def _check_chunk(items: list[tuple[str, bytes | StrPath]]) -> list[Local]:
    return [_check_one(item) for item in items]


def _check_one(item: tuple[str, bytes | StrPath]) -> Local:
    policy, today, keep = _worker["policy"], _worker["today"], _worker["keep"]
    assert isinstance(policy, PolicyHistory) and isinstance(today, date) and isinstance(keep, Keep)
    return _result(item[0], item[1], policy, today, keep)
