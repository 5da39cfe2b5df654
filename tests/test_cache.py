"""The check cache lives outside the repository, is keyed by content, cannot be forged or go stale, and gives the output
of a full check after any sequence of edits."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synth import write_registry
from generator.checking import cache as checkcache
from generator.checking.cache import check_cached
from generator.checking.cachestore import MAGIC, cache_dir, key, read, sign, write
from generator.checking.reporters import format_json, format_text
from generator.checking.workers import check_files
from generator.findings import Finding
from generator.inputs import discover
from generator.policy import load_policy
from generator.registry import assemble
from tests.sitekit import TODAY, fixtures, ipreg, scratch_repo


def _check(repo: Path, home: Path, *extra: str, cache: Path | None = None) -> tuple[int, str]:
    env = {"HOME": str(home)}
    if cache is not None:
        env["IPREG_CACHE_DIR"] = str(cache)
    result = ipreg(repo, "check", "--format", "json", "--today", TODAY, *extra, env=env, unset=("IPREG_CACHE_DIR", "XDG_CACHE_HOME"))
    assert result.stderr == ""
    return result.returncode, result.stdout


def _repo(tmp_path: Path) -> Path:
    return scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"], "private": fixtures()["private"]})


@pytest.mark.slow
def test_cache_is_kept_in_the_users_cache_folder(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    assert _check(repo, home)[0] == 0
    assert not (repo / ".ipreg-cache").exists() and [p.name for p in repo.iterdir() if "cache" in p.name] == []
    folder = cache_dir({"HOME": str(home)}, repo)
    assert folder.is_relative_to(home / ".cache" / "ipreg") and len(list(folder.glob("check-*.cache"))) == 1
    assert cache_dir({"XDG_CACHE_HOME": "/x"}, repo).parent == Path("/x/ipreg")
    assert cache_dir({}, repo) != cache_dir({}, tmp_path / "other")  # one folder per repository


@pytest.mark.slow
def test_a_cache_planted_in_the_checkout_is_not_trusted(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    planted = repo / ".ipreg-cache"
    assert _check(repo, home, cache=planted)[0] == 0
    record = repo / "records" / f"{fixtures()['machine'].uscc}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("legal_person: true", "legal_person: false"), encoding="utf-8")
    path = next(planted.glob("check-*.cache"))  # forge it: the edited file's signature and digest, the clean file's results
    secret = key(planted)
    assert secret is not None
    cache = read(path, secret)
    name = f"records/{record.name}"
    info = record.stat()
    sig = hash((info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns))
    cache.index[name] = cache.index[name]._replace(signature=sig, digest=hashlib.sha256(record.read_bytes()).digest()[:16])
    cache.started += 10**10  # and pretend it was written well after the edit
    write(path, cache, secret)
    assert _check(repo, home, cache=planted)[0] == 0  # the forged entry works where it is pointed at...
    code, out = _check(repo, home)  # ...but the default location is outside the checkout
    assert code == 1 and "art4.legal-person" in out


@pytest.mark.slow
def test_same_size_edit_with_restored_mtime_is_seen(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    record = repo / "records" / f"{fixtures()['machine'].uscc}.yaml"
    assert _check(repo, home)[0] == 0
    info = record.stat()
    text = record.read_text(encoding="utf-8")
    edited = text.replace("revenue: 5000000", "revenue: 1000000")
    assert len(edited.encode()) == len(text.encode()) and edited != text
    record.write_text(edited, encoding="utf-8")
    os.utime(record, ns=(info.st_atime_ns, info.st_mtime_ns))  # as cp -p, rsync -a and unzip do
    code, out = _check(repo, home)
    assert code == 1 and "art5.revenue" in out
    assert out == _check(repo, home, "--no-cache")[1]


def _cache_file(repo: Path, home: Path) -> Path:
    return next(cache_dir({"HOME": str(home)}, repo).glob("check-*.cache"))


@pytest.mark.slow
def test_wrong_types_and_bit_flips_read_as_an_empty_cache(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    record = repo / "records" / f"{fixtures()['machine'].uscc}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("legal_person: true", "legal_person: false"), encoding="utf-8")
    expected = _check(repo, home, "--no-cache")[1]
    assert _check(repo, home)[1] == expected
    path = _cache_file(repo, home)
    good = path.read_bytes()
    message = "具有独立法人资格".encode()
    assert message in good
    flipped = good.replace(message, "不具独立法人资格".encode(), 1)  # same length, digest not updated
    path.write_bytes(flipped)
    assert _check(repo, home)[1] == expected
    started, index, blobs = marshal.loads(good[len(MAGIC) + 32:])
    name, entry = next(iter(index.items()))
    group = next(iter(blobs))
    wrong_shapes = [
        (started, {name: (entry[0], entry[1], entry[2], "findings are not a tuple", *entry[4:])}, blobs),
        (started, {**index, name: (*entry[:3], ((1, "1", "error", "x", "m", None, ()),), *entry[4:])}, blobs),
        (started, {**index, name: (*entry[:3], ((1, 1, "fatal", "x", "m", None, ()),), *entry[4:])}, blobs),
        (started, {**index, name: (*entry[:4], (("uscc", 1, 1, 1),), entry[5])}, blobs),
        (started, {**index, name: entry[:5]}, blobs),
        (started, {1: entry}, blobs),
        (started, index, {**blobs, group: b"not marshal"}),
        (started, index, {**blobs, group: marshal.dumps({k: (None, "own notes", None) for k in marshal.loads(blobs[group])})}),
        (started, index, {**blobs, group: marshal.dumps({})}),
        (str(started), index, blobs),
        ["not", "a", "tuple"],
    ]
    secret = key(path.parent)
    assert secret is not None
    for payload in wrong_shapes:
        blob = marshal.dumps(payload)
        path.write_bytes(MAGIC + sign(secret, blob) + blob)  # valid framing and signature, wrong types
        assert _check(repo, home)[1] == expected
        assert _check(repo, home, "--verbose")[1] == _check(repo, home, "--verbose", "--no-cache")[1]
    path.write_bytes(good[: len(good) // 2])  # truncated
    assert _check(repo, home)[1] == expected


@pytest.mark.slow
def test_a_cache_not_signed_with_the_users_key_is_not_used(tmp_path: Path) -> None:
    """Whoever can write a cache file but does not hold the key (another user, a copied cache) cannot make a result."""
    repo, home = _repo(tmp_path), tmp_path / "home"
    record = repo / "records" / f"{fixtures()['machine'].uscc}.yaml"
    assert _check(repo, home)[0] == 0
    path = _cache_file(repo, home)
    good = path.read_bytes()
    payload = good[len(MAGIC) + 32:]
    record.write_text(record.read_text(encoding="utf-8").replace("legal_person: true", "legal_person: false"), encoding="utf-8")
    started, index, blobs = marshal.loads(payload)
    name = f"records/{record.name}"
    info = record.stat()
    index[name] = (hash((info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)),
                   hashlib.sha256(record.read_bytes()).digest()[:16], *index[name][2:])
    forged = marshal.dumps((started + 10**10, index, blobs))
    for digest in (hashlib.sha256(forged).digest(), sign(b"k" * 32, forged)):  # unkeyed, or another key
        path.write_bytes(MAGIC + digest + forged)
        code, out = _check(repo, home)
        assert code == 1 and "art4.legal-person" in out


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX owner and mode bits")
def test_a_shared_or_linked_cache_folder_is_refused(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # as /tmp is
    result = ipreg(repo, "check", "--today", TODAY, env={"HOME": str(home), "IPREG_CACHE_DIR": str(shared)}, timeout=120)
    assert result.returncode == 0 and list(shared.iterdir()) == [] and "不使用检查缓存" in result.stderr


@pytest.mark.slow
def test_cache_files_are_created_exclusively_never_through_a_link(tmp_path: Path) -> None:
    """A link planted where the cache, its key or a temporary file will be written is never followed: the file it points
    at stays as it was."""
    repo, home = _repo(tmp_path), tmp_path / "home"
    assert _check(repo, home)[0] == 0
    folder = cache_dir({"HOME": str(home)}, repo)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    for old in folder.iterdir():
        old.unlink()
    (folder / "key").symlink_to(victim)
    assert _check(repo, home)[0] == 0  # no key can be read: runs without the cache
    assert victim.read_text(encoding="utf-8") == "keep me" and [p.name for p in folder.glob("check-*")] == []
    assert [p for p in folder.iterdir() if p.name != "key"] == []
    assert (folder / "key").is_symlink()


@pytest.mark.slow
def test_finding_messages_survive_the_cache_unchanged(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    record = repo / "records" / f"{fixtures()['private'].uscc}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("revenue: 7777777123", "revenue: 100"), encoding="utf-8")
    cold, warm = _check(repo, home)[1], _check(repo, home)[1]
    assert cold == warm == _check(repo, home, "--no-cache")[1]
    assert Finding("a", 1, 1, "error", "schema", "x").message == "x"


# --- the incremental cache: any sequence of edits gives the output of a full check ---------------------------------



def _both(repo: Path, cache: Path, infos: bool) -> tuple[str, str]:
    files, notes = discover([str(repo / "records")])
    policy, today = load_policy(repo / "policy.yml"), date.fromisoformat(TODAY)
    full = assemble(check_files(files, policy, today, 1), policy, today, notes)
    cached = check_cached(files, notes, policy, today, cache, 1, infos)
    show = format_json if infos else format_text
    return show(cached), show(full)


def _edit(old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        path.write_bytes(path.read_bytes().replace(old.encode(), new.encode(), count))
    return apply


def _sub(pattern: str, new: str) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        text = path.read_bytes().decode("utf-8", "surrogateescape")  # an unreadable file stays as it is
        path.write_bytes(re.sub(pattern, new, text, count=1).encode("utf-8", "surrogateescape"))
    return apply


EDITS: dict[str, Callable[[Path], None]] = {
    "unrelated": _edit("legal_person: true", "legal_person: false"),  # a finding, the ranking inputs unchanged
    "undo": _edit("legal_person: false", "legal_person: true"),
    "patent": _edit("    type: invention\n", "    type: utility_model\n"),  # one invention fewer: the industry's ranking changes
    "industry": _edit("  code: C", "  code: C1"),  # moves to another (new) industry
    "schema": _edit("uscc:", "usc:"),  # drops out of the ranking
    "delete": lambda path: path.unlink(),
    "copy": lambda path: (path.parent / "91411721MA0000XXXX.yaml").write_bytes(path.read_bytes()),  # a duplicate USCC
    "unreadable": lambda path: path.write_bytes(b"\xff\xfe not utf-8"),
    # registry.duplicate across files: applied to two files they share a name, a patent or a 文号 of different dates
    "same name": _sub(r"(?m)^name: .*$", "name: 西平县同名测试有限公司"),
    "same patent": _sub(r'(?m)^  - number: "ZL[^"]*"', '  - number: "ZL202010000193.6"'),
    "same document": _sub(r"(?m)^    document: .*$", "    document: 西市监〔2022〕1号"),
}


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 10**6)), min_size=1, max_size=7),
       infos=st.booleans())
def test_any_sequence_of_edits_gives_the_output_of_a_full_check(tmp_path_factory: pytest.TempPathFactory,
                                                                 steps: list[tuple[str, int]], infos: bool) -> None:
    base = tmp_path_factory.mktemp("edits")
    repo = write_registry(base / "repo", 16, errors=0.2, seed=5, industry_count=3)
    cache = base / "cache"
    cached, full = _both(repo, cache, infos)
    assert cached == full
    for name, pick in steps:
        files = sorted((repo / "records").glob("*.yaml"))
        if not files:
            break
        EDITS[name](files[pick % len(files)])
        cached, full = _both(repo, cache, infos)
        assert cached == full, name
    assert _both(repo, cache, not infos)[0] == _both(repo, cache, not infos)[1]


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose size, times and inode are as last seen is not read; one edited is; one changed within RACY_NS of the
    last run's start is read again even when its signature matches (a time stamp can repeat within its resolution)."""
    repo = write_registry(tmp_path / "repo", 30, errors=0.1, seed=3)
    cache = tmp_path / "cache"
    read: list[str] = []
    real = checkcache.read_bytes

    def counting(path: str | os.PathLike[str]) -> bytes:
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(checkcache, "read_bytes", counting)
    monkeypatch.setattr(checkcache, "RACY_NS", 0)
    assert _both(repo, cache, False)[0] == _both(repo, cache, False)[1]
    read.clear()
    assert _both(repo, cache, False)[0] == _both(repo, cache, False)[1]
    assert read == [] or not checkcache.TRUST_STAT
    one = sorted((repo / "records").glob("*.yaml"))[4]
    EDITS["unrelated"](one)
    read.clear()
    cached, full = _both(repo, cache, False)
    assert cached == full and "art4.legal-person" in cached
    assert read == [one.name] or not checkcache.TRUST_STAT
    # a signature that matches but is too recent: read again
    monkeypatch.setattr(checkcache, "RACY_NS", 10**18)
    read.clear()
    _both(repo, cache, False)
    assert len(read) == 30


