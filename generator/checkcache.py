"""The fast path of ``ipreg check``: a cache keyed by file content, and worker processes.

Each file's own results (``registry.Local``, without its positions) are kept in one marshal file per
(code, schemas, policy, today) fingerprint under ``.ipreg-cache/``; a file is checked again only
when its bytes or its name changed. The registry-wide checks (duplicates, ranking) always run on
the whole set, so the output is exactly that of the uncached path.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import generator
from generator.findings import Finding
from generator.loader import Loaded, load_bytes, load_file
from generator.policy import Policy
from generator.ranking import RankInput
from generator.registry import Local, check_local
from generator.schema import SCHEMA_DIR

PARALLEL_FROM = 400  # below this many files to check, starting worker processes costs more than it saves
_worker: dict[str, object] = {}


def fingerprint(policy: Policy, today: date) -> str:
    """Everything besides a file's own bytes that its results depend on."""
    digest = hashlib.sha256()
    package = Path(generator.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")) + sorted(SCHEMA_DIR.glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(repr(policy).encode())
    digest.update(today.isoformat().encode())
    return digest.hexdigest()[:24]


@dataclass
class Store:
    """The cache file: each file's results by (name, content digest), the last seen (mtime, size, digest)
    of each name (so unchanged files are not read again, as git's index does), and the ranking notes of
    each industry by a digest of its inputs."""

    results: dict[str, Local] = field(default_factory=dict)
    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    loaded: tuple[int, int, int] = (0, 0, 0)  # sizes as read: unchanged sizes and no new results mean nothing to write
    encoded: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # results as read, written back without encoding again


Derive = Callable[[Local, date], Any]


@dataclass(frozen=True)
class _Keep:
    """What each result keeps beyond its findings (sent to worker processes)."""

    records: bool = False
    derive: Derive | None = None

    def shrink(self, local: Local, today: date) -> Local:
        if self.derive is not None:
            local = replace(local, extra=self.derive(local, today))
        return local.without_positions() if self.records else local.lite()


def check_files(files: Sequence[tuple[Path, str]], policy: Policy, today: date, cache_dir: Path | None, jobs: int | None,
                keep_records: bool = False, store: Store | None = None, derive: Derive | None = None) -> list[Local]:
    """Each file's own results, from the cache where its bytes are unchanged.

    With ``keep_records`` (status, worklist, explain) nothing is cached and every result keeps its
    typed record, without the line map: findings are computed while the file is loaded, and the
    loaded document is dropped right after, so memory grows by records, not by parse trees.
    ``derive`` (a module-level function, so worker processes can run it) is called with each
    full result where it is computed, and what it returns is kept as ``Local.extra`` while the
    record itself is dropped: the site renders its pages this way, in parallel. No cache then either.
    ``store``, when given, receives the cache contents so the caller can add ranking notes.
    """
    keep = _Keep(keep_records, derive)
    if keep_records or derive is not None:
        cache_dir = None
    store_path = cache_dir / f"check-{fingerprint(policy, today)}.cache" if cache_dir else None
    old = _read(store_path)
    new = store if store is not None else Store()
    new.notes, new.loaded, new.encoded = old.notes, old.loaded, old.encoded
    if store_path is None:  # nothing to look up: each file is read where it is checked
        return _compute([(i, display, path) for i, (path, display) in enumerate(files)], policy, today, jobs, keep)
    results: list[Local | None] = [None] * len(files)
    keys: list[str | None] = [None] * len(files)
    todo: list[tuple[int, str, bytes | Path]] = []
    for i, (path, display) in enumerate(files):
        name = os.fspath(path)
        try:
            info = os.stat(name)
            seen = old.stats.get(display)
            if seen is not None and seen[0] == info.st_mtime_ns and seen[1] == info.st_size and display + "\0" + seen[2] in old.results:
                digest, raw = seen[2], None
            else:
                with open(name, "rb") as handle:
                    raw = handle.read()
                digest = hashlib.sha256(raw).hexdigest()
        except OSError:
            results[i] = keep.shrink(check_local(load_file(path, display), policy, today), today)  # the loader words the error
            continue
        key = display + "\0" + digest
        keys[i] = key
        new.stats[display] = (info.st_mtime_ns, info.st_size, digest)
        cached = old.results.get(key)
        if cached is not None:
            results[i] = cached
        elif raw is not None:
            todo.append((i, display, raw))
    for (i, _, _), local in zip(todo, _compute(todo, policy, today, jobs, keep)):
        results[i] = local
    new.results = {k: r for k, r in zip(keys, results) if k is not None and r is not None}
    new.stats = {d: s for d, s in new.stats.items() if d + "\0" + s[2] in new.results}
    unchanged = not todo and new.results.keys() == old.results.keys() and new.stats == old.stats
    if not unchanged:
        new.loaded = (-1, -1, -1)
    return [r for r in results if r is not None]


def save(cache_dir: Path | None, policy: Policy, today: date, store: Store) -> None:
    """Write the cache unless nothing in it changed since it was read."""
    if cache_dir is None:
        return
    if store.loaded == (len(store.results), len(store.stats), len(store.notes)):
        return
    store.loaded = (0, 0, 0)
    _write(cache_dir / f"check-{fingerprint(policy, today)}.cache", store)


def _load(source: bytes | Path, display: str) -> Loaded:
    return load_bytes(source, display) if isinstance(source, bytes) else load_file(source, display)


def _compute(todo: list[tuple[int, str, bytes | Path]], policy: Policy, today: date, jobs: int | None, keep: _Keep) -> list[Local]:
    """The results of ``todo`` (index, display name, bytes or path to read), in its order."""
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(todo) < PARALLEL_FROM:
        return [keep.shrink(check_local(_load(source, display), policy, today), today) for _, display, source in todo]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(policy, today, keep)) as pool:
        chunk = max(16, min(512, len(todo) // (workers * 8)))  # big chunks cost less to pass around; eight per worker keep them even
        return list(pool.map(_check_one, [(display, source) for _, display, source in todo], chunksize=chunk))


def _init(policy: Policy, today: date, keep: _Keep) -> None:
    _worker["policy"], _worker["today"], _worker["keep"] = policy, today, keep


def _check_one(item: tuple[str, bytes | Path]) -> Local:
    policy, today, keep = _worker["policy"], _worker["today"], _worker["keep"]
    assert isinstance(policy, Policy) and isinstance(today, date) and isinstance(keep, _Keep)
    return keep.shrink(check_local(_load(item[1], item[0]), policy, today), today)


def _encode(local: Local) -> tuple[Any, ...]:
    rank = local.rank
    return (local.file, tuple((f.file, f.line, f.column, f.severity, f.rule, f.message, f.article) for f in local.findings), local.keys,
            None if rank is None else (rank.key, rank.industry_code, rank.industry_name, rank.on.toordinal(), rank.inventions,
                                       rank.granted, rank.ended, rank.line, rank.column),
            None if local.on is None else local.on.toordinal())


def _decode(item: tuple[Any, ...]) -> Local:
    file, findings, keys, rank, on = item
    rank_input = None
    if rank is not None:
        key, code, name, day, inventions, granted, ended, line, column = rank
        rank_input = RankInput(key, code, name, date.fromordinal(day), inventions, granted, ended, line, column)
    return Local(file, tuple(Finding(*f) for f in findings), (), keys, rank_input, None, None,
                 None if on is None else date.fromordinal(on))


def _read(path: Path | None) -> Store:
    """marshal, not pickle: the cache is plain tuples and loads about three times faster."""
    if path is None or not path.is_file():
        return Store()
    try:
        results, stats, notes = marshal.loads(path.read_bytes())
        store = Store({k: _decode(v) for k, v in results.items()}, stats, notes, encoded=results)
        store.loaded = (len(store.results), len(store.stats), len(store.notes))
        return store
    except Exception:  # noqa: BLE001 - a damaged cache is simply rebuilt
        return Store()


def _write(path: Path, store: Store) -> None:
    """Best effort: a read-only checkout just runs without a cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("check-*.cache"):
            if old != path:
                old.unlink(missing_ok=True)
        temp = path.with_suffix(f".tmp-{os.getpid()}")
        encoded = store.encoded  # same key (name and content digest), same results: reuse what was read
        temp.write_bytes(marshal.dumps(({k: encoded.get(k) or _encode(v) for k, v in store.results.items()}, store.stats, store.notes)))
        os.replace(temp, path)
    except (OSError, ValueError):
        pass
