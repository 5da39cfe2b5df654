"""Privacy around the allow-list: no file inclusion, no private value or pending applicant in hand-written
pages (the build refuses), personal data refused in records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.loader import load_bytes
from generator.model import build_record
from generator.site.privacy import find, secrets
from tests.helpers import ROOT
from tests.sitekit import PRIVATE_MARKERS, build, fixtures, scratch_repo

FIX = fixtures()


def _repo_with_page(tmp_path: Path, body: str) -> Path:
    repo = scratch_repo(tmp_path / "repo", {k: FIX[k] for k in ("machine", "private", "pending")})
    (repo / "docs").unlink()
    shutil.copytree(ROOT / "docs", repo / "docs")
    (repo / "docs" / "notes.md").write_text(f"# 说明\n\n{body}\n", encoding="utf-8")
    return repo


@pytest.mark.slow
@pytest.mark.parametrize(
    "line", ['--8<-- "records/{file}"', '-8<- "records/{file}"', '    --8<-- ".git/config"', "--8<--\nrecords/{file}\n--8<--"]
)
def test_a_snippet_line_fails_the_build(tmp_path: Path, line: str) -> None:
    repo = _repo_with_page(tmp_path, line.format(file=f"{FIX['private'].uscc}.yaml"))
    result = build(repo)
    assert result.returncode == 1 and "--8<--" in result.stderr and "Traceback" not in result.stderr
    assert not (repo / "site").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("what", "body"),
    [
        ("revenue", f"上年营业收入 {int(PRIVATE_MARKERS['revenue']):,} 元"),
        ("revenue as written", f"revenue: {PRIVATE_MARKERS['revenue']}"),
        ("patent title", f"专利：{PRIVATE_MARKERS['patent_title']}"),
        ("certificate", f"证书 {PRIVATE_MARKERS['standard_certificate']}"),
        ("pending name", f"正在申报：{FIX['pending'].name}"),
        ("pending code", f"`{FIX['pending'].uscc}`"),
    ],
)
def test_a_hand_written_page_with_a_private_value_fails_the_build(tmp_path: Path, what: str, body: str) -> None:
    repo = _repo_with_page(tmp_path, body)
    result = build(repo)
    assert result.returncode == 1, what
    assert "非公开信息" in result.stderr and "notes.md" in result.stderr
    assert not (repo / "site").exists()


@pytest.mark.slow
def test_a_hand_written_page_with_public_facts_builds(tmp_path: Path) -> None:
    repo = _repo_with_page(tmp_path, f"{FIX['machine'].name}（{FIX['machine'].uscc}）已备案；营业收入应在 3,000,000 元以上。")
    assert build(repo).returncode == 0


def test_secrets_of_a_record() -> None:
    loaded = load_bytes(FIX["private"].text.encode(), f"records/{FIX['private'].uscc}.yaml")
    assert loaded.data is not None
    record = build_record(loaded.data, loaded.file, loaded.positions)
    found = dict(secrets(record, published=True))
    for key in ("revenue", "budget", "patent_title", "standard_certificate", "honor_certificate", "note", "recommendation",
                "violation_summary", "violation_document", "service_amount", "lender", "provider", "service_title", "service_result",
                "service_document", "priority_document", "supervision_document", "supervision_note"):
        assert PRIVATE_MARKERS[key] in found, key
    assert FIX["private"].name not in found and FIX["private"].uscc not in found  # published: name and code are public
    assert find(f"x {int(PRIVATE_MARKERS['budget']):,} y", found) == [(PRIVATE_MARKERS["budget"], found[PRIVATE_MARKERS["budget"]])]
    assert find(f"x 1{PRIVATE_MARKERS['budget']} y", found) == []  # part of a longer number
