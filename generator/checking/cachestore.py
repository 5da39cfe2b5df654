"""The file behind ``ipreg check``'s cache (``checkcache`` uses it): where it lives, its rows as named types, and how
they are written and read back.

The cache is one file per (code, schemas, policy, today) fingerprint in the user's cache folder (``cache_dir``), never
in the repository, so a checkout cannot bring a cache with it. It carries a digest of its payload signed with a key
only this user can read (``key``); anything else (a bit flip, a truncated write, another version, a planted or copied
file) reads as empty, and every entry is checked for shape where it is used.

On disk the rows are plain tuples (marshal: several times faster than pickle and runs no code); in memory they are
``IndexRow`` and ``BlobItem``.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import generator
from generator.errors import IpregError
from generator.files import create_exclusive, open_own, replace_own, user_cache
from generator.findings import SEVERITY_ORDER, Finding
from generator.policy import PolicyHistory
from generator.ranking import Rank, RankInput
from generator.schema import SCHEMA_DIR

MAGIC = b"ipreg-check-cache 5\n"

EncodedFinding = tuple[Any, ...]  # Finding without its file: (line, column, severity, rule, message, article, params)
UniqueKey = tuple[str, str, int, int]  # a value that must be unique in the registry: (kind, value, line, column)


class IndexRow(NamedTuple):
    """What the cache keeps of one file for every run."""

    signature: int  # hash of (size, mtime, inode, ctime): unchanged means the file need not be read
    digest: bytes  # the first 16 bytes of the content's SHA-256: unchanged means it need not be checked
    industry: str  # its ranking group ("" when it is not ranked)
    visible: tuple[EncodedFinding, ...]  # its errors and warnings after the registry-wide checks
    keys: tuple[UniqueKey, ...]  # the values that must be unique
    duplicated: bool  # it had a registry.duplicate finding


class BlobItem(NamedTuple):
    """What the cache keeps of one member of an industry, decoded only when that industry is needed."""

    rank: tuple[Any, ...] | None  # its ranking input (``encode_rank``)
    notes: tuple[EncodedFinding, ...]  # its own information notes
    figures: tuple[int, ...] | None  # the figures of its ranking note (``encode_figures``)


@dataclass
class Cache:
    """The cache as read: ``index`` per file; ``blobs`` per industry, marshal of file -> BlobItem as a tuple."""

    started: int = 0  # when the run that wrote it began (ns)
    index: dict[str, IndexRow] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)


class Damaged(IpregError):
    """A cache entry of the wrong shape: the run starts again without the cache."""


def expect(condition: bool) -> None:
    if not condition:
        raise Damaged


# ---------------------------------------------------------------------------------------------------------------------
# where


def cache_dir(environ: Mapping[str, str], repository: Path) -> Path:
    """Where ``ipreg check`` keeps its cache for ``repository``: ``IPREG_CACHE_DIR`` if set, else the user's
    cache folder (XDG_CACHE_HOME, ~/.cache, or %LOCALAPPDATA% on Windows), one sub-folder per repository path."""
    explicit = environ.get("IPREG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    key = hashlib.sha256(os.fsencode(os.path.abspath(repository))).hexdigest()[:16]
    return user_cache(environ) / key


def private_folder(folder: Path) -> bool:
    """Make ``folder`` if needed (only its owner may enter it) and say whether it is a real folder of this user that
    nobody else can write: the cache and its key live only in such a folder, so nobody can plant or swap a file there."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False  # a symbolic link or a file
    if sys.platform == "win32":
        return True  # %LOCALAPPDATA% is the user's own; Windows has no owner and mode bits to compare here
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def fingerprint(policy: PolicyHistory, today: date) -> str:
    """Everything besides a file's own bytes that its results depend on."""
    digest = hashlib.sha256()
    package = Path(generator.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")) + sorted(SCHEMA_DIR.glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(repr(policy).encode())
    digest.update(today.isoformat().encode())
    digest.update(sys.version.encode())  # marshal and hash() may differ between Python versions
    return digest.hexdigest()[:24]


# ---------------------------------------------------------------------------------------------------------------------
# the key


def key(folder: Path) -> bytes | None:
    """The secret that signs this user's cache files (``key`` in the cache folder, made once): a cache file that was not
    written by ipreg for this user does not verify, whoever could write it."""
    path = folder / "key"
    for _ in range(2):
        try:
            with os.fdopen(open_own(path), "rb") as handle:
                secret = handle.read(64)
            return secret if len(secret) == 32 else None
        except FileNotFoundError:
            try:
                fd = create_exclusive(path, 0o600)
            except FileExistsError:
                continue  # another run made it just now: read that one
            except OSError:
                return None
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        except OSError:
            return None
    return None


def sign(secret: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


# ---------------------------------------------------------------------------------------------------------------------
# reading and writing the file


def read(path: Path, secret: bytes) -> Cache:
    """The cache at ``path``; anything but an intact cache of the expected shape signed with ``secret`` reads as empty."""
    try:
        with os.fdopen(open_own(path), "rb") as handle:
            blob = handle.read()
    except OSError:
        return Cache()
    head, digest, payload = blob[: len(MAGIC)], blob[len(MAGIC) : len(MAGIC) + 32], memoryview(blob)[len(MAGIC) + 32 :]
    if head != MAGIC or not hmac.compare_digest(sign(secret, payload), digest):
        return Cache()
    try:
        started, index, blobs = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return Cache()
    if not (
        type(started) is int
        and type(index) is dict
        and type(blobs) is dict
        and _types(blobs) <= {str}
        and _types(blobs.values()) <= {bytes}
        and _types(index) <= {str}
        and _index_ok(list(index.values()))
    ):
        return Cache()
    return Cache(started, {name: IndexRow._make(row) for name, row in index.items()}, blobs)


def write(path: Path, cache: Cache, secret: bytes) -> None:
    """Best effort, atomic (``files.replace_own``): a read-only home folder just runs without a cache. Caches of other
    fingerprints (older code, policy or day) are removed: they can never be used again."""
    try:
        for other in path.parent.glob("check-*.cache"):
            if other != path:
                other.unlink(missing_ok=True)
        payload = marshal.dumps((cache.started, {name: tuple(row) for name, row in cache.index.items()}, cache.blobs))
        replace_own(path, MAGIC + sign(secret, payload) + payload, 0o600)
    except (OSError, ValueError):
        pass


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))


