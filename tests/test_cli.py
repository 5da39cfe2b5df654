"""The command-line contract of ARCHITECTURE.md section 5: formats, JSON shapes, exit codes, today."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import CASES, SAMPLES, ipreg

TODAY = "2026-11-25"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return ipreg(cwd, *args, env=env, unset=("GITHUB_STEP_SUMMARY",), timeout=60)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A scratch registry: policy.yml and an empty records/ folder."""
    shutil.copy(SAMPLES / "policy.yml", tmp_path / "policy.yml")
    (tmp_path / "records").mkdir()
    return tmp_path


def add_case(repo: Path, case: str, name: str | None = None) -> Path:
    source = CASES / case
    from tests.helpers import display_name

    target = repo / (name or display_name(source))
    target.write_bytes(source.read_bytes())
    return target


@pytest.mark.slow
def test_sample_records_pass(samples: Path) -> None:
    result = run("check", "--today", TODAY, cwd=samples)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个错误" in result.stdout


@pytest.mark.slow
def test_json_shape(repo: Path) -> None:
    add_case(repo, "invalid/art5.revenue/below-threshold.yaml")
    result = run("check", "--format", "json", "--today", TODAY, cwd=repo)
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert set(payload) == {"today", "records", "errors", "warnings", "findings"}
    assert payload["today"] == TODAY and payload["records"] == 1 and payload["errors"] == 1
    finding = next(f for f in payload["findings"] if f["rule"] == "art5.revenue")
    assert set(finding) == {"file", "line", "column", "severity", "rule", "article", "message", "params"}  # v2: params
    assert finding["file"] == "records/91411721MA00000154.yaml"
    assert finding["severity"] == "error" and finding["article"] == "第五条第五项"
    assert finding["message"] == "2024年营业收入 2,999,999 元，低于 3,000,000 元"
    assert isinstance(finding["line"], int) and isinstance(finding["column"], int)


@pytest.mark.slow
def test_text_format_place_first(repo: Path) -> None:
    add_case(repo, "invalid/art5.revenue/below-threshold.yaml")
    result = run("check", "--today", TODAY, cwd=repo)
    line = next(x for x in result.stdout.splitlines() if "[art5.revenue]" in x)
    assert re.fullmatch(
        r"records/91411721MA00000154\.yaml:\d+:\d+: error \[art5\.revenue\] 2024年营业收入 2,999,999 元，低于 3,000,000 元（第五条第五项）",
        line,
    )


