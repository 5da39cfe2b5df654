"""``ipreg decide`` as it runs in an office: two clerks at once, a run killed half way, files in odd shapes. Every run
that says 已录入 has its event, no certificate number is given twice, and after a kill the next command leaves every
record with the decision or none."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.writing.journal import JOURNAL, Write, commit, recover
from tests.helpers import CLI, git
from tests.sitekit import _record, fixtures, ipreg, make_uscc, scratch_repo

pytestmark = pytest.mark.slow

TODAY = "2026-11-25"
PENDING = fixtures()["pending"]


def _applicants(n: int) -> dict[str, object]:
    """n enterprises that applied on 2026-10-20 and meet every condition (a filing may be recorded for each)."""
    out = {}
    for i in range(n):
        uscc = make_uscc(f"MA0CC{i:03d}")
        out[uscc] = _record(uscc, f"西平县测试示例并发{i}号有限公司", events="events:\n  - date: 2026-10-20\n    type: applied\n",
                            extra=(("  - year: 2024\n    revenue", "  - year: 2025\n    revenue"),
                                   ("  - year: 2024\n    management", "  - year: 2025\n    management")))
    return out


def _repo(tmp_path: Path, n: int) -> tuple[Path, list[str]]:
    applicants = _applicants(n)
    repo = scratch_repo(tmp_path / "repo", applicants)  # type: ignore[arg-type]
    git(repo, "init", "-q")
    git(repo, "add", "records", "policy.yml")
    git(repo, "commit", "-qm", "applicants")
    assert ipreg(repo, "check", "--today", TODAY).returncode == 0
    return repo, sorted(applicants)


def _events(repo: Path, uscc: str) -> list[dict[str, str]]:
    import yaml

    data = yaml.safe_load((repo / "records" / f"{uscc}.yaml").read_text(encoding="utf-8"))
    return [{k: str(v) for k, v in e.items()} for e in data["events"]]


def test_twenty_concurrent_decides_lose_nothing_and_number_each_certificate_once(tmp_path: Path) -> None:
    repo, codes = _repo(tmp_path, 20)
    with ThreadPoolExecutor(max_workers=20) as pool:
        runs = list(pool.map(lambda c: ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20",
                                             "--document", "西市监〔2026〕50号", c), codes))
    said = [c for c, r in zip(codes, runs, strict=True) if "已录入" in r.stdout]
    assert said == codes, [r.stderr for r in runs if r.returncode][:3]
    certificates = []
    for code in codes:
        filed = [e for e in _events(repo, code) if e["type"] == "filed"]
        assert len(filed) == 1, (code, filed)
        certificates.append(filed[0]["certificate"])
    assert len(set(certificates)) == 20 and sorted(certificates) == [f"西知强企证〔2026〕{i:03d}号" for i in range(1, 21)]
    check = ipreg(repo, "check", "--today", TODAY)
    assert check.returncode == 0, check.stdout
    assert not (repo / JOURNAL).exists() and not list((repo / "records").glob(".*"))


def test_one_document_number_cannot_get_two_dates_in_two_runs(tmp_path: Path) -> None:
    repo, codes = _repo(tmp_path, 2)
    first = ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕51号", codes[0])
    assert first.returncode == 0, first.stderr
    second = ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-21", "--document", "西市监[2026]51号", codes[1])
    assert second.returncode == 1 and "已用于 2026-11-20" in second.stderr  # square brackets are the same number
    # written by hand, the check finds it too
    path = repo / "records" / f"{codes[1]}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - date: 2026-11-21\n    type: filed\n    document: 西市监（2026）51号\n"
                    "    certificate: 西知强企证〔2026〕009号\n", encoding="utf-8")
    check = ipreg(repo, "check", "--today", TODAY)
    assert check.returncode == 1 and "[registry.duplicate] 文号 西市监〔2026〕51号 用于不同日期的决定" in check.stdout, check.stdout


def test_a_decide_killed_at_thirty_random_moments_leaves_all_or_nothing(tmp_path: Path) -> None:
    """SIGKILL anywhere in a 10-record decide; the next command (ipreg check) finishes or undoes it and says so."""
    repo, codes = _repo(tmp_path, 10)
    originals = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    argv = [*CLI, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20",
            "--document", "西市监〔2026〕52号", *codes]
    env = {k: v for k, v in os.environ.items() if k != "IPREG_TODAY"}
    start = time.monotonic()
    full = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False)
    duration = time.monotonic() - start
    assert full.returncode == 0, full.stderr
    done = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    rng = random.Random(20261125)
    outcomes = {"all": 0, "none": 0}
    for _ in range(30):
        for c in codes:
            (repo / "records" / f"{c}.yaml").write_bytes(originals[c])
        process = subprocess.Popen(argv, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.1) * duration)  # most of a run is reading and checking: aim at its end too
        process.send_signal(signal.SIGKILL)
        process.wait()
        check = ipreg(repo, "check", "--today", TODAY)
        assert check.returncode == 0, check.stdout + check.stderr
        now = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
        assert now in (originals, done), [c for c in codes if now[c] not in (originals[c], done[c])]
        outcomes["all" if now == done else "none"] += 1
        assert not (repo / JOURNAL).exists() and not list((repo / "records").glob(".*"))
    assert outcomes["all"] and outcomes["none"], outcomes  # both sides of the commit point were hit


def _staged(repo: Path, codes: list[str], applied: int, manifest: bool) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """A journal as a run killed at a given point leaves it: staged files, maybe the manifest, maybe some renamed."""
    before = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    after = {
        c: before[c]
        + f"  - date: 2026-11-20\n    type: filed\n    document: 西市监〔2026〕53号\n"
        f"    certificate: 西知强企证〔2026〕{i + 1:03d}号\n".encode()
        for i, c in enumerate(codes)
    }
    from generator.writing import journal

    calls = {"n": 0}
    real = journal.os.replace

    def stop_after(src: object, dst: object) -> None:
        if str(dst).endswith(journal.MANIFEST):
            if not manifest:
                raise KeyboardInterrupt
        elif calls["n"] >= applied:
            raise KeyboardInterrupt
        else:
            calls["n"] += 1
        real(src, dst)  # type: ignore[arg-type]

    journal.os.replace = stop_after  # type: ignore[assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            commit(repo / "records", [Write(repo / "records" / f"{c}.yaml", before[c], after[c]) for c in codes])
    finally:
        journal.os.replace = real  # type: ignore[assignment]
    return before, after


@pytest.mark.parametrize("applied,manifest,expect", [(0, False, "none"), (0, True, "all"), (2, True, "all")])
def test_the_next_command_finishes_or_undoes_a_journal(tmp_path: Path, applied: int, manifest: bool, expect: str) -> None:
    repo, codes = _repo(tmp_path, 3)
    before, after = _staged(repo, codes, applied, manifest)
    assert (repo / JOURNAL).exists()
    result = ipreg(repo, "status", "--today", TODAY, "--format", "json")
    assert result.returncode == 0
    now = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    assert now == (after if expect == "all" else before)
    assert ("已补完全部 3 个记录" if expect == "all" else "没有改动任何记录") in result.stderr, result.stderr
    assert not (repo / JOURNAL).exists()
    statuses = {row["uscc"]: row["status"] for row in json.loads(result.stdout)["enterprises"]}
    assert set(statuses.values()) == ({"valid"} if expect == "all" else {"pending"})


# A run killed (os._exit: no cleanup, like SIGKILL) just before its k-th file-system step: mkdir, each file created,
# each fsync, each rename and each deletion of the journal. Every k from 0 until the run completes.
_KILLED_AT = """
import os, sys
from pathlib import Path
from generator.writing import journal