def _index_ok(entries: list[Any]) -> bool:
    """The shape of the index rows, column by column (their findings are checked where they are decoded)."""
    if not entries:
        return True
    if _types(entries) != {tuple} or set(map(len, entries)) != {len(IndexRow._fields)}:
        return False
    sigs, digests, groups, visible, keys, dups = zip(*entries, strict=True)
    if not (
        _types(sigs) == {int}
        and _types(digests) == {bytes}
        and _types(groups) == {str}
        and _types(visible) == {tuple}
        and _types(dups) == {bool}
        and _types(keys) == {tuple}
    ):
        return False
    flat = [k for each in keys for k in each]
    if not flat:
        return True
    if _types(flat) != {tuple} or set(map(len, flat)) != {4}:
        return False
    kinds, values, lines, columns = zip(*flat, strict=True)
    return _types(kinds) == {str} and _types(values) == {str} and _types(lines) == {int} and _types(columns) == {int}


# ---------------------------------------------------------------------------------------------------------------------
# the industries' blobs and the values in the rows


def load_blob(raw: bytes | None) -> dict[str, Any]:
    """An industry's members (file -> BlobItem as a plain tuple; ``item`` checks and names one)."""
    if raw is None:
        return {}
    try:
        items = marshal.loads(raw)
    except (EOFError, ValueError, TypeError) as exc:
        raise Damaged from exc
    expect(isinstance(items, dict))
    return dict(items)


def dump_blob(items: Mapping[str, BlobItem | tuple[Any, ...]]) -> bytes:
    return marshal.dumps({name: tuple(value) for name, value in items.items()})


def item(value: Any) -> BlobItem:
    """A member's entry in its industry's blob."""
    expect(type(value) in (tuple, BlobItem) and len(value) == 3 and type(value[1]) is tuple)
    return BlobItem._make(value)


def encode_figures(r: Rank) -> tuple[int, ...]:
    """Rank's fields in their order (dataclasses.astuple deep-copies: ten times slower)."""
    return (r.peers, r.recent, r.recent_rank, r.valid, r.valid_rank, r.recent_ties, r.valid_ties)


def decode_figures(value: Any) -> Rank | None:
    if value is None:
        return None
    expect(type(value) is tuple and len(value) == 7 and all(type(v) is int for v in value))
    return Rank(*value)


def encode_finding(f: Finding) -> EncodedFinding:
    """Without the file name: it is the row's."""
    return (f.line, f.column, f.severity, f.rule, f.message, f.article, f.params)


def decode_finding(path: str, value: Any) -> Finding:
    expect(type(value) is tuple and len(value) == 7)
    line, column, severity, rule, message, article, params = value
    expect(
        type(line) is int
        and type(column) is int
        and severity in SEVERITY_ORDER
        and isinstance(rule, str)
        and isinstance(message, str)
        and (article is None or isinstance(article, str))
        and type(params) is tuple
        and all(_param_ok(p) for p in params)
    )
    return Finding(path, line, column, severity, rule, message, article, params)


def _param_ok(p: Any) -> bool:
    return isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) and (p[1] is None or isinstance(p[1], (str, int)))


def encode_rank(rank: RankInput | None) -> tuple[Any, ...] | None:
    """Without its key: the file name."""
    if rank is None:
        return None
    return (rank.industry_code, rank.industry_name, rank.on.toordinal(), rank.inventions, rank.granted, rank.ended, rank.line,
            rank.column)


def decode_rank(name: str, value: Any) -> RankInput | None:
    if value is None:
        return None
    expect(isinstance(value, tuple) and len(value) == 8)
    code, industry, day, inventions, granted, ended, line, column = value
    expect(
        isinstance(code, str)
        and isinstance(industry, str)
        and type(day) is int
        and type(line) is int
        and type(column) is int
        and all(isinstance(x, tuple) and all(type(v) is int for v in x) for x in (inventions, granted, ended))
    )
    return RankInput(name, code, industry, date.fromordinal(day), inventions, granted, ended, line, column)
