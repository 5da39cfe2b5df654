"""design section 3 v4 in the documents: a 撤销决定 states its facts (what, when, which authority's document) from the
record's conduct, and none is made without them; an early review result is listed with the effect it has after the term end."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from generator.documents.notices import DocsError, decision, notice
from generator.lifecycle import REVOCATION_BASIS
from generator.loader import load_bytes
from generator.model import Record, build_record
from generator.policy import default_policy
from tests.helpers import CASES

POLICY = default_policy()
GRACE = CASES / "valid" / "revoked-in-grace-with-a-violation.yaml"  # filed 2021-06-10, failed 2024-07-01, revoked 2024-12-02


def _record(text: str, path: Path = GRACE) -> Record:
    loaded = load_bytes(text.encode(), f"records/{path.stem}.yaml")
    assert loaded.data is not None, loaded.findings
    return build_record(loaded.data, loaded.file, loaded.positions)


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "".join(p.text for p in doc.paragraphs)


def test_the_decision_states_the_violation_what_when_and_whose_document() -> None:
    record = _record(GRACE.read_text(encoding="utf-8"))
    [decided] = decision([(record, None)], "西市监〔2024〕66号", POLICY)  # type: ignore[list-item]
    text = _text(notice([decided], "西市监〔2024〕66号", POLICY))
    fact = "2024年10月8日，因发生较大生产安全事故被处以罚款（西平县应急管理局，西应急罚〔2024〕示例5号）"
    assert f"经核实，你单位（统一社会信用代码：{record.uscc}）{fact}。" in text
    assert "上述行为发生在你单位知识产权强企保留资格期内（2024年7月1日至2025年6月30日）" in text
    assert "自2024年12月2日起至2027年12月1日（含）" in text


@pytest.mark.parametrize("fact", ["2024-12-03", None])  # after the revocation; none at all
def test_no_decision_without_its_facts(fact: str | None) -> None:
    text = GRACE.read_text(encoding="utf-8")
    text = text.replace("2024-10-08", fact) if fact else text[: text.index("  violations:")] + text[text.index("ip_management:"):]
    record = _record(text)
    decided = decision([(record, None)], "西市监〔2024〕66号", POLICY)  # type: ignore[list-item]
    with pytest.raises(DocsError) as caught:
        notice(decided, "西市监〔2024〕66号", POLICY)
    assert REVOCATION_BASIS in str(caught.value) and "没有生成撤销决定" in str(caught.value)


def test_the_facts_of_a_term_keep_the_terms_dates() -> None:
    text = GRACE.read_text(encoding="utf-8").replace("2024-10-08", "2022-03-01")
    [decided] = decision([(_record(text), None)], "西市监〔2024〕66号", POLICY)  # type: ignore[list-item]
    assert "知识产权强企有效期内（2021年6月10日至2024年6月9日）" in _text(notice([decided], "西市监〔2024〕66号", POLICY))


def test_an_early_failure_is_listed_with_the_grace_it_starts_after_the_term_end() -> None:
    """A failure recorded before the term end (2024-06-09) keeps the term; the results notice names the 保留资格 it
    gives from the day after (to the later of the term end and a year from the failure)."""
    text = GRACE.read_text(encoding="utf-8").replace("2024-07-01", "2024-05-01")
    text = text[: text.index("  - date: 2024-12-02")]
    [decided] = decision([(_record(text), None)], "西市监〔2024〕40号", POLICY)  # type: ignore[list-item]
    assert (decided.status.status, decided.status.grace_until) == ("conditional", date(2025, 4, 30))
    body = Document(io.BytesIO(notice([decided], "西市监〔2024〕40号", POLICY)))
    cells = [c.text for t in body.tables for row in t.rows for c in row.cells]
    assert "未通过，保留资格" in cells and "2025年4月30日" in cells



@pytest.mark.office
def test_the_printed_decision_states_the_samples_violation(tmp_path: Path) -> None:
    """The sample revocation 西市监〔2021〕3号 (a violation in conduct.violations) rendered by LibreOffice: the facts
    paragraph as printed names what, when and whose document."""
    import re
    import subprocess

    from tests.helpers import required, scratch_checkout, tool
    from tests.sitekit import ipreg

    required("LibreOffice (libreoffice-writer-nogui)", tool("soffice"))
    required("pdftotext (poppler-utils)", tool("pdftotext"))
    repo = scratch_checkout(tmp_path / "repo")
    result = ipreg(repo, "docs", "--today", "2026-11-25", "-o", "out", "--kind", "notice", "--document", "西市监〔2021〕3号")
    assert result.returncode == 0, result.stderr
    (pdf,) = (repo / "out").glob("*.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))  # the lines and pages joined, page numbers dropped
    assert "2020年11月16日，因仓储违规引发火灾被处以罚款并责令停产整顿（西平县应急管理局（示例），西应急罚〔2020〕示例7号）。" in flat
    assert "上述行为发生在你单位知识产权强企有效期内（2018年3月1日至2021年2月28日）" in flat
