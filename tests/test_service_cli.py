"""``ipreg service`` and ``ipreg priority`` through the command line (design section 10): many records in one command,
added lines only, all or nothing, ``--dry-run``, Chinese labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import git
from tests.sitekit import _record, ipreg, make_uscc, scratch_repo

pytestmark = pytest.mark.slow

TODAY = "2026-11-25"
APPLIED = "events:\n  - date: 2026-10-20\n    type: applied\n"


def _repo(tmp_path: Path, listed: int, pending: int = 0) -> tuple[Path, list[str], list[str]]:
    records = {}
    for i in range(listed):
        uscc = make_uscc(f"MA0CB{i:03d}")
        records[uscc] = _record(uscc, f"西平县测试示例服务{i}号有限公司")
    waiting = []
    for i in range(pending):
        uscc = make_uscc(f"MA0PD{i:03d}")
        waiting.append(uscc)
        records[uscc] = _record(uscc, f"西平县测试示例申报{i}号有限公司", events=APPLIED,
                                extra=(("  - year: 2024\n    revenue", "  - year: 2025\n    revenue"),
                                       ("  - year: 2024\n    management", "  - year: 2025\n    management")))
    repo = scratch_repo(tmp_path / "repo", records)
    git(repo, "init", "-q")
    git(repo, "add", "records", "policy.yml")
    git(repo, "commit", "-qm", "records")
    return repo, sorted(set(records) - set(waiting)), waiting


def _only_added(repo: Path) -> int:
    """The number of changed files; fails on any deleted or changed line."""
    rows = [line.split("\t") for line in git(repo, "diff", "--numstat").splitlines()]
    assert all(row[1] == "0" for row in rows), rows
    return len(rows)


def test_a_training_for_forty_enterprises_in_one_command(tmp_path: Path) -> None:
    repo, codes, _ = _repo(tmp_path, 40)
    result = ipreg(repo, "service", "--today", TODAY, "--kind", "人才培养培训", "--date", "2026-11-20", "--title", "2026年知识产权培训",
                   "--provider", "县局知识产权股", "--participants", "6", *codes)
    assert result.returncode == 0, result.stderr
    assert "共 40 个记录" in result.stdout and "人才培养培训“2026年知识产权培训”" in result.stdout
    assert _only_added(repo) == 40
    for code in codes:
        data = yaml.safe_load((repo / "records" / f"{code}.yaml").read_text(encoding="utf-8"))
        assert data["services"] == [{"date": __import__("datetime").date(2026, 11, 20), "kind": "training",
                                     "title": "2026年知识产权培训", "provider": "县局知识产权股", "participants": 6}]
    assert ipreg(repo, "check", "--today", TODAY).returncode == 0
    earlier = ipreg(repo, "service", "--today", TODAY, "--kind", "pledge_financing", "--date", "2026-03-01", "--amount", "3,000,000",
                    "--lender", "西平县测试农村商业银行", codes[0])
    assert earlier.returncode == 0, earlier.stderr
    _only_added(repo)
    data = yaml.safe_load((repo / "records" / f"{codes[0]}.yaml").read_text(encoding="utf-8"))
    assert [s["kind"] for s in data["services"]] == ["pledge_financing", "training"]  # inserted at its date
    assert data["services"][0]["amount"] == 3_000_000
    assert ipreg(repo, "check", "--today", TODAY).returncode == 0


def test_priority_is_refused_for_all_when_one_enterprise_is_not_entitled(tmp_path: Path) -> None:
    repo, codes, waiting = _repo(tmp_path, 3, pending=1)
    result = ipreg(repo, "priority", "--today", TODAY, "--programme", "市知识产权优势企业和示范企业申报", "--outcome", "已推荐",
                   "--date", "2026-11-20", "--document", "西市监[2026]70号", *codes, *waiting)
    assert result.returncode == 1
    assert "没有写入任何文件" in result.stderr and "art13.not-entitled" in result.stderr and "申报中" in result.stderr
    assert "Traceback" not in result.stderr
    assert git(repo, "status", "--porcelain", "records") == ""
    done = ipreg(repo, "priority", "--today", TODAY, "--programme", "city_recommendation", "--outcome", "recommended",
                 "--date", "2026-11-20", "--document", "西市监[2026]70号", *codes)
    assert done.returncode == 0, done.stderr
    assert "市知识产权优势企业和示范企业申报，已推荐" in done.stdout
    assert _only_added(repo) == 3
    data = yaml.safe_load((repo / "records" / f"{codes[0]}.yaml").read_text(encoding="utf-8"))
    assert data["priority_support"][0]["document"] == "西市监〔2026〕70号"


def test_dry_run_and_mistakes_write_nothing(tmp_path: Path) -> None:
    repo, codes, _ = _repo(tmp_path, 2)
    dry = ipreg(repo, "service", "--today", TODAY, "--kind", "expert_service", "--date", "2026-11-20", "--dry-run", *codes)
    assert dry.returncode == 0 and "+services:" in dry.stdout and "试运行，没有写入" in dry.stdout
    # a request that would write an error is refused like decide's (exit 1); a date that is no date is a usage error (2)
    for args, words, code in [
        (("--kind", "质押融资", "--date", "2026-11-20"), "须写明 --amount", 1),
        (("--kind", "讲座", "--date", "2026-11-20"), "不是可选的值", 1),
        (("--kind", "training", "--date", "2026-11-20"), "须写明 --participants", 1),
        (("--kind", "training", "--participants", "十", "--date", "2026-11-20"), "不是正整数", 1),
        (("--kind", "training", "--participants", "3", "--amount", "5", "--date", "2026-11-20"), "--amount 只用于质押融资", 1),
        (("--kind", "matchmaking", "--date", "2026-12-01"), "晚于今天", 1),
        (("--kind", "matchmaking", "--date", "2026-13-01"), "不是日期", 2),
    ]:
        result = ipreg(repo, "service", "--today", TODAY, *args, *codes)
        assert result.returncode == code and words in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    missing = ipreg(repo, "service", "--today", TODAY, "--kind", "matchmaking", "--date", "2026-11-20", make_uscc("MA0XX001"))
    assert missing.returncode == 1 and "找不到这些企业的记录" in missing.stderr
    assert git(repo, "status", "--porcelain", "records") == ""


def test_explain_shows_each_entry_with_its_article_and_status_shows_who_is_entitled(tmp_path: Path) -> None:
    repo, codes, waiting = _repo(tmp_path, 2, pending=1)
    assert ipreg(repo, "service", "--today", TODAY, "--kind", "expert_service", "--date", "2026-11-20", "--provider", "某专利代理机构",
                 codes[0]).returncode == 0
    assert ipreg(repo, "priority", "--today", TODAY, "--programme", "high_value_patent", "--outcome", "pending", "--date", "2026-11-21",
                 codes[0]).returncode == 0
    record = repo / "records" / f"{codes[0]}.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "supervision:\n  - date: 2026-11-22\n    kind: on_site\n    finding: none\n",
                      encoding="utf-8")
    text = ipreg(repo, "explain", "--today", TODAY, f"records/{codes[0]}.yaml").stdout
    assert "2026-11-20 服务（第十一条，专家服务）：专家服务，某专利代理机构；当天“有效”" in text
    assert "2026-11-21 优先支持（第十三条，高价值专利培育）：待定；当天“有效”，可获优先支持" in text
    assert "2026-11-22 日常监管（第三条，现场检查）：未发现问题" in text
    by_code = ipreg(repo, "explain", "--today", TODAY, codes[0].lower())  # the code alone, as a clerk types it
    assert by_code.returncode == 0 and by_code.stdout == text, by_code.stderr
    assert ipreg(repo, "explain", "--today", TODAY, f"{codes[0]}.yaml").stdout == text  # the file's name as listed
    unknown = ipreg(repo, "explain", "--today", TODAY, "9141")
    assert unknown.returncode == 2 and "统一社会信用代码" in unknown.stderr and "records/9141.yaml" in unknown.stderr
    shown = ipreg(repo, "status", "--today", TODAY, "--entitled").stdout
    assert "可获优先支持（第十三条）的企业（2 家）" in shown and all(c in shown for c in codes) and waiting[0] not in shown
    before_filing = ipreg(repo, "status", "--today", "2025-06-09", "--entitled").stdout
    assert "（0 家）" in before_filing


def test_the_same_command_twice_is_refused_the_second_time(tmp_path: Path) -> None:
    """A clerk unsure whether it worked runs the command again: the second run writes nothing and says where the entry
    already is (else every total counts it twice); the bureau's short words for programmes and outcomes are accepted."""
    repo, codes, _ = _repo(tmp_path, 2)
    args = ("service", "--today", TODAY, "--kind", "培训", "--participants", "5", "--date", "2026-11-20", *codes)
    assert ipreg(repo, *args).returncode == 0
    git(repo, "commit", "-qam", "first run")
    again = ipreg(repo, *args)
    assert again.returncode == 1 and "这一项已经录入过" in again.stderr and f"records/{codes[0]}.yaml 第 " in again.stderr, again.stderr
    assert git(repo, "status", "--porcelain", "records") == ""
    other = ipreg(repo, "service", "--today", TODAY, "--kind", "training", "--participants", "5", "--date", "2026-11-20",
                  "--title", "第二期培训", *codes)
    assert other.returncode == 0, other.stderr  # the same day, another training: said by its title
    short = ipreg(repo, "priority", "--today", TODAY, "--programme", "质押融资", "--outcome", "获批", "--date", "2026-11-20", codes[0])
    assert short.returncode == 0, short.stderr
    data = yaml.safe_load((repo / "records" / f"{codes[0]}.yaml").read_text(encoding="utf-8"))
    assert data["priority_support"][0]["programme"] == "pledge_financing" and data["priority_support"][0]["outcome"] == "granted"
    assert [s.get("title") for s in data["services"]] == ["人才培养培训", "第二期培训"]


