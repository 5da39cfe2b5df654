"""The fast path of ``ipreg check``: an incremental cache of the last check (the worker processes are in ``workers``).

The cache file (``cachestore``: where it lives, its key, its rows) keeps, per file (``IndexRow``): its status
signature (size, modification and change times, inode), its content digest, its errors and warnings after the
registry-wide checks, the values that must be unique and its industry; and per industry, in a blob decoded only when
needed, each member's own results (``registry.Local`` without positions) and information notes (``BlobItem``).

A run reads a file only when its signature changed, or when it was changed less than ``RACY_NS`` before the last run
began (its time stamp could then repeat); on Windows, where st_ctime is the creation time, every file is read and
hashed. A file is checked again only when its digest changed. The registry-wide checks are redone where their inputs
changed: duplicates are counted over all files each time, an industry is ranked again when a member changed, came or
went. The output is exactly that of ``--no-cache`` (tests compare them). A damaged or foreign cache is treated as empty.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from generator.checking.cachestore import (
    BlobItem,
    Cache,
    Damaged,
    IndexRow,
    decode_figures,
    decode_finding,
    decode_rank,
    dump_blob,
    encode_figures,
    encode_finding,
    encode_rank,
    fingerprint,
    item,
    key,
    load_blob,
    private_folder,
    read,
    write,
)
from generator.checking.workers import Keep, check_files, compute, file_digest
from generator.files import SILENT, Progress
from generator.findings import Finding
from generator.loader import StrPath, read_bytes
from generator.policy import PolicyHistory
from generator.ranking import Rank
from generator.registry import Entry, Local, Registry, duplicate_findings, finish, industry_ranks
from generator.rules import REGISTRY_DUPLICATE
from generator.rules.art5 import ranking_words

RACY_NS = 2_000_000_000  # time stamps can be as coarse as 2 s (FAT): a file changed that close to a run is read again
TRUST_STAT = sys.platform != "win32"  # Windows' st_ctime is the creation time: an edit with its time put back would go unseen


def check_cached(files: Sequence[tuple[StrPath, str]], extra: Iterable[Finding], policy: PolicyHistory, today: date, folder: Path | None,
                 jobs: int | None, infos: bool, progress: Progress = SILENT) -> Registry:
    """The registry as ``ipreg check`` reports it, reusing the last run's results (kept in ``folder``; None: no cache)
    where their inputs are unchanged.

    Without ``infos`` the cache leaves the information notes (shown only by ``--verbose`` and JSON) out of the findings,
    so they are not even decoded. Entries carry each file's findings, not its record."""
    from generator.registry import assemble

    extra = tuple(extra)
    secret = key(folder) if folder is not None and private_folder(folder) else None
    if folder is None or secret is None or len({display for _, display in files}) < len(files):  # a file named twice: reported as such
        return assemble(check_files(files, policy, today, jobs, progress=progress), policy, today, extra)
    path = folder / f"check-{fingerprint(policy, today)}.cache"
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small tuples, none of them in a cycle: the collector would only walk them
    try:
        old = read(path, secret)
        try:
            registry, cache = _incremental(files, extra, policy, today, jobs, infos, old, progress)
        except Damaged:
            registry, cache = _incremental(files, extra, policy, today, jobs, infos, Cache(), progress)
        if cache is not None:
            write(path, cache, secret)
    finally:
        if collecting:
            gc.enable()
    return registry


def _incremental(files: Sequence[tuple[StrPath, str]], extra: tuple[Finding, ...], policy: PolicyHistory, today: date, jobs: int | None,
                 infos: bool, old: Cache, progress: Progress = SILENT) -> tuple[Registry, Cache | None]:
    """The steps of a run: look at the files, check the changed ones, find the industries to rank again, redo the
    registry-wide checks where their inputs changed, report, and say what the next run can reuse."""
    started = time.time_ns()
    scan = _scan(files, old)
    computed = scan.take_digests(compute(scan.todo, policy, today, jobs, Keep(digests=True), progress))
    run = _Run(old, policy, [display for _, display in files], scan, computed)
    results, stored = run.redo()
    registry = Registry(today, policy, *run.report(results, infos, extra))
    if not run.redo_set and not run.changed and not scan.reread and run.index == old.index:
        return registry, None  # nothing to write
    return registry, run.next_cache(started, stored)


