"""Issue 35, item 2: recovering the write journal is never a way in. A ``.ipreg-journal/`` that came with a commit, an
archive or someone's hand is refused in Chinese and left exactly as it is; only a journal this machine's ipreg signed
for this registry, naming ``records/<USCC>.yaml`` targets and its own staged files, is finished or undone."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from generator.writing import journalkey
from generator.writing.journal import DONE, JOURNAL, MANIFEST, JournalError, JournalRefused, Write, commit, recover, registry_lock
from tests.helpers import git
from tests.sitekit import ipreg
from tests.test_decide_writes import TODAY, _repo, _staged

HOOK = b"#!/bin/sh\necho planted > \"$HOME/pwned\"\n"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and modes")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Every file and link under ``folder`` (the repository's .git excepted), with its bytes or where it points."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name == ".git" or name.startswith(".git/"):
            continue
        if path.is_symlink():
            out[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            out[name] = path.read_bytes()
        else:
            out[name] = "dir"
    return out


def _home_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}


def _old_style_manifest(outside: Path, code: str) -> list[dict[str, object]]:
    """What main's recovery obeyed: any target, any staged name, its own ``shown`` text."""
    return [
        {"target": ".git/hooks/pre-commit", "shown": f"records/{code}.yaml", "old": None, "new": _sha(HOOK), "staged": "0.new"},
        {"target": str(outside), "shown": f"records/{code}.yaml", "old": None, "new": _sha(HOOK), "staged": "1.new"},
    ]


def _new_style_manifest(outside: Path, code: str) -> dict[str, object]:
    """The current shape, with targets that climb out and a made-up signature."""
    rows = [{"file": "../.git/hooks/pre-commit", "old": None, "new": _sha(HOOK), "staged": "0.new"},
            {"file": str(outside), "old": None, "new": _sha(HOOK), "staged": "1.new"}]
    return {"body": {"format": 1, "records": "records", "entries": rows}, "mac": "0" * 64}


@pytest.mark.slow
@pytest.mark.parametrize("shape", [_old_style_manifest, _new_style_manifest])
def test_a_committed_journal_writes_nothing_anywhere(tmp_path: Path, shape: object) -> None:
    """The attack as measured on main: committed as "records: 更新两家企业", checked out, then ``ipreg check``."""
    repo, codes = _repo(tmp_path, 2)
    outside = tmp_path / "outside" / "planted.sh"
    journal = repo / JOURNAL
    journal.mkdir()
    (journal / "0.new").write_bytes(HOOK)
    (journal / "1.new").write_bytes(HOOK)
    (journal / MANIFEST).write_text(json.dumps(shape(outside, codes[0])), encoding="utf-8")  # type: ignore[operator]
    git(repo, "add", "-f", JOURNAL)
    git(repo, "commit", "-qm", "records: 更新两家企业")
    before, status = _tree(repo), git(repo, "status", "--porcelain", "--ignored")
    env = _home_env(tmp_path)

    check = ipreg(repo, "check", "--today", TODAY, "--format", "json", env=env)
    assert check.returncode == 2, check.stderr
    assert json.loads(check.stdout)["records"] == 2  # the records were still checked
    assert "不是本机 ipreg 写下的录入日志" in check.stderr and "请核对并删除 .ipreg-journal/ 目录" in check.stderr, check.stderr
    assert "Traceback" not in check.stderr + check.stdout
    assert not (repo / ".git" / "hooks" / "pre-commit").exists() and not outside.exists() and not outside.parent.exists()
    assert not (Path(env["HOME"]) / "pwned").exists()
    assert _tree(repo) == before  # nothing written, nothing deleted: not even the lock file
    assert git(repo, "status", "--porcelain", "--ignored") == status

    decide = ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕60号",
                   codes[0], env=env)
    assert decide.returncode == 2 and "没有写入任何记录" in decide.stderr, decide.stderr
    assert "请核对并删除 .ipreg-journal/ 目录" in decide.stderr and "Traceback" not in decide.stderr
    assert {k: v for k, v in _tree(repo).items() if k != ".ipreg-lock"} == before
    assert not (repo / ".git" / "hooks" / "pre-commit").exists() and not outside.exists()


