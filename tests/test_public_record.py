"""The public record never loses its history (ARCHITECTURE.md section 3): an enterprise that withdrew, lapsed or was revoked
and applies again keeps every earlier cycle on the site, and the application leaves no trace in any built file; the
statistics page and ``ipreg report`` give the same figures for every year."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.helpers import git
from tests.sitekit import _record, build, ipreg, make_uscc, scratch_repo, violation

pytestmark = pytest.mark.slow

TODAY = "2026-11-25"
YEARS = ("finance:\n  - year: 2024", "training:\n  - year: 2024")


def _with_years(text: str) -> str:
    """Finance and training for 2021 (the filing of 2022) and 2025 (the application of 2026) beside 2024."""
    text = text.replace(YEARS[0], "finance:\n" + "".join(
        f"  - year: {y}\n    revenue: 5000000\n    patent_revenue: 1500000\n" for y in (2021, 2025)) + "  - year: 2024")
    return text.replace(YEARS[1], "training:\n" + "".join(
        f"  - year: {y}\n    management_rd_total: 20\n    management_rd_trained: 18\n    employees_total: 100\n    employees_trained: 70\n"
        for y in (2021, 2025)) + "  - year: 2024")


FILED = "events:\n  - date: 2022-06-01\n    type: filed\n    document: 西市监〔2022〕9号\n    certificate: 西知强企证〔2022〕00N号\n"
ENDED = {
    "revoked": FILED + "  - date: 2022-09-01\n    type: revoked\n    document: 西市监〔2022〕20号\n",  # ban through 2025-08-31
    "withdrawn": FILED + "  - date: 2023-06-01\n    type: withdrawn\n    document: 西市监〔2023〕5号\n",
    "lapsed": FILED,  # term to 2025-05-31, review deadline 2026-05-31, lapsed since 2026-06-01
}
APPLIED = "  - date: 2026-09-01\n    type: applied\n"


def _fixtures(applied: bool) -> dict[str, object]:
    out = {}
    for i, (kind, events) in enumerate(ENDED.items()):
        f = _record(make_uscc(f"MA0RA{i:03d}"), f"西平县测试示例重来{kind}有限公司", events=events + (APPLIED if applied else ""),
                    extra=(("00N号", f"00{i + 1}号"), ("since: 2024-06-01", "since: 2021-06-01"), violation("2022-08-15")))
        out[kind] = type(f)(f.uscc, f.name, _with_years(f.text))
    return out


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_applying_again_changes_no_built_file(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", _fixtures(applied=False))
    config = (repo / "mkdocs.yml").read_bytes()
    (repo / "mkdocs.yml").unlink()
    (repo / "mkdocs.yml").write_bytes(config)  # a copy, not a link: the build then reads this folder's Git history
    git(repo, "init", "-q")
    git(repo, "add", "records")
    git(repo, "commit", "-qm", "before", GIT_COMMITTER_DATE="2026-08-01T10:00:00+08:00", GIT_AUTHOR_DATE="2026-08-01T10:00:00+08:00")
    first = build(repo, "site-before")
    assert first.returncode == 0, first.stderr
    for fixture in _fixtures(applied=True).values():
        (repo / "records" / f"{fixture.uscc}.yaml").write_text(fixture.text, encoding="utf-8")
    git(repo, "commit", "-qam", "applied", GIT_COMMITTER_DATE="2026-11-20T10:00:00+08:00", GIT_AUTHOR_DATE="2026-11-20T10:00:00+08:00")
    status = ipreg(repo, "status", "--today", TODAY, "--format", "json")
    assert status.stdout.count('"status": "pending"') == 3, status.stdout  # staff see the applications
    second = build(repo, "site-after")
    assert second.returncode == 0, second.stderr
    before, after = _site_files(repo / "site-before"), _site_files(repo / "site-after")
    assert sorted(before) == sorted(after)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [], changed
    # the earlier cycles are there: pages, verification, history, statistics, with the last public status
    for kind, fixture in _fixtures(applied=False).items():
        page = after[f"enterprises/{fixture.uscc}/index.html"].decode()
        assert {"revoked": "已撤销", "withdrawn": "已退出", "lapsed": "逾期未复核"}[kind] in page
        assert "记录最后修改于 <time>2026-08-01</time>" in page  # the commit that added the application does not count
        assert fixture.uscc.encode() in after["data/verify.json"] and fixture.uscc.encode() in after["sitemap.xml"]
        assert "申报" not in re.sub(
            r"申报指南|申报中的企业|不得申请|申请备案|禁止申请", "", page.split("<article", 1)[1].split("</article>")[0]
        )


def test_statistics_page_and_annual_report_agree(tmp_path: Path) -> None:
    """One function makes both: a row for every year from the first decision to the data date, years without a decision
    included; a lapse without a decision that year counts as leaving; re-applicants keep their earlier years."""
    import openpyxl  # a runtime dependency: never skipped
    repo = scratch_repo(tmp_path / "repo", _fixtures(applied=True))
    result = build(repo)
    assert result.returncode == 0, result.stderr
    page = (repo / "site" / "statistics" / "index.html").read_text(encoding="utf-8")
    rows = {}
    for year in range(2022, 2027):
        match = re.search(rf"<strong>{year}</strong></td>(.*?)</tr>", page, re.DOTALL)
        assert match, year
        rows[year] = [int(n) for n in re.findall(r">\s*(\d+)\s*<", match.group(1))]
    assert "<strong>2021</strong>" not in page
    for year, cells in rows.items():
        out = ipreg(repo, "report", "--year", str(year), "--today", TODAY, "-o", f"r{year}.xlsx")
        assert out.returncode == 0, out.stderr
        book = openpyxl.load_workbook(io.BytesIO((repo / f"r{year}.xlsx").read_bytes()))
        sheets = book.worksheets
        # data rows: an empty sheet's one row is a sentence in its first cell alone (2024年没有企业进入名单。)
        decisions = [row for row in sheets[0].iter_rows(min_row=4, values_only=True) if row[0] and row[1] is not None]
        listed = sum(row[1] for row in sheets[3].iter_rows(min_row=4, values_only=True) if isinstance(row[1], int) and row[0] != "合计")
        entered = [row for row in sheets[5].iter_rows(min_row=4, values_only=True) if row[0] and row[1] is not None]
        left = [row for row in sheets[6].iter_rows(min_row=4, values_only=True) if row[0] and row[1] is not None]
        assert sum(cells[:-3]) == len(decisions) and cells[-3:] == [listed, len(entered), len(left)], (year, cells)
    assert rows[2022][0] == 3  # three filings in 2022, although all three enterprises apply again in 2026
    assert rows[2026][-1] == 1  # the lapse of 2026-06-01 had no decision that year, and still counts as leaving
    assert rows[2024] == [0] * 6 + [1, 0, 0]  # a year without decisions has its row
