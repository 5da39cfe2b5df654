"""The check cache lives outside the repository, is keyed by content and cannot be forged or go stale."""

from __future__ import annotations

import hashlib
import marshal
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from generator.checkcache import MAGIC, Store, _write, cache_dir, fingerprint
from generator.findings import Finding
from generator.policy import load_policy
from generator.registry import Local
from tests.sitekit import TODAY, fixtures, scratch_repo


def _check(repo: Path, home: Path, *extra: str, cache: Path | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("IPREG_TODAY", "IPREG_CACHE_DIR", "XDG_CACHE_HOME")}
    env["HOME"] = str(home)
    if cache is not None:
        env["IPREG_CACHE_DIR"] = str(cache)
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "json", "--today", TODAY, *extra],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.stderr == ""
    return result.returncode, result.stdout


def _repo(tmp_path: Path) -> Path:
    return scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"], "private": fixtures()["private"]})


def test_cache_is_kept_in_the_users_cache_folder(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    assert _check(repo, home)[0] == 0
    assert not (repo / ".ipreg-cache").exists() and [p.name for p in repo.iterdir() if "cache" in p.name] == []
    folder = cache_dir({"HOME": str(home)}, repo)
    assert folder.is_relative_to(home / ".cache" / "ipreg") and len(list(folder.glob("check-*.cache"))) == 1
    assert cache_dir({"XDG_CACHE_HOME": "/x"}, repo).parent == Path("/x/ipreg")
    assert cache_dir({}, repo) != cache_dir({}, tmp_path / "other")  # one folder per repository


def test_a_cache_planted_in_the_checkout_is_not_trusted(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    record = repo / "records" / f"{fixtures()['machine'].uscc}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("legal_person: true", "legal_person: false"), encoding="utf-8")
    clean = Local(f"records/{record.name}", (), (), (), None)
    key = f"records/{record.name}\0" + hashlib.sha256(record.read_bytes()).hexdigest()
    policy = load_policy(repo / "policy.yml")
    _write(repo / ".ipreg-cache" / f"check-{fingerprint(policy, date.fromisoformat(TODAY))}.cache", Store({key: clean}))
    assert _check(repo, home, cache=repo / ".ipreg-cache")[0] == 0  # the forged entry works where it is pointed at...
    code, out = _check(repo, home)  # ...but the default location is outside the checkout
    assert code == 1 and "art4.legal-person" in out


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
    results, notes = marshal.loads(good[len(MAGIC) + 32:])
    wrong_shapes = [
        ({k: ("file", "findings are not a tuple", (), None, None) for k in results}, notes),
        ({k: (v[0], ((v[0], "1", 1, "error", "x", "m", None),), *v[2:]) for k, v in results.items()}, notes),
        ({k: (v[0], ((v[0], 1, 1, "fatal", "x", "m", None),), *v[2:]) for k, v in results.items()}, notes),
        ({1: results[next(iter(results))]}, notes),
        (results, {"digest": "not a mapping"}),
        ["not", "a", "tuple"],
    ]
    for payload in wrong_shapes:
        blob = marshal.dumps(payload)
        path.write_bytes(MAGIC + hashlib.sha256(blob).digest() + blob)  # valid framing, wrong types
        assert _check(repo, home)[1] == expected
    path.write_bytes(good[: len(good) // 2])  # truncated
    assert _check(repo, home)[1] == expected


def test_finding_messages_survive_the_cache_unchanged(tmp_path: Path) -> None:
    repo, home = _repo(tmp_path), tmp_path / "home"
    record = repo / "records" / f"{fixtures()['private'].uscc}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("revenue: 7777777123", "revenue: 100"), encoding="utf-8")
    cold, warm = _check(repo, home)[1], _check(repo, home)[1]
    assert cold == warm == _check(repo, home, "--no-cache")[1]
    assert Finding("a", 1, 1, "error", "schema", "x").message == "x"
