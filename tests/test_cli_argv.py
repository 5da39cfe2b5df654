"""Any command line, however wrong, gets a Chinese answer and an exit code (0, 1 or 2), never an internal error:
hypothesis draws arguments for every subcommand from values that broke commands before (a huge number of days, a
文号 longer than a file name may be, an output that is an existing file, paths that do not exist)."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.sitekit import fixtures, scratch_repo

FIX = fixtures()
USCC = FIX["machine"].uscc
VALUES = ["", "0", "-1", "1", "90", "999999999", "-999999999", "1e9", "二", "2026-11-25", "2026-02-30", "9999-12-31", "0001-01-01",
          "records", f"records/{USCC}.yaml", "no-such.yaml", "policy.yml", "mkdocs.yml", ".", "..", "a" * 300, "西" * 100,
          "西市监〔2026〕" + "长" * 80 + "号", "西市监〔2026〕45号", "西市监[2026]45号", USCC, USCC.lower(), "91411721MA00000155",
          "valid", "有效", "C35", "HEAD", "no-such-ref", "notice", "certificates", "review-letters", "filed", "review_passed",
          "revoked", "x.xlsx", "x.csv", "out", "https://example.org/", "javascript:alert(1)"]
OPTIONS: dict[str, list[tuple[str, str | None]]] = {  # each option with a value that works (None: a flag)
    "check": [("--format", "json"), ("-v", None), ("--no-cache", None), ("--today", "2026-11-25"), ("--policy", "policy.yml"),
              ("--jobs", "1"), ("", "records")],
    "status": [("--format", "csv"), ("--status", "valid"), ("--industry", "C35"), ("-o", "new.csv"), ("--today", "2026-11-25")],
    "explain": [("--today", "2026-11-25"), ("", f"records/{USCC}.yaml")],
    "due": [("--within", "400"), ("--format", "json"), ("--status", "valid"), ("--industry", "C"), ("-o", "due.xlsx"),
            ("--today", "2026-11-25")],
    "diff": [("--format", "json"), ("--today", "2026-11-25"), ("", "HEAD")],
    "new": [("--uscc", "91411721MA45A0110T"), ("--name", "西平县新企业有限公司"), ("--records", "records")],
    "decide": [("--type", "review_passed"), ("--date", "2026-11-20"), ("--document", "西市监〔2026〕45号"), ("--records", "records"),
               ("--dry-run", None), ("--today", "2026-11-25"), ("", USCC)],
    "docs": [("--kind", "review-letters"), ("--document", "西市监〔2026〕45号"), ("--within", "400"), ("-o", "documents"),
             ("--site-url", "https://example.org/"), ("--today", "2026-11-25"), ("--draft", None), ("--force", None)],
    "report": [("--year", "2026"), ("-o", "report.xlsx"), ("--today", "2026-11-25")],
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = scratch_repo(tmp_path_factory.mktemp("argv") / "repo")
    (folder / "x.xlsx").write_bytes(b"existing")  # an output that exists
    (folder / "out").write_bytes(b"a file where a folder is asked for")
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(old)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A subcommand with some of its options, each with its working value or a drawn one, and a few stray values."""
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command]
    for option, good in OPTIONS[command]:
        if not draw(st.integers(0, 4)):
            continue  # left out (most often kept: a command line that parses, with one or two wrong values)
        if option:
            argv.append(option)
        if good is not None:
            argv.append(good if draw(st.integers(0, 5)) else draw(st.sampled_from(VALUES)))
    if not draw(st.integers(0, 4)):
        argv.append(draw(st.sampled_from(VALUES)))
    if command == "docs":
        argv.append("--no-pdf")  # LibreOffice's conversion is tested in test_documents; here it would only be slow
    return argv


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(command_lines())
def test_no_command_line_gives_an_internal_error(repo: Path, argv: list[str]) -> None:
    err, out = io.StringIO(), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # stdout with a buffer, as a terminal's
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
            code = exc.code if isinstance(exc.code, int) else 2
    assert code in (0, 1, 2), (argv, code, err.getvalue())
    assert "内部错误" not in err.getvalue() and "Traceback" not in err.getvalue(), (argv, err.getvalue())


@pytest.mark.parametrize("argv,words", [
    (["due", "--within", "999999999"], "36500"),
    (["docs", "--kind", "review-letters", "--within", "999999999", "--no-pdf"], "36500"),
    (["docs", "--kind", "review-letters", "-o", "out", "--no-pdf"], "不是目录"),
])
def test_the_inputs_that_broke_commands_get_chinese_answers(repo: Path, argv: list[str], words: str) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    assert code == 2 and words in err.getvalue(), err.getvalue()


def test_a_long_document_number_gives_a_file_name_that_fits() -> None:
    from generator.documents.notices import safe_name

    long = "西市监〔2026〕" + "长" * 80 + "号"
    assert len(safe_name(long).encode()) < 200 and safe_name(long) != safe_name(long + "x")
    assert safe_name("西市监〔2026〕40号") == "西市监〔2026〕40号"


def test_help_and_usage_errors_are_in_chinese(repo: Path) -> None:
    for argv, words in ((["--help"], "用法："), (["decide", "--help"], "显示本帮助并退出"), (["decide"], "缺少必须给出的参数"),
                        (["check", "--bogus"], "无法识别的参数"), (["status", "--format", "pdf"], "不是可选的值")):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit):
            main(argv)
        text = out.getvalue() + err.getvalue()
        assert words in text and "usage:" not in text and "error:" not in text and "show this help" not in text, (argv, text)
    import argparse

    assert argparse._("usage: ") == "usage: " and argparse.ArgumentParser().format_usage().startswith("usage: ")  # not patched


def test_decide_takes_the_decision_type_in_chinese() -> None:
    from generator.writing.decisions import decision_code

    assert [decision_code(w) for w in ("备案", "备案确定", "filed", " 复核通过 ", "取消资格", "撤销", "退出", "企业申请退出")] == [
        "filed", "filed", "filed", "review_passed", "revoked", "revoked", "withdrawn", "withdrawn"]
    assert decision_code("申报") == "申报"  # an application is not a decision: refused by plan
