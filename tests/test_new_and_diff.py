"""ipreg new (a template that passes once filled) and ipreg diff (between two commits)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.schema import PLACEHOLDER
from tests.helpers import SAMPLES, git
from tests.sitekit import fixtures, ipreg

pytestmark = pytest.mark.slow

TODAY = "2026-11-25"
FILLED = {
    "established": "2015-03-01",
    "code": "C35",
    "name": "专用设备制造业",
    "-": "玉米脱粒机",
    "number": ['"ZL202010566088.9"', '"12345678"'],
    "title": "一种脱粒滚筒",
    "granted": "2022-04-12",
    "class": "7",
    "registered": "2019-05-14",
    "expires": "2029-05-13",
    "leader": "副总经理",
    "managers": "2",
    "budget": "200000",
    "since": "2024-06-01",
    "year": ["2025", "2025"],
    "revenue": "5000000",
    "patent_revenue": "1500000",
    "management_rd_total": "20",
    "management_rd_trained": "18",
    "employees_total": "100",
    "employees_trained": "70",
    "basis": "县内同行业发明专利授权量第一（测试用）",
    "agencies: [": "西平县测试知识产权代理事务所",
    "date": "2026-10-20",
}


def fill(text: str) -> str:
    """What a clerk does: replace every placeholder with a real value, line by line."""
    queues = {k: (list(v) if isinstance(v, list) else [v]) for k, v in FILLED.items()}
    out = []
    for line in text.splitlines(keepends=True):
        if PLACEHOLDER in line and not line.lstrip().startswith("#"):
            key = line.split(":")[0].strip().lstrip("- ").strip() if ":" in line.split("#")[0] else "-"
            key = "agencies: [" if key == "agencies" else key
            values = queues[key]
            value = values.pop(0) if len(values) > 1 else values[0]
            line = line.replace(f'"{PLACEHOLDER}"', value) if f'"{PLACEHOLDER}"' in line else line.replace(PLACEHOLDER, value, 1)
        out.append(line)
    return "".join(out)


def scratch(tmp_path: Path) -> Path:
    shutil.copy(SAMPLES / "policy.yml", tmp_path / "policy.yml")
    return tmp_path


def test_new_writes_a_template_that_passes_once_filled(tmp_path: Path) -> None:
    repo = scratch(tmp_path)
    result = ipreg(repo, "new", "--uscc", "91411721MA00000154", "--name", '西平县测试示例"引号"机械有限公司')
    assert result.returncode == 0, result.stderr
    target = repo / "records" / "91411721MA00000154.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/enterprise.schema.json\n")
    unfilled = ipreg(repo, "check", "--format", "json", "--today", TODAY)
    assert unfilled.returncode == 1
    assert any("还没有填写" in f["message"] for f in json.loads(unfilled.stdout)["findings"])
    target.write_text(fill(text), encoding="utf-8")
    filled = ipreg(repo, "check", "--today", TODAY)
    assert filled.returncode == 0, filled.stdout
    status = json.loads(ipreg(repo, "status", "--format", "json", "--today", TODAY).stdout)["enterprises"][0]
    assert status["status"] == "pending" and status["name"] == '西平县测试示例"引号"机械有限公司'


def test_new_refuses_bad_code_and_existing_file(tmp_path: Path) -> None:
    repo = scratch(tmp_path)
    bad = ipreg(repo, "new", "--uscc", "91411721MA00000155", "--name", "x")
    assert bad.returncode == 2 and "校验码" in bad.stderr and not (repo / "records" / "91411721MA00000155.yaml").exists()
    assert ipreg(repo, "new", "--uscc", "91411721MA00000154", "--name", "甲").returncode == 0
    before = (repo / "records" / "91411721MA00000154.yaml").read_bytes()
    again = ipreg(repo, "new", "--uscc", "91411721MA00000154", "--name", "乙")
    assert again.returncode == 1 and "已存在" in again.stderr
    assert (repo / "records" / "91411721MA00000154.yaml").read_bytes() == before


def committed(tmp_path: Path, *names: str) -> Path:
    """A scratch registry under git with the fixtures ``names`` committed as the base."""
    fx = fixtures()
    repo = scratch(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    (repo / "records").mkdir()
    for name in names:
        (repo / "records" / f"{fx[name].uscc}.yaml").write_text(fx[name].text, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_diff_between_two_commits(tmp_path: Path) -> None:
    fx = fixtures()
    repo = committed(tmp_path, "machine", "private", "conditional")
    leaving, changing = fx["private"], fx["conditional"]
    # the change: one enterprise is revoked, one passes its review, one new enterprise is filed
    revoked = leaving.text.replace("  violations:\n    - date: 2019-02-01", "  violations:\n    - date: 2026-08-01", 1)  # its facts
    revoked = revoked.replace("services:\n", "  - date: 2026-09-01\n    type: revoked\n    document: 西市监〔2026〕30号\nservices:\n", 1)
    (repo / "records" / f"{leaving.uscc}.yaml").write_text(revoked, encoding="utf-8")
    passed = (
        changing.text.replace("  - year: 2022\n", "  - year: 2025\n")
        + "  - date: 2026-11-20\n    type: review_passed\n    document: 西市监〔2026〕40号\n"
    )
    (repo / "records" / f"{changing.uscc}.yaml").write_text(passed, encoding="utf-8")
    newcomer = fx["revoked"].text.replace("  - date: 2026-01-15\n    type: revoked\n    document: 西市监〔2026〕2号\n", "")
    newcomer = newcomer.replace("date: 2025-06-10", "date: 2024-01-02")
    (repo / "records" / f"{fx['revoked'].uscc}.yaml").write_text(newcomer, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "change")
    result = ipreg(repo, "diff", "HEAD~1", "--format", "json", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    d = json.loads(result.stdout)
    assert [e["uscc"] for e in d["entered"]] == [fx["revoked"].uscc]
    assert [e["uscc"] for e in d["left"]] == [leaving.uscc]
    changed = {c["uscc"]: (c["before"], c["after"]) for c in d["changed"]}
    assert changed == {
        leaving.uscc: ("valid", "revoked"),
        changing.uscc: ("conditional", "valid"),
        fx["revoked"].uscc: (None, "review_due"),
    }
    assert [x["uscc"] for x in d["deadlines"]] == [fx["revoked"].uscc]  # its term ends 2027-01-01, within 90 days
    revoked_change = next(r for r in d["records"] if r["uscc"] == leaving.uscc)
    assert revoked_change["dates"]["ended_on"] == "2026-09-01" and set(revoked_change["dates"]) == {"ended_on", "ban_until"}
    files = {r["file"]: r["change"] for r in d["records"]}
    assert files == {
        f"records/{leaving.uscc}.yaml": "modified",
        f"records/{changing.uscc}.yaml": "modified",
        f"records/{fx['revoked'].uscc}.yaml": "added",
    }
    markdown = ipreg(repo, "diff", "HEAD~1", "--format", "markdown", "--today", TODAY).stdout
    assert "| 文件 | 企业 | 改动 | 修改前状态 | 修改后状态 | 错误 | 警告 |" in markdown and "离开公开名单" in markdown
    assert "保留资格 → 有效" in markdown
    bad = ipreg(repo, "diff", "no-such-ref", "--today", TODAY)
    assert bad.returncode == 2 and "找不到提交" in bad.stderr


def test_diff_says_why(tmp_path: Path) -> None:
    """The PR summary names the new events (type, date, 文号), the resulting dates and the findings themselves; a record
    with errors keeps its name; a deleted record is a loud warning; a policy.yml change shows its effect on every record."""
    fx = fixtures()
    repo = committed(tmp_path, "machine", "private", "conditional")
    machine, private, conditional = fx["machine"], fx["private"], fx["conditional"]
    passed = (
        conditional.text.replace("  - year: 2022\n", "  - year: 2025\n")
        + "  - date: 2026-11-20\n    type: review_passed\n    document: 西市监〔2026〕40号\n"
    )
    (repo / "records" / f"{conditional.uscc}.yaml").write_text(passed, encoding="utf-8")
    broken = re.sub(r"(?m)^(\s+)revenue: \d+", r"\1revenue: 1200", machine.text)  # below revenue_min: an error
    assert broken != machine.text
    (repo / "records" / f"{machine.uscc}.yaml").write_text(broken, encoding="utf-8")
    (repo / "records" / f"{private.uscc}.yaml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    d = json.loads(ipreg(repo, "diff", "HEAD~1", "--format", "json", "--today", TODAY).stdout)
    by_file = {r["file"]: r for r in d["records"]}
    review = by_file[f"records/{conditional.uscc}.yaml"]
    assert review["events"] == [
        {"date": "2026-11-20", "type": "review_passed", "document": "西市监〔2026〕40号", "certificate": None, "valid_until": None}
    ]
    assert review["dates"]["term_end"] == "2029-11-19" and review["after"] == "valid"
    bad = by_file[f"records/{machine.uscc}.yaml"]
    assert bad["name"] == machine.name and bad["errors"] >= 1
    assert any(f["rule"] == "art5.revenue" and "1,200 元" in f["message"] for f in bad["findings"])
    assert d["deleted"] == [f"records/{private.uscc}.yaml"]
    markdown = ipreg(repo, "diff", "HEAD~1", "--format", "markdown", "--today", TODAY).stdout
    assert "2026-11-20 复核通过，文号 西市监〔2026〕40号" in markdown and "有效期至 2029-11-19" in markdown
    assert "⚠️ **警告**：删除了记录文件" in markdown and "1,200 元" in markdown and machine.name in markdown
    text = ipreg(repo, "diff", "HEAD~1", "--today", TODAY).stdout
    assert "警告：删除了记录文件" in text and "复核通过" in text

    # a schema error: the record does not build, the summary still names the enterprise
    (repo / "records" / f"{machine.uscc}.yaml").write_text(
        re.sub(r"(?m)^(\s+)revenue: \d+", r"\1revenue: 十二", machine.text), encoding="utf-8"
    )
    d = json.loads(ipreg(repo, "diff", "HEAD", "--format", "json", "--today", TODAY).stdout)
    [only] = d["records"]
    assert only["name"] == machine.name and only["after"] is None and any(f["rule"] == "schema" for f in only["findings"])

    # policy.yml only: every record whose status or findings move is listed
    (repo / "records" / f"{machine.uscc}.yaml").write_text(broken, encoding="utf-8")
    policy = (repo / "policy.yml").read_text(encoding="utf-8")
    raised = re.sub(r"(?m)^revenue_min: .*$", "revenue_min: 900000000", policy)
    assert raised != policy
    (repo / "policy.yml").write_text(raised, encoding="utf-8")
    d = json.loads(ipreg(repo, "diff", "HEAD", "--format", "json", "--today", TODAY).stdout)
    assert d["policy_changed"] is True and d["records"] == []
    assert f"records/{conditional.uscc}.yaml" in {r["file"] for r in d["affected"]}
    markdown = ipreg(repo, "diff", "HEAD", "--format", "markdown", "--today", TODAY).stdout
    assert "policy.yml 已修改" in markdown and "没有修改记录文件" not in markdown and "900,000,000" in markdown


def test_diff_of_a_dated_revision_lists_only_what_it_changes_and_says_why(tmp_path: Path) -> None:
    """A revision written as a dated value changes no record decided before its day and says from when it applies;
    a value changed without a date is called out, since it rewrites past decisions."""
    repo = committed(tmp_path, "machine", "conditional")
    policy = (repo / "policy.yml").read_text(encoding="utf-8")
    dated = re.sub(r"(?m)^revenue_min: .*$", "revenue_min:\n  values: {2018-01-01: 3000000, 2026-11-01: 900000000}\n"
                   "  reference: 西市监〔2026〕45号", policy)
    (repo / "policy.yml").write_text(dated, encoding="utf-8")
    d = json.loads(ipreg(repo, "diff", "HEAD", "--format", "json", "--today", TODAY).stdout)
    assert d["policy_changed"] is True and d["affected"] == [] and d["records"] == []
    assert d["policy_changes"] == [
        "2026-11-01 起营业收入下限（元）（revenue_min）为 900,000,000（西市监〔2026〕45号），此前为 3,000,000："
        "适用于评估日期在此之后的记录和此后开始的期限，此前作出的决定不受影响"
    ]
    markdown = ipreg(repo, "diff", "HEAD", "--format", "markdown", "--today", TODAY).stdout
    assert "2026-11-01 起营业收入下限" in markdown and "未改动的记录中结果有变化的：0 家" in markdown
    plain = re.sub(r"(?m)^revenue_min: .*$", "revenue_min: 900000000", policy)
    (repo / "policy.yml").write_text(plain, encoding="utf-8")
    d = json.loads(ipreg(repo, "diff", "HEAD", "--format", "json", "--today", TODAY).stdout)
    assert d["affected"] and any("没有写生效日期：已经作出的决定也按新值检查" in n for n in d["policy_changes"])


def test_diff_shows_every_edit_before_and_after(tmp_path: Path) -> None:
    """A past decision's date, the name and the revenue changed: the summary says old -> new for the public and
    decision fields, names the private field that changed (never its value), and text mode has no Markdown."""
    fx = fixtures()
    repo = committed(tmp_path, "machine")
    machine = fx["machine"]
    edited = machine.text.replace("  - date: 2025-06-10\n", "  - date: 2025-06-01\n", 1)
    edited = edited.replace(f'name: "{machine.name}"', f'name: "{machine.name.replace("有限公司", "股份有限公司")}"', 1)
    edited = re.sub(r"(?m)^(\s+)revenue: \d+", r"\g<1>revenue: 7777777", edited, count=1)
    assert edited.count("2025-06-01") >= 1 and "股份有限公司" in edited and "7777777" in edited
    (repo / "records" / f"{machine.uscc}.yaml").write_text(edited, encoding="utf-8")
    d = json.loads(ipreg(repo, "diff", "HEAD", "--format", "json", "--today", TODAY).stdout)
    [r] = d["records"]
    fields = {e["field"]: e for e in r["edits"]}
    assert fields["name"]["before"] == machine.name and fields["name"]["after"].endswith("股份有限公司")
    event = fields["events[0]"]
    assert event["before"].startswith("2025-06-10 备案确定") and event["after"].startswith("2025-06-01 备案确定")
    assert r["events"] == [] and r["events_altered"] == 1
    assert r["private_changed"] == ["财务数据（finance）"]
    text = ipreg(repo, "diff", "HEAD", "--today", TODAY).stdout
    assert "修改第 1 个事件：2025-06-10 备案确定" in text and "→ 2025-06-01 备案确定" in text and "**" not in text
    assert "7777777" not in text and "修改了不公开的信息" in text
    markdown = ipreg(repo, "diff", "HEAD", "--format", "markdown", "--today", TODAY).stdout
    assert "修改企业名称：" in markdown and "**注意**" in markdown and "7777777" not in markdown