@pytest.mark.slow
def test_a_genuine_journal_that_git_tracks_is_not_replayed(tmp_path: Path) -> None:
    """Signed here, but committed: it came with a commit as far as this checkout knows, so it is left alone."""
    repo, codes = _repo(tmp_path, 2)
    before, _ = _staged(repo, codes, 0, True)
    git(repo, "add", "-f", JOURNAL)
    snapshot = _tree(repo)
    result = ipreg(repo, "status", "--today", TODAY, "--format", "json", env=_home_env(tmp_path))
    assert result.returncode == 2 and "它被 git 跟踪" in result.stderr, result.stderr
    assert _tree(repo) == snapshot
    assert {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes} == before


# --- hand-made manifests: refused by recover() itself, nothing touched -----------------------------------------------


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A registry folder with a git directory (where the key lives) and two records; HOME is a scratch folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home = tmp_path / "repo"
    (home / "records").mkdir(parents=True)
    (home / ".git").mkdir()
    for code in ("91411721MA00000154", "91411721MA0000017X"):
        (home / "records" / f"{code}.yaml").write_bytes(f"uscc: {code}\n".encode())
    return home


def _plant(home: Path, rows: list[dict[str, object]], records: str = "records", mac: str | None = "sign") -> None:
    """A journal as someone could write it by hand: staged files holding a script, a manifest of the current shape,
    signed with this machine's real key when ``mac`` is "sign" (so only the path checks can refuse it)."""
    folder = home / JOURNAL
    folder.mkdir()
    for i in range(len(rows)):
        (folder / f"{i}.new").write_bytes(HOOK)
    body = {"format": 1, "records": records, "entries": rows}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if mac == "sign":
        secret = journalkey.signing_key(home)
        assert secret is not None
        mac = journalkey.sign(secret, home, canonical)
    manifest = {"body": body} if mac is None else {"body": body, "mac": mac}
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _row(file: str, staged: str = "0.new", old: str | None = None) -> dict[str, object]:
    return {"file": file, "old": old, "new": _sha(HOOK), "staged": staged}


def _refused(home: Path, why: str) -> None:
    snapshot = _tree(home.parent)
    with pytest.raises(JournalRefused) as caught:
        recover(home / "records")
    message = str(caught.value)
    assert why in message and "没有按它写入或删除任何文件" in message and "请核对并删除" in message, message
    assert _tree(home.parent) == snapshot
    assert not (home / ".ipreg-lock").exists()
    with pytest.raises(JournalRefused, match="没有写入任何记录"):  # and nothing is written while it is there
        commit(home / "records", [Write(home / "records" / "91411721MA00000154.yaml", b"uscc: 91411721MA00000154\n", b"x\n")])
    assert _tree(home.parent) == snapshot


@pytest.mark.slow
@pytest.mark.parametrize("mac,why", [(None, "没有本机 ipreg"), ("0" * 64, "没有本机 ipreg"), ("", "没有本机 ipreg"),
                                     (hashlib.sha256(b"another key").hexdigest(), "没有本机 ipreg")])
def test_a_manifest_of_the_right_shape_without_this_machines_signature_is_refused(registry: Path, mac: str | None, why: str) -> None:
    _plant(registry, [_row("91411721MA00000154.yaml", old=_sha(b"uscc: 91411721MA00000154\n"))], mac=mac)
    if mac is None:
        why = "不是 ipreg 写的格式"
    _refused(registry, why)
    assert (registry / "records" / "91411721MA00000154.yaml").read_bytes() == b"uscc: 91411721MA00000154\n"


@pytest.mark.slow
def test_a_manifest_signed_with_another_machines_key(registry: Path) -> None:
    other = registry.parent / "elsewhere"
    (other / ".git").mkdir(parents=True)
    (other / "records").mkdir()
    rows = [_row("91411721MA00000154.yaml", old=_sha(b"uscc: 91411721MA00000154\n"))]
    body = {"format": 1, "records": "records", "entries": rows}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    secret = journalkey.signing_key(other)
    assert secret is not None and secret != journalkey.signing_key(registry)
    _plant(registry, rows, mac=journalkey.sign(secret, registry, canonical))
    _refused(registry, "没有本机 ipreg 为这个登记簿所做的签名")


