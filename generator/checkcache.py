"""The fast path of ``ipreg check``: a cache keyed by file content, and worker processes.

Each file's own results (``registry.Local``, without its positions) are kept in one pickle per
(code, schemas, policy, today) fingerprint under ``.ipreg-cache/``; a file is checked again only
when its bytes or its name changed. The registry-wide checks (duplicates, ranking) always run on
the whole set, so the output is exactly that of the uncached path.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import generator
from generator.loader import load_bytes, load_file
from generator.policy import Policy
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


def check_files(files: Sequence[tuple[Path, str]], policy: Policy, today: date, cache_dir: Path | None, jobs: int | None,
                keep_records: bool = False) -> list[Local]:
    """Each file's own results, from the cache where its bytes are unchanged.

    With ``keep_records`` (status, worklist, site) nothing is cached and every result keeps its
    typed record, without the line map: findings are computed while the file is loaded, and the
    loaded document is dropped right after, so memory grows by records, not by parse trees.
    """
    if keep_records:
        cache_dir = None
    store_path = cache_dir / f"check-{fingerprint(policy, today)}.pickle" if cache_dir else None
    store = _read(store_path)
    results: list[Local | None] = [None] * len(files)
    keys: list[str | None] = [None] * len(files)
    todo: list[tuple[int, str, bytes]] = []
    for i, (path, display) in enumerate(files):
        try:
            raw = path.read_bytes()
        except OSError:
            results[i] = _shrink(check_local(load_file(path, display), policy, today), keep_records)  # the loader words the error
            continue
        key = display + "\0" + hashlib.sha256(raw).hexdigest()
        keys[i] = key
        cached = store.get(key)
        if cached is not None:
            results[i] = cached
        else:
            todo.append((i, display, raw))
    for (i, _, _), local in zip(todo, _compute(todo, policy, today, jobs, keep_records)):
        results[i] = local
    if store_path is not None and (todo or len(store) != len(files)):
        _write(store_path, {k: r for k, r in zip(keys, results) if k is not None and r is not None})
    return [r for r in results if r is not None]


def _shrink(local: Local, keep_records: bool) -> Local:
    return local.without_positions() if keep_records else local.lite()


def _compute(todo: list[tuple[int, str, bytes]], policy: Policy, today: date, jobs: int | None, keep_records: bool) -> list[Local]:
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(todo) < PARALLEL_FROM:
        return [_shrink(check_local(load_bytes(raw, display), policy, today), keep_records) for _, display, raw in todo]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(policy, today, keep_records)) as pool:
        return list(pool.map(_check_one, [(display, raw) for _, display, raw in todo], chunksize=32))


def _init(policy: Policy, today: date, keep_records: bool) -> None:
    _worker["policy"], _worker["today"], _worker["keep"] = policy, today, keep_records


def _check_one(item: tuple[str, bytes]) -> Local:
    policy, today = _worker["policy"], _worker["today"]
    assert isinstance(policy, Policy) and isinstance(today, date)
    return _shrink(check_local(load_bytes(item[1], item[0]), policy, today), bool(_worker["keep"]))


def _read(path: Path | None) -> dict[str, Local]:
    if path is None or not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            store = pickle.load(handle)
        return store if isinstance(store, dict) else {}
    except Exception:  # noqa: BLE001 - a damaged cache is simply rebuilt
        return {}


def _write(path: Path, store: dict[str, Local]) -> None:
    """Best effort: a read-only checkout just runs without a cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("check-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        temp = path.with_suffix(f".tmp-{os.getpid()}")
        with temp.open("wb") as handle:
            pickle.dump(store, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        pass
