"""The fast path of ``ipreg check``: a cache keyed by file content, and worker processes.

Each file's own results (``registry.Local``, without its positions) are kept in one file per
(code, schemas, policy, today) fingerprint in the user's cache folder (``cache_dir``), never in the
repository, so a checkout cannot bring a cache with it. A result is reused only for the same name and
the same content digest: every file is read and hashed on every run (10,000 records take tens of
milliseconds). The cache file carries a digest of its payload and is checked for shape when read: a
damaged or foreign cache is treated as empty. The registry-wide checks (duplicates, ranking) always
run on the whole set, so the output is exactly that of the uncached path.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import generator
from generator.findings import SEVERITY_ORDER, Finding
from generator.loader import Loaded, load_bytes, load_file, read_bytes
from generator.policy import Policy
from generator.ranking import RankInput
from generator.registry import Local, check_local
from generator.schema import SCHEMA_DIR

PARALLEL_FROM = 400  # below this many files to check, starting worker processes costs more than it saves
MAGIC = b"ipreg-check-cache 3\n"
_worker: dict[str, object] = {}


def cache_dir(environ: Mapping[str, str], repository: Path) -> Path:
    """Where ``ipreg check`` keeps its cache for ``repository``: ``IPREG_CACHE_DIR`` if set, else the user's
    cache folder (XDG_CACHE_HOME, ~/.cache, or %LOCALAPPDATA% on Windows), one sub-folder per repository path."""
    explicit = environ.get("IPREG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    key = hashlib.sha256(os.fsencode(os.path.abspath(repository))).hexdigest()[:16]
    return user_cache(environ) / key


def user_cache(environ: Mapping[str, str]) -> Path:
    """ipreg's folder in the user's cache: XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows."""
    if sys.platform == "win32" and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "ipreg" / "cache"
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    return Path(environ.get("XDG_CACHE_HOME") or home / ".cache") / "ipreg"


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
    """The cache file: each file's results by (name, content digest), and the ranking notes of each
    industry by a digest of its inputs."""

    results: dict[str, Local] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    loaded: tuple[int, int] = (0, 0)  # sizes as read: unchanged sizes and no new results mean nothing to write
    encoded: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # results as read, written back without encoding again


Derive = Callable[[Local, Policy, date], Any]


@dataclass(frozen=True)
class _Keep:
    """What each result keeps beyond its findings (sent to worker processes)."""

    records: bool = False
    derive: Derive | None = None
    policy: Policy | None = None

    def shrink(self, local: Local, today: date) -> Local:
        if self.derive is not None and self.policy is not None:
            local = replace(local, extra=self.derive(local, self.policy, today))
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
    keep = _Keep(keep_records, derive, policy)
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
        try:
            raw = read_bytes(path)
        except OSError:
            results[i] = keep.shrink(check_local(load_file(path, display), policy, today), today)  # the loader words the error
            continue
        key = display + "\0" + hashlib.sha256(raw).hexdigest()
        keys[i] = key
        cached = old.results.get(key)
        if cached is not None:
            results[i] = cached
        else:
            todo.append((i, display, raw))
    for (i, _, _), local in zip(todo, _compute(todo, policy, today, jobs, keep)):
        results[i] = local
    new.results = {k: r for k, r in zip(keys, results) if k is not None and r is not None}
    if todo or new.results.keys() != old.results.keys():
        new.loaded = (-1, -1)
    return [r for r in results if r is not None]


def save(cache_dir: Path | None, policy: Policy, today: date, store: Store) -> None:
    """Write the cache unless nothing in it changed since it was read."""
    if cache_dir is None:
        return
    if store.loaded == (len(store.results), len(store.notes)):
        return
    store.loaded = (0, 0)
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
    return (local.file, tuple((f.file, f.line, f.column, f.severity, f.rule, f.message, f.article, f.params) for f in local.findings), local.keys,
            None if rank is None else (rank.key, rank.industry_code, rank.industry_name, rank.on.toordinal(), rank.inventions,
                                       rank.granted, rank.ended, rank.line, rank.column),
            None if local.on is None else local.on.toordinal())


def _decode(item: Any) -> Local:
    """One cached result, its shape checked field by field (TypeError/ValueError otherwise)."""
    file, findings, keys, rank, on = item
    _expect(isinstance(file, str) and isinstance(findings, tuple) and isinstance(keys, tuple))
    decoded = []
    for f in findings:
        path, line, column, severity, rule, message, article, params = f
        _expect(isinstance(path, str) and type(line) is int and type(column) is int and severity in SEVERITY_ORDER
                and isinstance(rule, str) and isinstance(message, str) and (article is None or isinstance(article, str))
                and isinstance(params, tuple) and all(isinstance(k, str) and (v is None or isinstance(v, (str, int))) for k, v in params))
        decoded.append(Finding(path, line, column, severity, rule, message, article, params))
    for kind, value, line, column in keys:
        _expect(isinstance(kind, str) and isinstance(value, str) and type(line) is int and type(column) is int)
    rank_input = None
    if rank is not None:
        key, code, name, day, inventions, granted, ended, line, column = rank
        _expect(isinstance(key, str) and isinstance(code, str) and isinstance(name, str) and type(line) is int and type(column) is int
                and all(isinstance(x, tuple) and all(type(v) is int for v in x) for x in (inventions, granted, ended)))
        rank_input = RankInput(key, code, name, date.fromordinal(day), inventions, granted, ended, line, column)
    return Local(file, tuple(decoded), (), keys, rank_input, None, None, None if on is None else date.fromordinal(on))


def _expect(condition: bool) -> None:
    if not condition:
        raise TypeError("cache entry of the wrong shape")


def _read(path: Path | None) -> Store:
    """marshal, not pickle: the cache is plain tuples and loads about three times faster. Anything but an
    intact cache of the expected shape (a bit flip, a truncated write, another version) reads as empty."""
    if path is None or not path.is_file():
        return Store()
    try:
        blob = path.read_bytes()
        head, digest, payload = blob[:len(MAGIC)], blob[len(MAGIC):len(MAGIC) + 32], blob[len(MAGIC) + 32:]
        if head != MAGIC or hashlib.sha256(payload).digest() != digest:
            return Store()
        results, notes = marshal.loads(payload)
        if not (isinstance(results, dict) and isinstance(notes, dict)) or not all(map(_is_note_set, notes.items())):
            return Store()
        store = Store({k: _decode(v) for k, v in results.items() if isinstance(k, str)}, notes, encoded=results)
        if len(store.results) != len(results):
            return Store()
        store.loaded = (len(store.results), len(store.notes))
        return store
    except Exception:  # noqa: BLE001 - a damaged cache is simply rebuilt
        return Store()


def _is_note_set(item: tuple[Any, Any]) -> bool:
    digest, found = item
    return isinstance(digest, str) and isinstance(found, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())


def _write(path: Path, store: Store) -> None:
    """Best effort, atomic: a read-only home folder just runs without a cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("check-*.cache"):
            if old != path:
                old.unlink(missing_ok=True)
        temp = path.with_suffix(f".tmp-{os.getpid()}")
        encoded = store.encoded  # same key (name and content digest), same results: reuse what was read
        payload = marshal.dumps(({k: encoded.get(k) or _encode(v) for k, v in store.results.items()}, store.notes))
        temp.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(temp, path)
    except (OSError, ValueError):
        pass