@pytest.mark.slow
@pytest.mark.parametrize("rows,records,why", [
    ([_row("../x.yaml")], "records", "不是 records/ 中的"),
    ([_row("abc.yaml")], "records", "不是 records/ 中的"),
    ([_row("91411721ma00000154.yaml")], "records", "不是 records/ 中的"),
    ([_row("/tmp/91411721MA00000154.yaml")], "records", "不是 records/ 中的"),
    ([_row("91411721MA00000154.yaml", staged="../../x")], "records", "暂存文件名"),
    ([_row("91411721MA00000154.yaml", staged="/etc/passwd")], "records", "暂存文件名"),
    ([_row("91411721MA00000154.yaml")], "..", "记录目录"),
    ([_row("91411721MA00000154.yaml")], "records/../.git", "记录目录"),
    ([_row("91411721MA00000154.yaml"), _row("91411721MA00000154.yaml", staged="1.new")], "records", "同一个文件写了两次"),
])
def test_signed_but_impossible_targets_and_names_are_refused(registry: Path, rows: list[dict[str, object]], records: str,
                                                             why: str) -> None:
    _plant(registry, rows, records)
    _refused(registry, why)


@pytest.mark.slow
def test_a_target_that_is_a_link_out_of_records_is_refused(registry: Path) -> None:
    code = "91411721MA0000018X"
    outside = registry.parent / "outside.yaml"
    (registry / "records" / f"{code}.yaml").symlink_to(outside)
    _plant(registry, [_row(f"{code}.yaml")])
    _refused(registry, "是符号链接或不在记录目录")
    assert not outside.exists()


@pytest.mark.slow
def test_a_records_folder_named_by_the_manifest_that_links_elsewhere_is_refused(registry: Path) -> None:
    (registry / "evil").symlink_to(registry / ".git" / "hooks", target_is_directory=True)
    (registry / ".git" / "hooks").mkdir()
    _plant(registry, [_row("91411721MA00000154.yaml")], records="evil")
    with pytest.raises(JournalRefused):
        recover(registry / "records")
    assert list((registry / ".git" / "hooks").iterdir()) == []


def test_a_journal_that_is_a_link_or_holds_foreign_files_is_refused(registry: Path) -> None:
    elsewhere = registry.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "0.new").write_bytes(HOOK)
    (registry / JOURNAL).symlink_to(elsewhere, target_is_directory=True)
    _refused(registry, "符号链接")
    (registry / JOURNAL).unlink()
    (registry / JOURNAL).mkdir()
    (registry / JOURNAL / "0.new").write_bytes(HOOK)
    (registry / JOURNAL / "\x1b]0;evil\x07.sh").write_bytes(HOOK)  # an undecided journal with a stranger in it
    _refused(registry, "ipreg 不会写的文件")
    (registry / JOURNAL / "\x1b]0;evil\x07.sh").unlink()
    (registry / JOURNAL / "1.new").symlink_to(elsewhere / "0.new")
    _refused(registry, "不是普通文件")


def test_a_leftover_finished_folder_from_elsewhere_is_refused(registry: Path) -> None:
    (registry / DONE).mkdir()
    (registry / DONE / "notes.txt").write_text("keep me", encoding="utf-8")
    _refused(registry, "ipreg 不会写的文件")


@pytest.mark.slow
def test_a_genuine_journal_moved_to_another_registry_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a git directory the key is the user's own; the signature still binds the journal to its registry."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    first, second = tmp_path / "a", tmp_path / "b"
    code = "91411721MA00000154"
    for home in (first, second):
        (home / "records").mkdir(parents=True)
        (home / "records" / f"{code}.yaml").write_bytes(b"old\n")
    _kill_after_manifest(first, code)
    key = tmp_path / "home" / ".config" / "ipreg" / journalkey.KEY_NAME
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    (first / JOURNAL).rename(second / JOURNAL)
    _refused(second, "没有本机 ipreg 为这个登记簿所做的签名")
    (second / JOURNAL).rename(first / JOURNAL)
    assert "已补完全部 1 个记录" in str(recover(first / "records"))
    assert (first / "records" / f"{code}.yaml").read_bytes() == b"new\n" and not (first / JOURNAL).exists()