k, steps = int(sys.argv[1]), [0]


class Killing:
    def __getattr__(self, name):
        real = getattr(os, name)
        return counted(real) if name in ("mkdir", "fsync", "replace", "rename", "unlink", "rmdir") else real


def counted(real):
    def step(*args, **kwargs):
        if steps[0] == k:
            os._exit(137)
        steps[0] += 1
        return real(*args, **kwargs)
    return step


journal.os = Killing()
journal.create_exclusive = counted(journal.create_exclusive)  # each staged file and the manifest's temporary file
records = Path("records")
writes = [journal.Write(records / f"{c}.yaml", (records / f"{c}.yaml").read_bytes(), Path(f"../after/{c}.yaml").read_bytes())
          for c in sys.argv[2:]]
journal.commit(records, writes)
"""


def _state(repo: Path, codes: list[str], before: dict[str, bytes], after: dict[str, bytes]) -> tuple[str, str]:
    """What a kill left: the records ("before", "after" or "mixed") and the journal ("none", "empty", "staged",
    "decided", "done" or "done, empty")."""
    now = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    records = "before" if now == before else "after" if now == after else "mixed"
    assert all(now[c] in (before[c], after[c]) for c in codes)
    folder, done = repo / JOURNAL, repo / f"{JOURNAL}.done"
    if done.exists():
        assert not folder.exists()
        return records, "done" if list(done.iterdir()) else "done, empty"
    if not folder.exists():
        return records, "none"
    files = {p.name for p in folder.iterdir()}
    return records, "decided" if "manifest.json" in files else "staged" if files else "empty"


# what the next command must say for each state, given what the records were when the run was killed
_TRUTH: dict[tuple[str, str], str | None] = {
    ("before", "none"): None,  # killed before the journal was made: nothing to say
    ("before", "empty"): "空目录 .ipreg-journal/，其中没有待写入的内容，已删除：没有需要补完或撤销的写入",
    ("before", "staged"): "在写入记录之前被中断：没有改动任何记录",
    ("before", "decided"): "已补完全部 3 个记录的写入：records/",
    ("mixed", "decided"): "已补完全部 3 个记录的写入：records/",
    ("after", "decided"): "在中断前已写入全部 3 个记录：records/",
    ("after", "done"): "已写入全部 3 个记录：records/",
    ("after", "done, empty"): "已写入全部记录，只是在清除临时目录 .ipreg-journal.done/ 时被中断",
}


def test_a_kill_at_every_step_is_followed_by_a_true_message(tmp_path: Path) -> None:
    """Issue 35, item 3: each state a kill can leave is told apart, and what the next command says is what happened."""
    repo, codes = _repo(tmp_path, 3)
    before = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    after = {c: before[c] + f"  - date: 2026-11-20\n    type: filed\n    document: 西市监〔2026〕58号\n"
             f"    certificate: 西知强企证〔2026〕{i + 1:03d}号\n".encode() for i, c in enumerate(codes)}
    (tmp_path / "after").mkdir()
    for c in codes:
        (tmp_path / "after" / f"{c}.yaml").write_bytes(after[c])
    from tests.helpers import ROOT

    env = {**{k: v for k, v in os.environ.items() if k != "IPREG_TODAY"}, "PYTHONPATH": str(ROOT)}
    seen = set()
    for k in range(100):
        for c in codes:
            (repo / "records" / f"{c}.yaml").write_bytes(before[c])
        run = subprocess.run([sys.executable, "-c", _KILLED_AT, str(k), *codes], cwd=repo, env=env, capture_output=True,
                             text=True, timeout=60, check=False)
        state = _state(repo, codes, before, after)
        if run.returncode == 0:
            assert state == ("after", "none"), state
            break
        assert run.returncode == 137, run.stderr
        assert state in _TRUTH, (k, state)
        seen.add(state)
        check = ipreg(repo, "check", "--today", TODAY)
        assert check.returncode == 0 and "Traceback" not in check.stderr, (k, check.stdout + check.stderr)
        said = [line for line in check.stderr.splitlines() if line.startswith("ipreg")]
        truth = _TRUTH[state]
        assert said == [] if truth is None else len(said) == 1 and truth in said[0], (k, state, check.stderr)
        if state[0] != "before":
            assert "没有改动任何记录" not in said[0]
        now = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
        assert now == (before if state[1] in ("none", "empty", "staged") else after), (k, state)
        assert _state(repo, codes, before, after)[1] == "none" and not list((repo / "records").glob(".*"))
    else:
        raise AssertionError("the run never completed")
    assert seen == set(_TRUTH), seen  # every state was reached (the loop ran past the last step)


def test_an_empty_journal_after_the_records_were_written_says_nothing_false(tmp_path: Path) -> None:
    """What main said here ("没有改动任何记录…需要时请重新录入") was false: both records carry the decision."""
    repo, codes = _repo(tmp_path, 2)
    result = ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕59号",
                   *codes)
    assert result.returncode == 0, result.stderr
    written = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    (repo / JOURNAL).mkdir()  # as a kill between deleting the manifest and the folder left it (earlier versions)
    check = ipreg(repo, "check", "--today", TODAY)
    assert check.returncode == 0, check.stderr
    assert "没有改动任何记录" not in check.stderr and "重新录入" not in check.stderr
    assert "没有需要补完或撤销的写入" in check.stderr and "git diff" in check.stderr
    assert not (repo / JOURNAL).exists() and {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes} == written


def test_recover_without_a_journal_does_nothing(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    assert recover(tmp_path / "records") is None and not (tmp_path / ".ipreg-lock").exists()


# --- item 11: records in odd shapes ---------------------------------------------------------------------------------


def test_a_file_without_a_final_newline_keeps_every_old_byte_and_its_style(tmp_path: Path) -> None:
    repo, [code] = _repo(tmp_path, 1)
    path = repo / "records" / f"{code}.yaml"
    old = path.read_bytes().rstrip(b"\n")
    path.write_bytes(old)
    result = ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕54号", code)
    assert result.returncode == 0, result.stderr
    new = path.read_bytes()
    assert (
        new.startswith(old + b"\n") and not new.endswith(b"\n") and new.count(b"\n") == old.count(b"\n") + 4
    )  # date, type, document, certificate


def test_line_ends_follow_the_events_not_a_stray_crlf(tmp_path: Path) -> None:
    repo, [code] = _repo(tmp_path, 1)
    path = repo / "records" / f"{code}.yaml"
    text = path.read_bytes().replace(b"category: advantage\n", b"category: advantage  # \xe7\xb1\xbb\xe5\x88\xab\r\n", 1)
    path.write_bytes(text)
    assert (
        ipreg(
            repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕55号", code
        ).returncode
        == 0
    )
    new = path.read_bytes()
    assert new.startswith(text) and b"\r" not in new[len(text) :]
    crlf = text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    subprocess.run(["git", "checkout", "--", "."], cwd=repo, check=True, capture_output=True)
    path.write_bytes(crlf)
    assert (
        ipreg(
            repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕55号", code
        ).returncode
        == 0
    )
    added = path.read_bytes()[len(crlf) :]
    assert added and added.count(b"\r\n") == added.count(b"\n")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_read_only_record_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    repo, codes = _repo(tmp_path, 2)
    before = {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes}
    (repo / "records" / f"{codes[1]}.yaml").chmod(0o444)
    result = ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕56号", *codes)
    assert result.returncode == 1 and "只读" in result.stderr and "没有写入任何记录" in result.stderr
    assert {c: (repo / "records" / f"{c}.yaml").read_bytes() for c in codes} == before and not (repo / JOURNAL).exists()


def test_a_symlinked_record_is_named_as_a_link_not_as_missing(tmp_path: Path) -> None:
    repo, [code] = _repo(tmp_path, 1)
    path = repo / "records" / f"{code}.yaml"
    real = tmp_path / "elsewhere.yaml"
    real.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(real)
    result = ipreg(repo, "decide", "--today", TODAY, "--type", "filed", "--date", "2026-11-20", "--document", "西市监〔2026〕57号", code)
    assert result.returncode == 1 and "符号链接" in result.stderr and "找不到" not in result.stderr, result.stderr
    assert real.read_bytes() == path.read_bytes()


def _children(parent: int) -> set[int]:
    """The processes whose parent is ``parent`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (an ended one waiting to be reaped, a zombie, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_workers_end_when_the_writer_that_started_them_is_killed(tmp_path: Path) -> None:
    """A writer (or ipreg check) killed while its worker processes check the registry leaves none of them behind: a
    forked worker would otherwise wait for ever on a pipe it holds itself."""
    script = tmp_path / "run.py"
    script.write_text(
        "import sys, time\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "import generator.checking.workers as w\n"
        "from generator.policy import default_policy\n"
        "w.PARALLEL_FROM = 2\n"
        "def busy(items):\n"
        "    time.sleep(600)\n"  # workers busy until the test kills their parent
        "w._check_chunk = busy\n"
        "files = [(f'records/{i}.yaml', b'x: 1\\n') for i in range(40)]\n"
        "print('started', flush=True)\n"
        "w.compute(files, default_policy(), date(2026, 11, 25), 2, w.Keep())\n",
        encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 30
    while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) >= 2, workers
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    deadline = time.monotonic() + 10
    while (alive := [pid for pid in workers if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in alive:
        os.kill(pid, signal.SIGKILL)  # never leave them running, even when the test fails
    assert alive == [], alive
