"""``ipreg build --site-dir`` never deletes what ipreg did not build, and a killed build leaves a whole site."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from generator.site import sitedir
from tests.helpers import CLI
from tests.sitekit import build, fixtures, scratch_repo

pytestmark = pytest.mark.slow


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = scratch_repo(tmp_path_factory.mktemp("sitedir") / "repo", {"machine": fixtures()["machine"]})
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / "notes").mkdir()
    (root / "notes" / "keep.txt").write_text("员工笔记\n", encoding="utf-8")
    subprocess.run(["git", "add", "policy.yml", "records", "notes"], cwd=root, check=True)
    return root


@pytest.mark.parametrize("target", ["records", ".", ".git", "notes", "notes/sub", "docs", "generator", "policy.yml", "..", "mine"])
def test_forbidden_targets_are_refused_and_untouched(repo: Path, target: str) -> None:
    mine = repo / "mine"
    mine.mkdir(exist_ok=True)
    (mine / "工作.docx").write_bytes(b"not a site")
    watched = [repo / "records", repo / ".git", repo / "notes", mine]
    before = {p: _tree(p) for p in watched}
    top = sorted(p.name for p in repo.iterdir())
    result = build(repo, target)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "ipreg:" in result.stderr and "已拒绝" in result.stderr and "Traceback" not in result.stderr
    assert {p: _tree(p) for p in watched} == before
    assert sorted(p.name for p in repo.iterdir()) == top


def test_own_site_is_rebuilt_and_empty_folder_is_accepted(repo: Path) -> None:
    (repo / "empty").mkdir()
    for target in ("empty", "empty", "out/public"):
        result = build(repo, target)
        assert result.returncode == 0, result.stderr
        assert sitedir.is_site(repo / target) and (repo / target / "index.html").is_file()
    assert not [p for p in repo.iterdir() if ".building-" in p.name or ".old-" in p.name]


def test_marker_must_be_exact(repo: Path) -> None:
    fake = repo / "fake"
    fake.mkdir(exist_ok=True)
    (fake / sitedir.MARKER).write_text("something else\n", encoding="utf-8")
    (fake / "data.txt").write_text("x", encoding="utf-8")
    assert build(repo, "fake").returncode == 2
    assert (fake / "data.txt").read_text(encoding="utf-8") == "x"


def test_symlink_target_is_refused(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = repo / "linked-site"
    link.symlink_to(tmp_path / "real")
    try:
        assert build(repo, "linked-site").returncode == 2
    finally:
        link.unlink()


def _kill_during_build(repo: Path, sig: int, delay: float) -> int:
    proc = subprocess.Popen([*CLI, "build", "--today", "2026-11-27"], cwd=repo,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(sig)
    return proc.wait(timeout=120)


@pytest.mark.parametrize(("sig", "delay"), [(signal.SIGKILL, d) for d in (0.3, 0.9, 1.5, 2.1, 2.7, 3.3)]
                         + [(signal.SIGTERM, d) for d in (0.9, 2.1)])
def test_signal_at_any_moment_leaves_a_whole_site(repo: Path, sig: int, delay: float) -> None:
    site = repo / "site"
    if not sitedir.is_site(site):
        assert build(repo).returncode == 0
    code = _kill_during_build(repo, sig, delay)
    assert sitedir.is_site(site) and (site / "index.html").is_file() and (site / "sitemap.xml").is_file()
    assert (site / "data" / "enterprises.json").is_file()
    if sig == signal.SIGTERM and code != 0:
        assert code == 143
        assert not [p for p in repo.iterdir() if ".building-" in p.name]  # SIGTERM cleans up at once
    assert build(repo).returncode == 0  # the next build clears what a killed one left
    assert not [p for p in repo.iterdir() if ".building-" in p.name or ".old-" in p.name]


def test_stale_folders_of_live_processes_and_foreign_folders_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "site"
    live = tmp_path / f".site.building-{os.getppid()}"  # our parent is alive
    live.mkdir()
    (live / sitedir.MARKER).write_text(sitedir.MARKER_TEXT, encoding="utf-8")
    foreign = tmp_path / ".site.old-999999999"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not ours", encoding="utf-8")
    dead = tmp_path / ".site.building-999999998"
    dead.mkdir()
    (dead / sitedir.MARKER).write_text(sitedir.MARKER_TEXT, encoding="utf-8")
    assert sitedir.remove_stale(target) == [dead]
    assert live.is_dir() and foreign.is_dir() and not dead.exists()


def test_exchange_swaps_in_one_step(tmp_path: Path) -> None:
    old, new = tmp_path / "site", tmp_path / "new"
    for folder, text in ((old, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    sitedir.swap(new, old)
    assert (old / "index.html").read_text(encoding="utf-8") == "new" and not new.exists()


def test_interrupted_fallback_restores_the_old_site(tmp_path: Path) -> None:
    """Without the Linux exchange a kill between the two renames leaves only .site.old-PID: the next build puts it back."""
    old = tmp_path / ".site.old-999999997"
    old.mkdir()
    (old / sitedir.MARKER).write_text(sitedir.MARKER_TEXT, encoding="utf-8")
    sitedir.remove_stale(tmp_path / "site")
    assert sitedir.is_site(tmp_path / "site") and not old.exists()