def _kill_after_manifest(home: Path, code: str) -> None:
    from generator.writing import journal

    real = journal.os.replace

    def stop(src: object, dst: object) -> None:
        if not str(dst).endswith(MANIFEST):
            raise KeyboardInterrupt
        real(src, dst)  # type: ignore[arg-type]

    journal.os.replace = stop  # type: ignore[assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            commit(home / "records", [Write(home / "records" / f"{code}.yaml", b"old\n", b"new\n")])
    finally:
        journal.os.replace = real  # type: ignore[assignment]


def test_a_planted_key_link_is_never_written_through(registry: Path) -> None:
    target = registry.parent / "stolen-key"
    (registry / ".git" / journalkey.KEY_NAME).symlink_to(target)
    secret = journalkey.signing_key(registry)
    assert secret is not None and not target.exists()  # the key went to the user's own folder instead
    assert (registry.parent / "home" / ".config" / "ipreg" / journalkey.KEY_NAME).read_bytes() == secret


def test_a_worktree_keeps_its_key_in_its_own_git_directory(tmp_path: Path) -> None:
    gitdir = tmp_path / "main" / ".git" / "worktrees" / "wt"
    gitdir.mkdir(parents=True)
    home = tmp_path / "wt"
    home.mkdir()
    (home / ".git").write_text(f"gitdir: {gitdir}\n", encoding="utf-8")
    assert journalkey.git_dir(home) == gitdir
    assert journalkey.signing_key(home) == (gitdir / journalkey.KEY_NAME).read_bytes()


def test_commit_writes_only_records_files(registry: Path) -> None:
    with pytest.raises(JournalError, match="没有写入任何记录"):
        commit(registry / "records", [Write(registry / ".git" / "hooks" / "pre-commit", None, HOOK)])
    with pytest.raises(JournalError, match="没有写入任何记录"):
        commit(registry / "records", [Write(registry / "records" / "notes.yaml", None, HOOK)])
    assert not (registry / JOURNAL).exists() and not (registry / ".git" / "hooks").exists()


def test_the_registry_lock_never_follows_a_planted_link_nor_truncates_its_file(tmp_path: Path) -> None:
    """filelock's FileLock with preserve_lock_file: a link at .ipreg-lock is refused in Chinese and what it points at is
    untouched (a dangling one makes nothing); an existing lock file keeps its bytes and stays after release."""

    (tmp_path / "records").mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_bytes(b"keep")
    for target in (precious, tmp_path / "nowhere"):
        (tmp_path / ".ipreg-lock").symlink_to(target)
        with pytest.raises(JournalError, match="无法建立登记簿的锁文件"), registry_lock(tmp_path / "records"):
            pass
        (tmp_path / ".ipreg-lock").unlink()
    assert precious.read_bytes() == b"keep" and not (tmp_path / "nowhere").exists()
    (tmp_path / ".ipreg-lock").write_bytes(b"someone's")
    with registry_lock(tmp_path / "records"):
        pass
    assert (tmp_path / ".ipreg-lock").read_bytes() == b"someone's"
    (tmp_path / ".ipreg-lock").unlink()
    with registry_lock(tmp_path / "records"):
        pass
    assert (tmp_path / ".ipreg-lock").is_file() and os.stat(tmp_path / ".ipreg-lock").st_mode & 0o777 == 0o644


def test_a_second_writer_is_told_once_then_gives_up_in_chinese(tmp_path: Path) -> None:
    """Another writer holds the lock (another thread: its own FileLock, as another process would): ``on_wait`` is told
    once, and after ``wait`` seconds the Chinese message; the lock is free again once the first writer is done."""
    import threading

    (tmp_path / "records").mkdir()
    told: list[int] = []
    held, done = threading.Event(), threading.Event()

    def first() -> None:
        with registry_lock(tmp_path / "records"):
            held.set()
            done.wait(10)

    writer = threading.Thread(target=first)
    writer.start()
    held.wait(10)
    try:
        with pytest.raises(JournalError, match="另一个 ipreg 命令写记录已超过 0 秒仍未完成"), \
                registry_lock(tmp_path / "records", lambda: told.append(1), wait=0.3):
            pass
    finally:
        done.set()
        writer.join()
    assert told == [1]
    with registry_lock(tmp_path / "records", lambda: told.append(2)):
        pass
    assert told == [1]