@dataclass
class _Scan:
    """What a run learnt of the files before checking any: the rows it can keep, the files to check again (with their
    signature and digest; None: unreadable, never cached) and whether a kept row must be written back."""

    index: dict[str, IndexRow] = field(default_factory=dict)
    fresh: dict[str, tuple[int, bytes] | None] = field(default_factory=dict)
    todo: list[tuple[str, bytes | StrPath]] = field(default_factory=list)
    reread: bool = False

    def take_digests(self, results: list[Local]) -> dict[str, Local]:
        """Each checked file's result, by name. A file the scan did not read (no row for it yet) was read by its worker,
        which sent its digest as ``extra``: it goes to ``fresh`` (None: unreadable there, never cached)."""
        computed = {}
        for (display, source), local in zip(self.todo, results, strict=True):
            if not isinstance(source, bytes):
                fresh = self.fresh.get(display)
                self.fresh[display] = (fresh[0], local.extra) if fresh is not None and local.extra is not None else None
                local = replace(local, extra=None)
            computed[display] = local
        return computed


def _scan(files: Sequence[tuple[StrPath, str]], old: Cache) -> _Scan:
    scan = _Scan()
    for source, display in files:
        prev = old.index.get(display)
        try:
            st = os.stat(source)
            sig = hash((st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))  # ints hash the same in every process
            if prev is None:  # never checked: read by the worker that checks it, in parallel, which sends its digest
                scan.todo.append((display, source))
                scan.fresh[display] = (sig, b"")
                continue
            if TRUST_STAT and prev is not None and prev.signature == sig and max(st.st_mtime_ns, st.st_ctime_ns) < old.started - RACY_NS:
                scan.index[display] = prev
                continue
            raw = read_bytes(source)
        except OSError:
            scan.todo.append((display, source))  # the loader words the error
            scan.fresh[display] = None
            continue
        digest = file_digest(raw)
        if prev is not None and prev.digest == digest:
            scan.index[display] = prev._replace(signature=sig)
            scan.reread = scan.reread or TRUST_STAT  # written back with this run's start, so it is not read again next time
        else:
            scan.todo.append((display, raw))
            scan.fresh[display] = (sig, digest)
    return scan


