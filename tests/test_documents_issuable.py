"""Documents the bureau prints, stamps and sends unchanged (issue 37), read on the rendered PDF as the document office
read them: a certificate is one page for every name up to the schema's maximum, its name broken between words and
"特发此证。" closing its text; the 审核表 fits its content. Skipped without LibreOffice and poppler-utils, a failure
in CI."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.documents.certificates import name_lines
from generator.words import cut
from tests.helpers import ROOT, required, tool
from tests.sitekit import ipreg
from tests.test_documents import DOC, REVIEW_DUE, SITE, TODAY, UNDER_REVIEW, decided_registry

pytestmark = pytest.mark.office

WORDS = "西平县示例驻马店市现代农业科技发展与智能装备制造研究院暨产业技术创新战略联盟综合服务中心暨农产品深加工及冷链物流配送发展"
MAX_NAME = json.loads((ROOT / "schemas" / "enterprise.schema.json").read_text(encoding="utf-8"))["properties"]["name"]["maxLength"]


def long_name(length: int) -> str:
    """A name of ``length`` characters made of real words, ending in 有限公司."""
    body = (WORDS * (length // len(WORDS) + 1))[: length - 4]
    return body + "有限公司"


@pytest.fixture(scope="module")
def office() -> None:
    required("LibreOffice (libreoffice-writer-nogui)", tool("soffice"))
    required("pdftotext (poppler-utils)", tool("pdftotext"))


def _renamed(target: Path, names: dict[str, str]) -> Path:
    folder = decided_registry(target)
    for uscc, name in names.items():
        path = folder / "records" / f"{uscc}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^name: .*$", f"name: {name}", text, count=1), encoding="utf-8")
    return folder


def _pdf(repo: Path, out: str, *args: str) -> Path:
    result = ipreg(repo, "docs", "--today", TODAY, "-o", out, *args, env={"IPREG_SITE_URL": SITE})
    assert result.returncode == 0, result.stderr
    (pdf,) = (repo / out).glob("*.pdf")
    return pdf


def _words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words: (x, y of the top edge in mm, text)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(x) / 72 * 25.4, float(y) / 72 * 25.4, text)
                      for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)])
    return pages


def _lines(words: list[tuple[float, float, str]]) -> list[tuple[float, str]]:
    """The page's lines top to bottom: (y in mm, text without spaces)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in words:
        key = next((k for k in rows if abs(k - y) < 1.2), y)
        rows.setdefault(key, []).append((x, text))
    return [(y, "".join(t for _, t in sorted(row))) for y, row in sorted(rows.items())]


@pytest.mark.parametrize("lengths", [(60, 72), (MAX_NAME, 24)])
def test_every_certificate_is_one_page_whatever_the_name(office: None, tmp_path: Path, lengths: tuple[int, int]) -> None:
    names = {REVIEW_DUE: long_name(lengths[0]), UNDER_REVIEW: long_name(lengths[1])}
    repo = _renamed(tmp_path / "repo", names)
    pdf = _pdf(repo, "out", "--kind", "certificates", "--document", DOC)
    pages = _words(pdf)
    assert len(pages) == 2, [" ".join(t for _, _, t in page) for page in pages]
    for page, uscc in zip(pages, (REVIEW_DUE, UNDER_REVIEW), strict=True):
        name = names[uscc]
        lines = _lines(page)
        texts = [text for _, text in lines]
        # the name's lines as printed are the lines it was broken into: the renderer broke none again
        _, expected = name_lines(name, uscc)
        first = texts.index(expected[0])
        assert texts[first:first + len(expected)] == expected, texts
        breaks, offset = set(), 0
        for word in cut(name):
            offset += len(word)
            breaks.add(offset)
        ends = [sum(len(line) for line in expected[: i + 1]) for i in range(len(expected))]
        assert set(ends) <= breaks, expected  # every line ends between two words: no 发 / 展
        assert not any(a.endswith("发") and b.startswith("展") for a, b in zip(texts, texts[1:], strict=False))
        where = {text: y for y, text in lines}
        validity = next(y for y, text in lines if text.startswith("有效期："))
        closing = where["特发此证。"]
        assert validity < closing < where["西平县市场监督管理局"], lines  # 特发此证 closes the text, above the issuer
        assert not any("你单位" in text for text in texts)
        assert not any(re.fullmatch(r"—\d+—", text) for text in texts)  # no page number



