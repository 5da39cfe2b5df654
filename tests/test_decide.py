"""``ipreg decide``: one decision appended to many records, only added lines, nothing written on any error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.writing.decisions import DecideError, append_event, certificate_pattern, next_certificates
from tests.helpers import git, scratch_checkout
from tests.sitekit import ipreg

TODAY = "2026-11-25"
REVIEW_DUE, UNDER_REVIEW, VALID = "91411721MA45A002XJ", "91411721MA45A0038J", "91411721MA45A0011T"
REVOKED, CONDITIONAL = "91411721MA45A0089T", "91411721MA45A0046D"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    folder = scratch_checkout(tmp_path / "repo")
    git(folder, "init", "-q")
    git(folder, "add", "records", "policy.yml")
    git(folder, "commit", "-qm", "samples")
    return folder


def _decide(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return ipreg(repo, "decide", "--today", TODAY, *args)


@pytest.mark.slow
def test_review_decision_for_three_records_adds_lines_only(repo: Path) -> None:
    codes = (REVIEW_DUE, UNDER_REVIEW, CONDITIONAL)
    result = _decide(repo, "--type", "review_failed", "--date", "2026-11-20", "--document", "西市监〔2026〕40号", *codes)
    assert result.returncode == 0, result.stderr
    numstat = [line.split("\t") for line in git(repo, "diff", "--numstat").splitlines()]
    assert sorted(row[2] for row in numstat) == sorted(f"records/{c}.yaml" for c in codes)
    assert all(row[0] == "3" and row[1] == "0" for row in numstat), numstat  # three added lines, nothing deleted
    added = git(repo, "diff", "-U0", f"records/{UNDER_REVIEW}.yaml")
    assert "+  - date: 2026-11-20\n+    type: review_failed\n+    document: 西市监〔2026〕40号\n" in added
    check = ipreg(repo, "check", "--today", TODAY)
    assert check.returncode == 0, check.stdout
    statuses = {
        row["uscc"]: row["status"] for row in json.loads(ipreg(repo, "status", "--format", "json", "--today", TODAY).stdout)["enterprises"]
    }
    # a second failure revokes; REVIEW_DUE's term ends 2027-01-19: its early failure takes effect the day after (design §3 v4)
    assert [statuses[c] for c in codes] == ["review_due", "conditional", "revoked"]
    later = json.loads(ipreg(repo, "status", "--format", "json", "--today", "2027-01-20").stdout)["enterprises"]
    assert [row["status"] for row in later if row["uscc"] == REVIEW_DUE] == ["conditional"]


@pytest.mark.slow
def test_passed_reviews_get_the_next_certificate_numbers(repo: Path) -> None:
    result = _decide(repo, "--type", "review_passed", "--date", "2026-11-20", "--document", "西市监〔2026〕40号", REVIEW_DUE, UNDER_REVIEW)
    assert result.returncode == 0, result.stderr
    assert "证书编号 西知强企证〔2026〕001号" in result.stdout and "证书编号 西知强企证〔2026〕002号" in result.stdout
    added = git(repo, "diff", "-U0", f"records/{UNDER_REVIEW}.yaml")
    assert "+    certificate: 西知强企证〔2026〕002号\n" in added and "valid_until" not in added
    assert all(row.split("\t")[1] == "0" for row in git(repo, "diff", "--numstat").splitlines())
    again = _decide(repo, "--type", "filed", "--date", "2026-11-24", "--document", "西市监〔2026〕45号", "91411721MA45A0142N")
    assert again.returncode == 0 and "证书编号 西知强企证〔2026〕003号" in again.stdout  # numbering continues in the registry


@pytest.mark.slow
def test_dry_run_prints_the_diff_and_writes_nothing(repo: Path) -> None:
    result = _decide(repo, "--dry-run", "--type", "review_passed", "--date", "2026-11-20", "--document", "西市监〔2026〕40号", UNDER_REVIEW)
    assert result.returncode == 0 and f"+++ b/records/{UNDER_REVIEW}.yaml" in result.stdout and "试运行" in result.stdout
    assert git(repo, "status", "--porcelain", "records") == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,message",
    [
        (["--type", "revoked", "--date", "2026-11-20", "--document", "西市监〔2026〕41号", "91411721MA00000154"], "找不到这些企业的记录"),
        (["--type", "revoked", "--date", "2026-11-20", "--document", "西市监〔2026〕41号"], "没有给出企业"),
        (["--type", "revoked", "--date", "2026-11-26", "--document", "西市监〔2026〕41号", VALID], "晚于今天"),
        (["--type", "expired", "--date", "2026-11-20", "--document", "西市监〔2026〕41号", VALID], "不是决定类型"),
        # the samples' 西市监〔2025〕31号 is dated 2025-06-10: the same number cannot name a decision of another day
        (["--type", "revoked", "--date", "2026-11-20", "--document", "西市监〔2025〕31号", VALID], "已用于 2025-06-10"),
        # a review of a revoked enterprise is out of order; the change would be an error: nothing is written
        (["--type", "review_passed", "--date", "2026-11-20", "--document", "西市监〔2026〕41号", REVOKED, VALID], "会有错误"),
        # a revocation needs its facts in conduct (design §3 v4): the sample has none
        (["--type", "取消资格", "--date", "2026-11-20", "--document", "西市监〔2026〕41号", VALID],
         "[art8.revocation-basis] 撤销须有有效期内的违法违规记录：请在 conduct 中录入事实（日期、机关、文书）"),
    ],
)
def test_bad_decisions_write_nothing(repo: Path, args: list[str], message: str) -> None:
    result = _decide(repo, *args)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert git(repo, "status", "--porcelain", "records") == ""


@pytest.mark.slow
def test_a_revocation_with_its_facts_is_written(repo: Path) -> None:
    path = repo / "records" / f"{VALID}.yaml"
    fact = ("  violations:\n    - date: 2026-10-09\n      authority: 西平县应急管理局\n      document: 西应急罚〔2026〕9号\n"
            "      summary: 因发生较大生产安全事故被处以罚款\n")
    path.write_text(path.read_text(encoding="utf-8").replace("  dishonesty: []\n", "  dishonesty: []\n" + fact, 1), encoding="utf-8")
    result = _decide(repo, "--type", "取消资格", "--date", "2026-11-20", "--document", "西市监〔2026〕41号", VALID)
    assert result.returncode == 0, result.stderr
    assert ipreg(repo, "check", "--today", TODAY).returncode == 0


@pytest.mark.slow
def test_bad_date_is_a_usage_error(repo: Path) -> None:
    result = _decide(repo, "--type", "revoked", "--date", "2026-13-01", "--document", "x", VALID)
    assert result.returncode == 2 and "不是日期" in result.stderr


def test_certificate_numbers_continue_after_the_highest_of_the_year() -> None:
    fmt = "西知强企证〔{year}〕{seq:03d}号"
    existing = ["西知强企证〔2026〕007号", "西知强企证〔2026〕012号", "西知强企证〔2025〕099号", "其他编号"]
    assert next_certificates(fmt, 2026, existing, 2) == ["西知强企证〔2026〕013号", "西知强企证〔2026〕014号"]
    assert next_certificates(fmt, 2027, existing, 1) == ["西知强企证〔2027〕001号"]
    assert certificate_pattern("QZ-{seq}").match("QZ-0042") is not None
    assert next_certificates("QZ-{seq}", 2026, ["QZ-41"], 1) == ["QZ-42"]


def test_append_keeps_the_files_own_style() -> None:
    """CRLF, BOM, comments after the events, quoted values of the last event and a trailing line without newline."""
    raw = (
        "\ufeff# 注释\r\nname: x\r\nevents:\r\n    -   date: 2024-01-02\r\n        type: filed\r\n"
        '        document: "西市监〔2024〕1号"  # 原文\r\n# 结尾注释\r\nnote: y'
    ).encode("utf-8")
    out = append_event(raw, {"date": "2026-11-20", "type": "revoked", "document": "西市监〔2026〕2号"}, "records/x.yaml")
    text = out.decode("utf-8")
    assert out.startswith(b"\xef\xbb\xbf") and text.replace("\r\n", "").count("\n") == 0
    assert (
        '        document: "西市监〔2024〕1号"  # 原文\r\n    -   date: 2026-11-20\r\n        type: revoked\r\n'
        '        document: "西市监〔2026〕2号"\r\n# 结尾注释\r\nnote: y'
    ) in text
    assert raw.decode("utf-8") in text.replace(
        '    -   date: 2026-11-20\r\n        type: revoked\r\n        document: "西市监〔2026〕2号"\r\n', ""
    )


@pytest.mark.parametrize("raw", [b"name: x\n", b"events: []\n", b"events: [{date: 2024-01-02, type: filed}]\n", b"events:\n  - 1\n"])
def test_append_refuses_what_it_cannot_extend(raw: bytes) -> None:
    with pytest.raises(DecideError):
        append_event(raw, {"date": "2026-11-20", "type": "revoked"}, "records/x.yaml")


@pytest.mark.slow
@pytest.mark.parametrize("typed", ["西市监[2026]40号", "西市监（2026）40号", "西市监(2026)40号", "西市监【2026】４０号",
                                   "西市监〔2026〕(40)号", "西市监〔2026〕（40）号", "西市监〔2026〕[40]号"])
def test_a_document_number_typed_with_other_brackets_is_written_in_the_standard_form(repo: Path, typed: str) -> None:
    result = _decide(repo, "--type", "review_failed", "--date", "2026-11-20", "--document", typed, UNDER_REVIEW)
    assert result.returncode == 0, result.stderr
    assert f"文号按标准写法记为 西市监〔2026〕40号（您输入的是 {typed}）" in result.stdout
    assert "+    document: 西市监〔2026〕40号\n" in git(repo, "diff", "-U0")


@pytest.mark.slow
def test_a_passed_review_without_the_years_data_says_which_year_is_missing(repo: Path) -> None:
    result = ipreg(repo, "decide", "--today", "2027-02-25", "--type", "复核通过", "--date", "2027-02-20", "--document",
                   "西市监〔2027〕30号", REVIEW_DUE)
    assert result.returncode == 1 and git(repo, "status", "--porcelain", "records") == ""
    assert "要用 2026 年的财务和培训数据" in result.stderr and "缺少 2026 年的财务（finance）和培训（training）数据" in result.stderr


def _marks(node: object) -> list[tuple[object, ...]]:
    """Every node's kind, start and end (line, column), tag and quoting, in document order (an alias's node once)."""
    import yaml

    out: list[tuple[object, ...]] = []
    stack, seen = [node], set()
    while stack:
        n = stack.pop()
        if not isinstance(n, yaml.Node) or id(n) in seen:
            continue
        seen.add(id(n))
        out.append((type(n).__name__, n.start_mark.line, n.start_mark.column, n.end_mark.line, n.end_mark.column, n.tag,
                    (n.style or "") if isinstance(n, yaml.ScalarNode) else None))
        if isinstance(n, yaml.MappingNode):
            stack.extend(x for pair in reversed(n.value) for x in reversed(pair))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(reversed(n.value))
    return out


def test_the_writers_see_the_marks_pyyaml_s_own_parser_gives() -> None:
    """decide, service and priority place their lines by the marks of ``compose_record`` (libyaml's composer, for speed:
    500 records in one command); on every case and sample record each node starts and ends where PyYAML's Python
    parser says (only a plain scalar's style reads '' instead of None)."""
    import yaml

    from generator.writing.decisions import compose_record
    from tests.helpers import CASES, SAMPLES

    compared = 0
    for path in sorted([*CASES.rglob("*.yaml"), *SAMPLES.rglob("*.yaml")]):
        raw = path.read_bytes()
        if len(raw) > 200_000:
            continue
        try:
            _, _, fast = compose_record(raw, path.name)
            slow = yaml.compose(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
        except (DecideError, UnicodeDecodeError, yaml.YAMLError):
            continue
        assert _marks(fast) == _marks(slow), path
        compared += 1
    assert compared > 100


def test_the_writers_check_in_workers_as_they_do_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision and a service for many enterprises check the registry before and after in worker processes (from
    ``PARALLEL_FROM`` files on): the same changes, certificate numbers and warnings as checked in one process, and the
    same refusal for a record that would have an error."""
    from datetime import date

    import generator.checking.workers as workers
    from benchmarks.synth import write_registry
    from generator.inputs import read_registry
    from generator.policy import load_policy
    from generator.writing import decisions, entries

    repo = write_registry(tmp_path, 40, errors=0.0, seed=5)
    raws, notes = read_registry(str(repo / "records"))
    policy, today = load_policy(repo / "policy.yml"), date.fromisoformat(TODAY)
    names = sorted(raws)
    codes = [Path(name).stem for name in names[:12]]
    prefix = names[0][: -len(f"{codes[0]}.yaml")]
    service = entries.service_request("training", date(2026, 11, 20), "培训", None, None, None, None, "30")

    def run() -> tuple[object, ...]:
        changes, warnings = entries.plan(raws, prefix, service, codes, policy, today, notes)
        decided, _ = decisions.plan(raws, prefix, "withdrawn", date(2026, 11, 21), "西市监〔2026〕99号", codes[:3], policy, today, notes)
        try:
            decisions.plan(raws, prefix, "revoked", date(2026, 11, 21), "西市监〔2026〕98号", codes[3:6], policy, today, notes)
            refused = ""
        except DecideError as exc:
            refused = str(exc)
        return [c.after for c in changes], warnings, [(c.after, c.certificate) for c in decided], refused

    alone = run()
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    in_workers = run()
    assert in_workers == alone

    def broken(items: object) -> None:
        raise AssertionError("--jobs 1 checks in this process")

    monkeypatch.setattr(workers, "_check_chunk", broken)  # --jobs 1 (the option every command has) starts no worker
    assert entries.plan(raws, prefix, service, codes, policy, today, notes, jobs=1)[0][0].after == alone[0][0]
    assert alone[3] and alone[2]  # a revocation without its facts is refused (the refusal comes from the workers' findings)