def test_a_first_run_reads_each_file_once_where_it_is_checked_and_stores_its_digest(tmp_path: Path,
                                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 36: a file the cache has no row for is read by the worker that checks it (in parallel), not first by the
    scan as well; its digest comes back with its result and is what the next run compares."""
    repo = write_registry(tmp_path / "repo", 12, errors=0.2, seed=5)
    (repo / "records" / "unreadable.yaml").mkdir()  # a name that cannot be read: worded by the loader, never cached
    cache = tmp_path / "cache"
    scanned: list[str] = []
    real = checkcache.read_bytes
    monkeypatch.setattr(checkcache, "read_bytes", lambda path: scanned.append(Path(path).name) or real(path))
    cached, full = _both(repo, cache, True)
    assert cached == full and "unreadable.yaml" in cached and scanned == []
    secret = key(cache)
    assert secret is not None
    [path] = cache.glob("check-*.cache")
    index = read(path, secret).index
    files = sorted((repo / "records").glob("*.yaml"))
    assert {Path(name).name: row.digest for name, row in index.items()} == {
        f.name: hashlib.sha256(f.read_bytes()).digest()[:16] for f in files if f.is_file()}
    monkeypatch.setattr(checkcache, "RACY_NS", 0)
    assert _both(repo, cache, True) == (cached, full)
    assert scanned in ([], ["unreadable.yaml"]) or not checkcache.TRUST_STAT