def _red_runs(pdf: Path, page: int, tmp: Path) -> list[tuple[float, float]]:
    """The runs of red ink down the middle of a page rendered at 600 dpi: (top, thickness) in mm."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "600", "-f", str(page), "-l", str(page), "-png", str(pdf), str(tmp / "rules")], check=True)
    (png,) = tmp.glob("rules*.png")
    image = Image.open(png).convert("RGB")
    width, height = image.size
    column = [image.getpixel((width // 2, y)) for y in range(height)]
    runs: list[list[int]] = []
    for y, (r, g, b) in enumerate(column):  # type: ignore[misc]
        if r > 180 and g < 100 and b < 100:
            if runs and runs[-1][1] == y - 1:
                runs[-1][1] = y
            else:
                runs.append([y, y])
    return [(a / height * 297, (b - a + 1) / height * 297) for a, b in runs]


def test_the_letter_rules_are_thick_over_thin_on_top_and_thin_over_thick_below(office: None, tmp_path: Path) -> None:
    """GB/T 9704 10.1: a red double rule thick over thin under the organ's name, thin over thick 20 mm above the bottom
    edge; measured down the middle of a letter's first page."""
    repo = decided_registry(tmp_path / "repo")
    pdf = _pdf(repo, "out", "--kind", "review-letters", "--within", "400")
    runs = [run for run in _red_runs(pdf, 1, tmp_path) if run[1] < 1.5]  # the rules, not the name's strokes
    (top_a, top_b), (low_a, low_b) = runs[:2], runs[-2:]
    assert top_a[1] > 2 * top_b[1] and top_b[0] - top_a[0] < 2, runs  # thick over thin, one double rule
    assert low_b[1] > 2 * low_a[1] and low_b[0] - low_a[0] < 2, runs  # thin over thick
    assert abs(297 - (low_b[0] + low_b[1]) - 20) <= 1, runs


def test_the_review_sheet_fits_its_content(office: None, tmp_path: Path) -> None:
    """Two applicants: each on at most two pages of its own (its name at the top of each), labels whole on their line
    ("申报日期：" never split), at least 40 mm to write the 审核意见 in, no page numbers counted across applicants."""
    repo = decided_registry(tmp_path / "repo")
    with (repo / "records" / "91411721MA45A0070X.yaml").open("a", encoding="utf-8") as record:  # withdrawn, applies again
        record.write("  - date: 2026-11-01\n    type: applied\n")
    pdf = _pdf(repo, "out", "--kind", "review-sheet")
    pages = [_lines(words) for words in _words(pdf)]
    owners = [next(text for _, text in page if text.startswith("知识产权强企备案审核表：")) for page in pages]
    assert len(set(owners)) == 2 and all(owners.count(owner) <= 2 for owner in owners), owners
    assert owners == sorted(owners, key=owners.index)  # each applicant's pages together
    for page in pages:
        texts = [text for _, text in page]
        assert not any(re.fullmatch(r"—\d+—", text) for text in texts)  # no page numbers
        assert not any(a.endswith("申") and b.startswith("报日期") for a, b in zip(texts, texts[1:], strict=False))
    firsts = [[text for _, text in page] for page in pages if any(text == "知识产权强企备案审核表" for _, text in page)]
    assert len(firsts) == 2
    for texts in firsts:
        assert any(re.fullmatch(r"申报类别：知识产权\w+企业申报日期：\d{4}年\d+月\d+日", text) for text in texts), texts
    for page in pages:
        where = dict((text, y) for y, text in page)
        note = next((y for y, text in page if text.startswith("（登记簿按")), None)
        if note is not None:
            signed = next(y for y, text in page if text.startswith("审核人（签字）："))
            assert signed - note >= 40 + 5, (note, signed)  # the note's line, then at least 40 mm of room
            assert "审核意见" in where
