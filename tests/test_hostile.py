"""Hostile and broken input: every bad file gets its finding, fast, with no traceback; nothing is
written where it must not be; an interrupted build leaves no half-written site; no network needed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.policy import default_policy
from generator.registry import build_registry
from generator.report import format_json, format_text
from tests.helpers import CASES, case_today, expectations, load_case, sample_repo
from tests.sitekit import build, fixtures, ipreg, scratch_repo

HOSTILE = sorted(p for p in (CASES / "hostile").iterdir() if p.suffix == ".yaml" or p.is_dir())
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("case", HOSTILE, ids=lambda p: p.stem)
def test_hostile_case(case: Path) -> None:
    files = sorted(case.glob("*.yaml")) if case.is_dir() else [case]
    expected = [e for f in files for e in expectations(f)]
    assert expected, f"{case} has no expectation"
    start = time.perf_counter()
    registry = build_registry(load_case(case), default_policy(), case_today(files[0]))
    format_text(registry)
    format_json(registry)
    elapsed = time.perf_counter() - start
    got = [(f.rule, f.line) for f in registry.findings]
    for e in expected:
        assert any(rule == e.rule and (e.line is None or line == e.line) for rule, line in got), (e, got[:10])
    assert registry.errors >= 1
    assert all(CJK.search(f.message) and f.line >= 1 for f in registry.findings)
    assert elapsed < 1.0, f"{case.name} took {elapsed:.2f} s"


def test_whole_corpus_through_the_cli_has_no_traceback() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "json", "--today", "2026-11-25",
                             str(CASES / "hostile")], cwd=sample_repo(), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1 and result.stderr == ""
    payload = json.loads(result.stdout)
    files = {f["file"] for f in payload["findings"] if f["severity"] == "error"}
    assert files == {str(p) for p in (CASES / "hostile").iterdir()}  # every entry has an error: .expect files and folders too


def test_symlink_in_records_is_refused_without_reading_it(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    secret = tmp_path / "outside.yaml"
    secret.write_text("uscc: SECRET-OUTSIDE-THE-REPO\n", encoding="utf-8")
    (repo / "records" / "91411721MA9XP0Q72X.yaml").symlink_to(secret)
    result = ipreg(repo, "check", "--today", "2026-11-25")
    assert result.returncode == 1 and "[file.name]" in result.stdout and "符号链接" in result.stdout
    assert "SECRET" not in result.stdout + result.stderr


def _tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_command_writes_into_records(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo")
    before = _tree_digest(repo / "records")
    for args in (["check"], ["check", "--format", "github"], ["status", "--format", "csv"], ["due"],
                 ["explain", f"records/{fixtures()['machine'].uscc}.yaml"], ["build"]):
        ipreg(repo, *args, "--today", "2026-11-25", env={"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})
    assert _tree_digest(repo / "records") == before


def test_interrupted_build_leaves_the_old_site(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    assert build(repo).returncode == 0
    before = _tree_digest(repo / "site")
    for _attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--today", "2026-11-27"], cwd=repo,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.name.startswith(".site.building-") for p in repo.iterdir()):
                time.sleep(0.2)  # let MkDocs write part of the new site
                proc.send_signal(signal.SIGINT)
                break
            time.sleep(0.01)
        proc.communicate(timeout=60)
        if proc.returncode != 0:
            break
        assert build(repo).returncode == 0  # the build won the race: restore and try again
        before = _tree_digest(repo / "site")
    assert proc.returncode == 130
    assert _tree_digest(repo / "site") == before
    assert [p.name for p in repo.iterdir() if p.name.startswith(".site")] == []


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _unshare_works() and not os.environ.get("CI"), reason="needs unshare -n (root) to block the network")
def test_build_works_with_the_network_blocked(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo")
    env = {k: v for k, v in os.environ.items() if k != "IPREG_TODAY"}
    result = subprocess.run(["unshare", "-n", sys.executable, "-m", "generator", "build", "--today", "2026-11-25"], cwd=repo,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    probe = subprocess.run(["unshare", "-n", sys.executable, "-c",
                            "import socket; s = socket.socket(); s.settimeout(2); print(s.connect_ex(('192.0.2.1', 443)))"],
                           capture_output=True, text=True, timeout=60, check=False)
    assert probe.stdout.strip() != "0"  # the namespace really had no network
