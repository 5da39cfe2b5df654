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

from generator.checking.reporters import format_json, format_text
from generator.policy import default_policy
from generator.registry import build_registry
from tests.helpers import CASES, CLI, case_today, expectations, load_case
from tests.sitekit import build, fixtures, ipreg, scratch_repo

HOSTILE = sorted(p for p in (CASES / "hostile").iterdir() if p.suffix == ".yaml" or p.is_dir())
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("case", HOSTILE, ids=lambda p: p.stem)
def test_hostile_case(case: Path) -> None:
    files = sorted(case.glob("*.yaml")) if case.is_dir() else [case]
    expected = [e for f in files for e in expectations(f)]
    assert expected, f"{case} has no expectation"
    registry = build_registry(load_case(case), default_policy(), case_today(files[0]))  # its time: benchmarks/hostile.py
    format_text(registry)
    format_json(registry)
    got = [(f.rule, f.line) for f in registry.findings]
    for e in expected:
        assert any(rule == e.rule and (e.line is None or line == e.line) for rule, line in got), (e, got[:10])
    assert registry.errors >= 1
    assert all(CJK.search(f.message) and f.line >= 1 for f in registry.findings)


@pytest.mark.slow
def test_whole_corpus_through_the_cli_has_no_traceback(samples: Path) -> None:
    result = ipreg(samples, "check", "--format", "json", "--today", "2026-11-25", str(CASES / "hostile"))
    assert result.returncode == 1 and result.stderr == ""
    payload = json.loads(result.stdout)
    files = {f["file"] for f in payload["findings"] if f["severity"] == "error"}
    assert files == {str(p) for p in (CASES / "hostile").iterdir()}  # every entry has an error: .expect files and folders too


@pytest.mark.slow
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


@pytest.mark.slow
def test_no_command_writes_into_records(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo")
    before = _tree_digest(repo / "records")
    for args in (["check"], ["check", "--format", "github"], ["status", "--format", "csv"], ["due"],
                 ["explain", f"records/{fixtures()['machine'].uscc}.yaml"], ["build"]):
        ipreg(repo, *args, "--today", "2026-11-25", env={"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})
    assert _tree_digest(repo / "records") == before


@pytest.mark.slow
def test_interrupted_build_leaves_the_old_site(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    assert build(repo).returncode == 0
    before = _tree_digest(repo / "site")
    for _attempt in range(3):
        proc = subprocess.Popen([*CLI, "build", "--today", "2026-11-27"], cwd=repo,
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


_NO_NETWORK = """
import socket
def _refuse(*args, **kwargs):
    raise OSError(101, "network is blocked by the test")
socket.socket.connect = _refuse
socket.socket.connect_ex = lambda self, *a: 101
socket.getaddrinfo = _refuse
socket.create_connection = _refuse
"""


def _offline(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    """A way to run a command with no network that works for whoever runs the tests: a network namespace where
    ``unshare -n`` (root) or ``unshare -rn`` (unprivileged user namespaces) works, else Python's sockets refuse every
    connection (a sitecustomize module), which is all the build could use."""
    env = {k: v for k, v in os.environ.items() if k != "IPREG_TODAY"}
    if shutil.which("unshare"):
        for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
            if subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode == 0:
                return prefix, env
    folder = tmp_path / "offline"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(_NO_NETWORK, encoding="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), env.get("PYTHONPATH", "")) if p)
    return [], env


@pytest.mark.slow
def test_build_works_with_the_network_blocked(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo")
    prefix, env = _offline(tmp_path)
    result = ipreg(repo, "build", "--today", "2026-11-25", env=env, prefix=prefix)
    assert result.returncode == 0, result.stderr
    import socket

    with socket.socket() as listener:  # a server that is there: only a blocked network keeps the probe from it
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        probe = subprocess.run([*prefix, sys.executable, "-c",
                                f"import socket; s = socket.socket(); s.settimeout(2); print(s.connect_ex(('127.0.0.1', {port})))"],
                               env=env, capture_output=True, text=True, timeout=60, check=False)
    assert probe.stdout.strip() not in ("", "0"), probe  # the network really was blocked


_FIELDS = {  # where record text goes: (text in the base record, how a value replaces it)
    "website": ("website: https://example.com/", "website: {}"),
    "name": ("name: 西平县测试示例机械有限公司", "name: {}"),
    "address": ("category: advantage", "address: {}\ncategory: advantage"),
    "main_products": ("  - 玉米脱粒机", "  - {}"),
    "patent_number": ('number: "ZL202010566088.9"', "number: {}"),
    "basis": ("basis: 县内同行业发明专利授权量和有效专利量居前（测试用认定）", "basis: {}"),
}
_WORST = {  # the shapes that made a regular expression backtrack: a long run its repeats share, then a character that fails
    "url": lambda n: "http://" + "a" * n + " ",
    "email": lambda n: "a" * n + "@",
    "email-domain": lambda n: "a@" + "a." * (n // 2) + "1",
    "person": lambda n: "联系人" + " " * n + "x",
    "trailing-space": lambda n: "a" + " " * n + " ",
    "digits": lambda n: "1" * n,
    "phone": lambda n: "0371-" * (n // 5),
}


_CHILD = """
import json, sys, time
from datetime import date
from generator.loader import MAX_BYTES, load_bytes
from generator.policy import default_policy
from generator.registry import build_registry
out = {}
for name, text in json.loads(sys.stdin.read()).items():
    start = time.perf_counter()
    registry = build_registry([load_bytes(text.encode(), "records/91411721MA00000154.yaml")], default_policy(), date(2026, 11, 25))
    out[name] = [time.perf_counter() - start, registry.errors]
print(json.dumps(out))
"""


@pytest.mark.slow
@pytest.mark.parametrize("field", sorted(_FIELDS))
def test_a_1_mb_field_checks_in_linear_time(field: str) -> None:
    """No check is superlinear in a field's length: the worst string we know for each expression, as long as a record
    at the size limit allows (1 MB), is checked (schema, identifiers, personal data) in under 2 s. In a child process
    with a time limit, so that a quadratic expression fails the test instead of hanging it."""
    from generator.loader import MAX_BYTES
    from tests.sitekit import BASE

    old, new = _FIELDS[field]
    texts = {}
    for shape, make in _WORST.items():
        room = MAX_BYTES - len(BASE.replace(old, new.format(json.dumps(make(10), ensure_ascii=False)), 1).encode()) - 16
        texts[shape] = BASE.replace(old, new.format(json.dumps(make(room), ensure_ascii=False)), 1)
        assert MAX_BYTES - 64 < len(texts[shape].encode()) <= MAX_BYTES
    result = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(texts), capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    timings = json.loads(result.stdout)
    assert all(errors >= 1 for _, errors in timings.values()), timings  # every one is far over its field's maxLength
    slow = {shape: round(seconds, 2) for shape, (seconds, _) in timings.items() if seconds >= 2.0}
    assert slow == {}, (field, slow)
