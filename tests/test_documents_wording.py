"""What the documents say, built in the test's own process from the sample records (issue 37): the review-results
notice names each removed enterprise's cause and cites the article with its item; a certificate's name is broken
between words at every size and a name that fits at no size is refused in Chinese."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from generator.documents import notices as documents
from generator.documents.certificates import NAME_BOX_PT, NAME_SIZES, break_name, name_lines
from generator.loader import load_text
from generator.policy import default_policy
from generator.registry import build_registry
from generator.words import cut
from tests.helpers import SAMPLES

DOC = "西市监〔2026〕88号"
CONDITIONAL, UNDER_REVIEW, REVIEW_DUE = "91411721MA45A0046D", "91411721MA45A0038J", "91411721MA45A002XJ"


def _results_notice() -> str:
    """One review decision on 2026-11-20: one passed, one absent (复核中), one failed again in its grace year."""
    added = {REVIEW_DUE: "review_passed", UNDER_REVIEW: "review_absent", CONDITIONAL: "review_failed"}
    loaded = []
    for path in sorted((SAMPLES / "records").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        kind = added.get(path.stem)
        if kind:
            text = text.rstrip("\n") + f"\n  - date: 2026-11-20\n    type: {kind}\n    document: {DOC}\n"
        loaded.append(load_text(text, f"records/{path.name}"))
    policy = default_policy()
    registry = build_registry(loaded, policy, date(2026, 11, 25))
    decided = documents.decision(list(registry.records()), DOC, policy)
    doc = Document(io.BytesIO(documents.notice(decided, DOC, policy)))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_results_notice_names_each_removal_with_its_cause_and_item() -> None:
    text = _results_notice()
    body = next(line for line in text.splitlines() if line.startswith("根据"))
    assert "未参加复核或保留资格期内复核仍未通过" not in text
    assert "西平县示例牧原饲料有限公司未参加复核" in body
    assert "西平县示例精密铸造有限公司保留资格期内复核仍未通过" in body
    assert "依照《办法》第八条第三项的规定，从知识产权强企名单中撤销" in body
    assert body.startswith("根据《") and "》（西市监〔2018〕1号）第八条第二项的规定，我局组织开展了知识产权强企复核" in body
    assert "第八条的规定" not in text  # every article with its item
    assert "未参加复核，撤销" in text and "仍未通过，撤销" in text  # the list says it too


@pytest.mark.parametrize("size", NAME_SIZES)
def test_a_certificate_name_is_broken_between_words(size: int) -> None:
    name = ("西平县示例驻马店市现代农业科技发展与智能装备制造研究院暨产业技术创新战略联盟"
            "综合服务中心暨农产品深加工及冷链物流配送发展有限公司")
    lines = break_name(name, size)
    assert "".join(lines) == name
    ends, offset = set(), 0
    for word in cut(name):
        offset += len(word)
        ends.add(offset)
    assert {sum(map(len, lines[: i + 1])) for i in range(len(lines))} <= ends, lines


def test_brackets_stay_with_their_words() -> None:
    lines = break_name("西平县示例" + "（河南）智能装备制造研究院" * 6 + "有限公司", 22)
    assert not any(line.startswith(("）", "、")) or line.endswith("（") for line in lines), lines


def test_a_name_that_fits_at_no_size_is_refused_in_chinese() -> None:
    size, lines = name_lines("西平县示例科技发展有限公司", "91411721MA45A002XJ")
    assert size == NAME_SIZES[0] and lines == ["西平县示例科技发展有限公司"]
    with pytest.raises(documents.DocsError, match="排不进证书上的名称栏") as caught:
        name_lines("科技发展" * 100, "91411721MA45A002XJ")
    assert "91411721MA45A002XJ" in str(caught.value) and "400 个字" in str(caught.value)
    assert 8 * NAME_SIZES[-1] * 1.5 <= NAME_BOX_PT  # the schema's longest name (200 characters) fits: test_documents_issuable