class _Run:
    """One run after the changed files were checked: each file's industry, the industries to rank again, and the
    results of the others, read from the cache only when needed."""

    def __init__(self, old: Cache, policy: PolicyHistory, order: list[str], scan: _Scan, computed: dict[str, Local]) -> None:
        self.old, self.policy, self.order, self.computed = old, policy, order, computed
        self.index, self.fresh = scan.index, scan.fresh
        self.group_of = {display: row.industry for display, row in self.index.items()}
        self.group_of.update((display, local.rank.industry_code if local.rank else "") for display, local in computed.items())
        self.members: dict[str, list[str]] = defaultdict(list)
        for display in order:
            self.members[self.group_of[display]].append(display)
        self.blobs: dict[str, dict[str, Any]] = {}
        self.ranks: dict[str, dict[str, Rank]] = {}
        self.changed = self._changed_industries()
        self.duplicates = self._duplicates()
        self.redo_set = set(computed) | {d for d in order if d in self.duplicates or (d in self.index and self.index[d].duplicated)}
        for group in self.changed - {""}:
            self.redo_set.update(self.members[group])

    def _duplicates(self) -> dict[str, list[Finding]]:
        """registry.duplicate, looking only at the values of the changed files and of the files that had a duplicate:
        any other value was once in the registry and still is, as no file that held it changed."""
        keys = [(d, self.index[d].keys if d in self.index else self.computed[d].keys) for d in self.order]
        if not self.old.index:
            return duplicate_findings(keys)
        among = [k for d, k in keys if d in self.computed or self.index[d].duplicated]
        return duplicate_findings(keys, among) if among else {}

    def blob(self, group: str) -> dict[str, Any]:
        if group not in self.blobs:
            self.blobs[group] = load_blob(self.old.blobs.get(group))
        return self.blobs[group]

    def _changed_industries(self) -> set[str]:
        """An industry is ranked again when a member came, went or has other ranking inputs; other edits leave its
        notes as they are."""
        old = self.old
        changed = {group for group in self.members if group not in old.blobs}
        changed.update(row.industry for display, row in old.index.items() if display not in self.group_of)
        for display, local in self.computed.items():
            prev = old.index.get(display)
            group = self.group_of[display]
            if prev is None or prev.industry != group:
                changed.update((group, *(() if prev is None else (prev.industry,))))
            elif group and item(self.blob(group).get(display)).rank != encode_rank(local.rank):
                changed.add(group)
        return changed

    def local_of(self, display: str) -> Local:
        """A file's own results: as checked now, or from the cache (its errors and warnings but those of
        registry.duplicate, its own notes, its ranking input and unique values)."""
        if display in self.computed:
            return self.computed[display]
        row, member = self.index[display], item(self.blob(self.group_of[display]).get(display))
        own = [decode_finding(display, f) for f in row.visible]
        findings = tuple(f for f in own if f.rule != REGISTRY_DUPLICATE.id) + tuple(decode_finding(display, f) for f in member.notes)
        return Local(display, findings, (), row.keys, decode_rank(display, member.rank))

    def rank_of(self, display: str) -> Rank | None:
        """The figures of the ranking note: from the cache for an industry whose ranking inputs are unchanged."""
        group = self.group_of[display]
        if group not in self.changed:
            return decode_figures(item(self.blob(group).get(display)).figures)
        if group not in self.ranks:
            inputs = [r for r in (self.local_of(d).rank for d in self.members[group]) if r is not None]
            self.ranks[group] = industry_ranks(inputs, self.policy.first.lookback_years, self.policy.first.recent_years_mode == "calendar")
        return self.ranks[group].get(display)

    def note_of(self, local: Local) -> str | None:
        figures = self.rank_of(local.file) if local.rank else None
        if local.rank is None or figures is None:
            return None
        return ranking_words(local.rank, figures, self.policy.first.lookback_years, self.policy.first.recent_years_mode == "calendar")

    def redo(self) -> tuple[dict[str, tuple[Finding, ...]], dict[str, BlobItem]]:
        """The registry-wide checks again where their inputs changed: each file's findings, its refreshed index row
        and blob item."""
        results: dict[str, tuple[Finding, ...]] = {}
        stored: dict[str, BlobItem] = {}
        for display in self.redo_set:
            local = self.local_of(display)
            findings = finish(local, self.duplicates.get(display, ()), self.note_of(local))[1]
            results[display] = findings
            now = self.fresh[display] if display in self.fresh else self.index[display][:2]
            if now is None:
                self.index.pop(display, None)
                continue
            visible = tuple(encode_finding(f) for f in findings if f.severity != "info")
            self.index[display] = IndexRow(*now, self.group_of[display], visible, local.keys, display in self.duplicates)
            figures = self.rank_of(display) if local.rank else None
            notes = tuple(encode_finding(f) for f in local.findings if f.severity == "info")
            stored[display] = BlobItem(encode_rank(local.rank), notes, None if figures is None else encode_figures(figures))
        return results, stored

    def report(self, results: dict[str, tuple[Finding, ...]], infos: bool,
               extra: tuple[Finding, ...]) -> tuple[tuple[Entry, ...], tuple[Finding, ...]]:
        """Every file's entry and all findings in order, as after a full check."""
        entries, everything = [], list(extra)
        for display in self.order:
            if display in results:
                shown = results[display] if infos else tuple(f for f in results[display] if f.severity != "info")
            elif infos:  # the notes too: the file's own results and its ranking note, as after a full check
                local = self.local_of(display)
                shown = finish(local, (), self.note_of(local))[1]
            else:
                shown = tuple([decode_finding(display, f) for f in self.index[display].visible])
            entries.append(Entry(display, None, None, None, (), shown))
            everything.extend(shown)
        everything.sort(key=Finding.sort_key)
        return tuple(entries), tuple(everything)

    def next_cache(self, started: int, stored: dict[str, BlobItem]) -> Cache:
        new = Cache(started, self.index, {})
        for group, names in self.members.items():
            if group not in self.changed and not any(d in stored for d in names):
                new.blobs[group] = self.old.blobs[group]
            else:
                new.blobs[group] = dump_blob({d: stored[d] if d in stored else self.blob(group)[d] for d in names if d in self.index})
        return new