def test_a_dry_run_shows_the_warning_the_entry_would_cause(tmp_path: Path) -> None:
    """A service to an enterprise still applying: the dry run the manual tells a clerk to do first already says
    art11.not-listed (else it is first seen after the write), and writes nothing."""
    repo, _, waiting = _repo(tmp_path, 1, pending=1)
    dry = ipreg(repo, "service", "--today", TODAY, "--kind", "matchmaking", "--date", "2026-11-20", "--dry-run", *waiting)
    assert dry.returncode == 0, dry.stderr
    assert "录入后会有以下警告" in dry.stdout and "art11.not-listed" in dry.stdout and "申报中" in dry.stdout, dry.stdout
    assert git(repo, "status", "--porcelain", "records") == ""


def test_only_the_new_entry_s_warnings_are_shown_and_a_repeat_is_the_whole_entry(tmp_path: Path) -> None:
    """An older service of the record that already warns (dated before the filing) is not shown again as if the new
    entry caused it, in the dry run or the write; an entry is a repeat only with the same fields and values (a 文号 in
    its standard form): an older one with a 文号 is not the same as a new one without."""
    repo, codes, _ = _repo(tmp_path, 1)
    old = ipreg(repo, "service", "--today", TODAY, "--kind", "matchmaking", "--date", "2025-01-05", "--document", "西市监[2025]1号",
                codes[0])
    assert old.returncode == 0 and "art11.not-listed" in old.stdout, old.stdout  # before the filing: its own warning
    for extra in (("--dry-run",), ()):
        new = ipreg(repo, "service", "--today", TODAY, "--kind", "matchmaking", "--date", "2026-11-20", *extra, codes[0])
        assert new.returncode == 0 and "art11.not-listed" not in new.stdout and "警告" not in new.stdout, new.stdout
    again = ipreg(repo, "service", "--today", TODAY, "--kind", "matchmaking", "--date", "2025-01-05", codes[0])
    assert again.returncode == 0, again.stderr  # the same day and kind, without the 文号: another entry
    repeat = ipreg(repo, "service", "--today", TODAY, "--kind", "matchmaking", "--date", "2025-01-05", "--document",
                   "西市监〔2025〕1号", codes[0])
    assert repeat.returncode == 1 and "这一项已经录入过" in repeat.stderr, repeat.stderr
    twice = ipreg(repo, "priority", "--today", TODAY, "--programme", "training", "--outcome", "granted", "--date", "2026-11-20",
                  codes[0])
    assert twice.returncode == 0, twice.stderr
    twice = ipreg(repo, "priority", "--today", TODAY, "--programme", "training", "--outcome", "granted", "--date", "2026-11-20",
                  codes[0])
    assert twice.returncode == 1 and "请用 --document 写明区别" in twice.stderr and "--title" not in twice.stderr, twice.stderr
