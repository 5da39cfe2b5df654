"""Progress of long commands (issue 40): shown on a terminal's standard error (正在检查记录 123/1000), never when the
output is piped or in CI, where stdout and stderr stay byte for byte what they were; the decision is made once at the
command line's edge (``commands.progress``) and the workers only report to the object they are given, also from
worker processes as their files finish."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from benchmarks.synth import write_registry
from generator.checking.reporters import format_text
from generator.checking.workers import CHECKING, PARALLEL_FROM, check_files
from generator.commands import progress
from generator.files import SILENT, Advance, Progress, TerminalProgress
from generator.inputs import discover
from generator.policy import default_policy
from generator.registry import assemble
from tests.helpers import ROOT, ipreg, scratch_checkout

TODAY = "2026-11-25"
DAY = date(2026, 11, 25)
PTY = (sys.executable, str(ROOT / "tests" / "ptyrun.py"))


class Recorder(Progress):
    def __init__(self) -> None:
        self.stages: list[tuple[str, int]] = []
        self.steps: list[int] = []

    @contextmanager
    def stage(self, label: str, total: int) -> Iterator[Advance]:
        self.stages.append((label, total))
        yield self.steps.append


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("env", "shown"), [
    ({}, True), ({"TERM": "xterm-256color"}, True), ({"CI": "false"}, True), ({"NO_COLOR": "1"}, True),
    ({"CI": "true"}, False), ({"CI": "1"}, False), ({"TERM": "dumb"}, False),
])
def test_progress_is_shown_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], shown: bool) -> None:
    monkeypatch.setattr(sys, "stderr", Terminal())
    chosen = progress(env)
    assert isinstance(chosen, TerminalProgress) == shown and (chosen is SILENT) != shown
    if shown:
        assert isinstance(chosen, TerminalProgress) and chosen.colour == ("NO_COLOR" not in env)


def test_progress_is_never_shown_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress({}) is SILENT


def test_the_check_reports_every_file_once(tmp_path: Path) -> None:
    repo = write_registry(tmp_path, 12, seed=5)
    files, _ = discover([str(repo / "records")])
    recorder = Recorder()
    check_files(files, default_policy(), DAY, 1, progress=recorder)
    assert recorder.stages == [(CHECKING, 12)] and recorder.steps == [1] * 12


@pytest.mark.slow
def test_a_parallel_check_reports_progress_as_chunks_finish_and_keeps_the_order(tmp_path: Path) -> None:
    repo = write_registry(tmp_path, PARALLEL_FROM + 100, errors=0.1, seed=3)
    files, notes = discover([str(repo / "records")])
    policy, today = default_policy(), DAY
    recorder = Recorder()
    parallel = assemble(check_files(files, policy, today, 2, progress=recorder), policy, today, notes)
    plain = assemble(check_files(files, policy, today, 1), policy, today, notes)
    assert recorder.stages == [(CHECKING, PARALLEL_FROM + 100)] and sum(recorder.steps) == PARALLEL_FROM + 100
    assert len(recorder.steps) > 2  # more than one report: the line moves while the workers work
    assert format_text(parallel) == format_text(plain)


@pytest.mark.slow
def test_a_check_on_a_terminal_shows_its_progress_and_piped_or_ci_shows_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    count = PARALLEL_FROM + 50
    repo = write_registry(tmp_path, count, errors=0.05, seed=9)
    args = ("check", "--no-cache", "--today", TODAY, "--jobs", "2", "records")
    piped = ipreg(repo, *args, unset=("CI", "NO_COLOR"), env={"TERM": "xterm"})
    monkeypatch.chdir(repo)
    files, notes = discover(["records"])
    policy = default_policy()
    expected = format_text(assemble(check_files(files, policy, DAY, 1), policy, DAY, notes))
    assert piped.stdout == expected and piped.stderr == ""  # piped: exactly the report, nothing else
    shown = ipreg(repo, *args, prefix=PTY, unset=("CI", "NO_COLOR"), env={"TERM": "xterm"})
    assert shown.returncode == piped.returncode and shown.stdout == piped.stdout  # the report itself is unchanged
    assert "正在检查记录" in shown.stderr and f"{count}/{count}" in shown.stderr, shown.stderr[-400:]
    ci = ipreg(repo, *args, prefix=PTY, env={"TERM": "xterm", "CI": "true"})
    assert ci.stdout == piped.stdout and ci.stderr == ""  # CI: the log stays as it was
    dumb = ipreg(repo, *args, prefix=PTY, unset=("CI",), env={"TERM": "dumb"})
    assert dumb.stderr == ""


def _same_output_piped_and_in_ci(repo: Path, args: tuple[str, ...]) -> tuple[str, str]:
    """The command piped and on a terminal with CI set: the same bytes on stdout and stderr, no progress in either."""
    piped = ipreg(repo, *args, unset=("CI", "NO_COLOR"), env={"TERM": "xterm"})
    ci = ipreg(repo, *args, prefix=PTY, env={"TERM": "xterm", "CI": "true"})
    assert (ci.returncode, ci.stdout, ci.stderr.replace("\r\n", "\n")) == (piped.returncode, piped.stdout, piped.stderr)
    assert "正在" not in piped.stderr + piped.stdout
    return piped.stdout, piped.stderr


@pytest.mark.slow
def test_a_build_on_a_terminal_shows_the_check_and_the_pages(tmp_path: Path) -> None:
    repo = scratch_checkout(tmp_path / "repo")
    args = ("build", "--today", TODAY, "--site-dir", "site")
    shown = ipreg(repo, *args, prefix=PTY, unset=("CI", "NO_COLOR"), env={"TERM": "xterm"})
    assert shown.returncode == 0, shown.stderr[-800:]
    assert "正在检查记录" in shown.stderr and "正在生成站点页面" in shown.stderr
    shutil.rmtree(repo / "site")
    stdout, _ = _same_output_piped_and_in_ci(repo, args)
    assert stdout == shown.stdout


@pytest.mark.slow
def test_an_import_on_a_terminal_shows_the_rows_and_the_check(tmp_path: Path) -> None:
    from benchmarks.importlist import write_list

    repo = scratch_checkout(tmp_path / "repo")
    write_list(repo / "名单.xlsx", 300)
    args = ("import", "--today", TODAY, "--dry-run", "名单.xlsx")
    shown = ipreg(repo, *args, prefix=PTY, unset=("CI", "NO_COLOR"), env={"TERM": "xterm"})
    assert "正在核对名单各行" in shown.stderr and "300/300" in shown.stderr, shown.stderr[-800:]
    assert "正在检查导入后的记录" in shown.stderr
    stdout, _ = _same_output_piped_and_in_ci(repo, args)
    assert stdout == shown.stdout


def test_certificates_and_review_letters_count_each_enterprise() -> None:
    from generator.documents import notices
    from generator.documents.certificates import certificates
    from generator.documents.reviews import due_for_review, review_letters
    from generator.loader import load_file
    from generator.registry import build_registry
    from tests.helpers import SAMPLES

    policy = default_policy()
    registry = build_registry([load_file(p, f"records/{p.name}") for p in sorted((SAMPLES / "records").glob("*.yaml"))], policy, DAY)
    records = list(registry.records())
    decided = notices.decision(records, "西市监〔2024〕18号", policy)
    recorder = Recorder()
    certificates(decided, "西市监〔2024〕18号", policy, "https://example.invalid/", progress=recorder)
    numbered = [d for d in decided if d.event.certificate]
    assert recorder.stages == [("正在生成证书", len(numbered))] and sum(recorder.steps) == len(numbered) > 0
    due = due_for_review(records, DAY, 400)
    letters = Recorder()
    review_letters(due, policy, DAY, None, progress=letters)
    assert letters.stages == [("正在生成复核通知函", len(due))] and sum(letters.steps) == len(due) > 0