@pytest.mark.slow
def test_github_format_and_summary(repo: Path, tmp_path: Path) -> None:
    target = add_case(repo, "invalid/patent.number/check-digit.yaml")
    summary = tmp_path / "summary.md"
    result = run("check", "--format", "github", "--today", TODAY, cwd=repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    [line] = [x for x in result.stdout.splitlines() if "patent.number" in x]
    expected_line = next(
        i
        for i, text in enumerate(target.read_text(encoding="utf-8").splitlines(), 1)
        if "ZL202010566088.8" in text and not text.startswith("#")
    )
    assert line.startswith(f"::error file=records/91411721MA00000154.yaml,line={expected_line},title=[patent.number]::")
    assert "校验位应为 9" in line
    text = summary.read_text(encoding="utf-8")
    assert "| 文件 | 行 | 级别 | 规则 | 说明 |" in text and "`patent.number`" in text


def test_github_escapes_newlines_and_percent() -> None:
    from datetime import date

    from generator.checking.reporters import format_github
    from generator.findings import Finding
    from generator.policy import default_policy
    from generator.registry import Registry

    finding = Finding("records/a,b.yaml", 3, 1, "warning", "schema", "100% 错误\n第二行")
    out = format_github(Registry(date(2026, 1, 1), default_policy(), (), (finding,)))
    assert out == "::warning file=records/a%2Cb.yaml,line=3,title=[schema]::100%25 错误\\n第二行\n"  # a finding is one line


@pytest.mark.slow
def test_today_resolution_order(repo: Path) -> None:
    add_case(repo, "valid/advantage.yaml")
    env_only = run("check", "--format", "json", cwd=repo, env={"IPREG_TODAY": "2026-01-02"})
    assert json.loads(env_only.stdout)["today"] == "2026-01-02"
    both = run("check", "--format", "json", "--today", "2026-03-04", cwd=repo, env={"IPREG_TODAY": "2026-01-02"})
    assert json.loads(both.stdout)["today"] == "2026-03-04"


@pytest.mark.slow
@pytest.mark.parametrize("value", ["9999-12-31", "1948-12-31", "2101-01-01"])
def test_a_day_outside_the_records_range_is_refused_in_words(repo: Path, value: str) -> None:
    """--today past 2100 once ended in an internal error (a date overflow in ``ipreg due``, found by hypothesis)."""
    for args, env in ((["due", "--today", value], {}), (["due"], {"IPREG_TODAY": value})):
        result = run(*args, cwd=repo, env=env)
        assert result.returncode == 2, result.stderr
        assert "超出登记簿的日期范围（1949-01-01 至 2100-12-31" in result.stderr and "内部错误" not in result.stderr


@pytest.mark.slow
def test_the_last_day_of_the_range_works_in_every_command(repo: Path) -> None:
    add_case(repo, "valid/advantage.yaml")
    for args in (["check"], ["status"], ["due"], ["report", "--year", "2100"]):
        result = run(*args, "--today", "2100-12-31", cwd=repo)
        assert result.returncode == 0 and "内部错误" not in result.stderr, (args, result.stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,env",
    [
        (["check", "--today", "2026-02-30"], {}),
        (["check", "--today", "yesterday"], {}),
        (["check"], {"IPREG_TODAY": "2026/01/01"}),
        (["check", "no-such-dir"], {}),
        (["check", "--format", "xml"], {}),
        (["check", "--policy", "missing.yml"], {}),
        (["frobnicate"], {}),
        (["due", "--within", "-1"], {}),
    ],
)
def test_usage_errors_exit_2(repo: Path, args: list[str], env: dict[str, str]) -> None:
    result = run(*args, cwd=repo, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip()


@pytest.mark.slow
def test_invalid_policy_is_a_configuration_error(repo: Path) -> None:
    (repo / "policy.yml").write_text("validity_years: three\n", encoding="utf-8")
    result = run("check", "--today", TODAY, cwd=repo)
    assert result.returncode == 2 and "policy.yml:1:" in result.stderr and "整数" in result.stderr


@pytest.mark.slow
def test_policy_values_are_used(repo: Path) -> None:
    add_case(repo, "valid/advantage.yaml")
    text = (repo / "policy.yml").read_text(encoding="utf-8").replace("revenue_min: 3000000", "revenue_min: 6000000")
    (repo / "policy.yml").write_text(text, encoding="utf-8")
    result = run("check", "--today", TODAY, cwd=repo)
    assert result.returncode == 1 and "低于 6,000,000 元" in result.stdout


@pytest.mark.slow
def test_all_files_reported_in_one_run(repo: Path) -> None:
    add_case(repo, "invalid/art5.revenue/below-threshold.yaml", "records/a.yaml")
    add_case(repo, "invalid/yaml.syntax/tab-indent.yaml", "records/b.yaml")
    (repo / "records" / "notes.txt").write_text("x", encoding="utf-8")
    result = run("check", "--format", "json", "--today", TODAY, cwd=repo)
    payload = json.loads(result.stdout)
    files = {f["file"] for f in payload["findings"]}
    assert {"records/a.yaml", "records/b.yaml", "records/notes.txt"} <= files
    assert payload["records"] == 2


@pytest.mark.slow
def test_status_json_shape(samples: Path) -> None:
    result = run("status", "--format", "json", "--today", TODAY, cwd=samples)
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert payload["today"] == TODAY
    rows = payload["enterprises"]
    assert [r["uscc"] for r in rows] == sorted(r["uscc"] for r in rows)
    for row in rows:
        assert set(row) == {
            "uscc",
            "name",
            "category",
            "status",
            "listed",
            "term_start",
            "term_end",
            "grace_until",
            "ban_until",
            "review_deadline",
            "next_deadline",
            "next_deadline_kind",
            "cause",
            "file",
        }
    pending = next(r for r in rows if r["status"] == "pending")
    assert pending["term_start"] is None and pending["listed"] is False
    statuses = {r["status"] for r in rows}
    assert statuses == {"pending", "valid", "review_due", "under_review", "conditional", "lapsed", "revoked", "withdrawn"}
    under = next(r for r in rows if r["status"] == "under_review")
    assert under["next_deadline"] == under["review_deadline"] and under["next_deadline_kind"] == "review_deadline"
    withdrawn = next(r for r in rows if r["status"] == "withdrawn")
    assert withdrawn["cause"] == "withdrawn" and withdrawn["listed"] is False and withdrawn["ban_until"] is None


@pytest.mark.slow
def test_status_csv_and_table(samples: Path) -> None:
    csv_out = run("status", "--format", "csv", "--today", TODAY, cwd=samples).stdout.splitlines()
    assert csv_out[0] == (
        "\ufeff统一社会信用代码,企业名称,类别,状态,列入公开名单,有效期起,有效期至,复核期限,保留资格至,禁止申请至,"
        "下一期限,下一期限事项,原因,行业代码,行业,文件"
    )
    table = run("status", "--today", TODAY, cwd=samples).stdout
    assert "待复核" in table and "保留资格" in table


@pytest.mark.slow
def test_due_worklist_sorted(samples: Path) -> None:
    result = run("due", "--within", "120", "--format", "json", "--today", TODAY, cwd=samples)
    items = json.loads(result.stdout)["items"]
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    kinds = {i["kind"] for i in items}
    assert {"lapsed", "term_end", "grace_until", "review_deadline"} <= kinds  # 复核中 listed by its review deadline, however far
    text = run("due", "--today", TODAY, cwd=samples).stdout
    assert "逾期未复核" in text


@pytest.mark.slow
def test_explain_lists_every_rule(samples: Path) -> None:
    from generator.rules.eligibility import ELIGIBILITY

    result = run("explain", "records/91411721MA45A010X6.yaml", "--today", TODAY, cwd=samples)
    assert result.returncode == 0
    for rule in ELIGIBILITY:
        assert f"[{rule.id}]" in result.stdout
    assert "第五条第五项" in result.stdout and "有效" in result.stdout


@pytest.mark.slow
def test_explain_broken_file(repo: Path) -> None:
    target = add_case(repo, "invalid/yaml.syntax/tab-indent.yaml")
    result = run("explain", str(target.relative_to(repo)), "--today", TODAY, cwd=repo)
    assert result.returncode == 1 and "格式错误" in result.stdout and "Traceback" not in result.stderr


def test_internal_error_has_no_traceback(samples: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A crash of the command itself exits 3, never 1 (records with errors): CI tells the two apart."""
    from generator.commands import check

    def boom(*_: object) -> int:
        raise RuntimeError("boom\non two lines")

    monkeypatch.setattr(check, "run", boom)
    monkeypatch.chdir(samples)
    assert main(["check", "--today", TODAY]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "内部错误（RuntimeError: boom on two lines）" in err and "--debug" in err, err
    assert "Traceback" not in err
    assert main(["check", "--today", TODAY, "--debug"]) == 3  # --debug: the traceback, then the same line
    err = capsys.readouterr().err
    assert "Traceback" in err and "in boom" in err and err.splitlines()[-1].startswith("ipreg: 内部错误（RuntimeError"), err


@pytest.mark.slow
def test_internal_error_exits_3_from_the_program(samples: Path) -> None:
    """The same through a process of its own (the exit code CI sees): a command's run replaced by one that crashes."""
    crash = ("import sys; from generator import cli; from generator.commands import status; "
             "status.run = lambda args, env: {}['missing']; sys.exit(cli.main())")
    env = {k: v for k, v in os.environ.items() if k != "IPREG_TODAY"}
    for debug in ([], ["--debug"]):
        result = subprocess.run([sys.executable, "-c", crash, "status", "--today", TODAY, *debug], cwd=samples, env=env,
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 3, result.stderr
        assert result.stderr.splitlines()[-1].startswith("ipreg: 内部错误（KeyError: 'missing'）"), result.stderr
        assert ("Traceback" in result.stderr) == bool(debug), result.stderr


def test_expected_errors_keep_their_exit_codes(samples: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI maps the one base class (generator.errors): each error's own code and its Chinese line, no traceback."""
    from generator.commands import status
    from generator.errors import ConfigurationError, IpregError
    from generator.policy import PolicyError
    from generator.writing.decisions import DecideError
    from generator.writing.journal import JournalError, JournalRefused

    monkeypatch.chdir(samples)
    for error, code in ((IpregError("出错了"), 1), (ConfigurationError("配置有误"), 2), (PolicyError("政策参数文件有误"), 2),
                        (JournalError("没有写入任何记录"), 1), (JournalRefused("不是本机写的"), 2), (DecideError("不能录入"), 1)):

        def fail(*_: object, error: Exception = error) -> int:
            raise error

        monkeypatch.setattr(status, "run", fail)
        assert main(["status", "--today", TODAY]) == code, error
        assert capsys.readouterr().err == f"ipreg: {error}\n"


YAML_CLASSES = sorted(p for p in (CASES / "invalid").glob("yaml.*/*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("case", YAML_CLASSES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bad_input_classes_through_the_cli(repo: Path, case: Path) -> None:
    """Each bad-input class: exit 1, its rule id at its line, a Chinese message, no traceback."""
    from tests.helpers import expectations

    target = add_case(repo, str(case.relative_to(CASES)))
    result = run("check", "--format", "json", "--today", TODAY, str(target.relative_to(repo)), cwd=repo)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr == ""
    payload = json.loads(result.stdout)
    for e in expectations(case):
        assert any(f["rule"] == e.rule and (e.line is None or f["line"] == e.line) for f in payload["findings"]), (e, payload)
    assert all(re.search(r"[\u4e00-\u9fff]", f["message"]) for f in payload["findings"])


@pytest.mark.slow
def test_check_path_imports_no_site_machinery(samples: Path) -> None:
    """Pre-commit speed: ``ipreg check`` loads neither MkDocs, Jinja, icalendar nor (for valid records) jsonschema."""
    probe = (
        "import sys\nfrom generator.cli import main\ncode = main(['check', '--no-cache', '--today', '2026-11-25'])\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'material', 'jinja2', 'icalendar', 'jsonschema'}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "IPREG_TODAY"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=samples, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("cache", [True, False])
def test_checking_one_file_runs_the_registry_wide_rules(repo: Path, tmp_path: Path, cache: bool) -> None:
    """``ipreg check records/X.yaml`` (the pre-commit hook) finds the duplicate certificate CI finds, and reports only X."""
    folder = CASES / "invalid" / "registry.duplicate" / "same-certificate"
    for source in sorted(folder.glob("*.yaml")):
        (repo / "records" / source.name).write_bytes(source.read_bytes())
    add_case(repo, "invalid/art5.revenue/below-threshold.yaml", "records/91411721MA45A010X6.yaml")  # an unrelated error elsewhere
    env = {"IPREG_CACHE_DIR": str(tmp_path / "cache")}
    options = [] if cache else ["--no-cache"]
    for named in ("records/91411721MA00000154.yaml", "./records/91411721MA00000154.yaml"):
        result = run("check", "--format", "json", "--today", TODAY, *options, named, cwd=repo, env=env)
        payload = json.loads(result.stdout)
        assert result.returncode == 1 and payload["records"] == 1, payload
        assert {(f["file"], f["rule"]) for f in payload["findings"] if f["severity"] == "error"} == {
            ("records/91411721MA00000154.yaml", "registry.duplicate")
        }
    whole = json.loads(run("check", "--format", "json", "--today", TODAY, *options, cwd=repo, env=env).stdout)
    assert whole["records"] == 3 and {f["rule"] for f in whole["findings"] if f["severity"] == "error"} >= {
        "registry.duplicate",
        "art5.revenue",
    }


@pytest.mark.slow
def test_sigterm_after_the_work_is_done_exits_143_with_its_output(samples: Path) -> None:
    """A program keeps handling SIGTERM until it exits: one arriving after the command finished (the race a killed
    ``ipreg build`` can hit at its very end) ends the process with 143, output flushed, not by the default action."""
    probe = (
        "import os, signal, sys, time\nsys.argv = ['ipreg', 'status', '--today', '2026-11-25']\n"
        "from generator.cli import main\nmain()\nos.kill(os.getpid(), signal.SIGTERM)\ntime.sleep(10)\nprint('not reached')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=samples, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 143, (result.returncode, result.stderr)
    assert "的状态（16 家）" in result.stdout and "not reached" not in result.stdout
