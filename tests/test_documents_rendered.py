"""The documents as the document office sees them: rendered through LibreOffice and read back page by page (pdftotext
with positions, pdffonts). The signature never stands alone, each 附件 starts a page, no code, date or number is broken
in a table cell, the 版记 sits at the foot of the last, even page, the fonts are serif CJK faces, and a certificate is one
page. Skipped on a developer's machine without LibreOffice and poppler-utils, a failure in CI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import required, tool
from tests.sitekit import ipreg
from tests.test_documents import DOC, REVIEW_DUE, SITE, TODAY, UNDER_REVIEW, decided_registry

pytestmark = pytest.mark.office

ORGAN = "西平县市场监督管理局"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    required("LibreOffice (libreoffice-writer-nogui)", tool("soffice"))
    required("pdftotext (poppler-utils)", tool("pdftotext"))
    return decided_registry(tmp_path_factory.mktemp("rendered") / "repo")


def _pdf(repo: Path, out: str, *args: str) -> Path:
    result = ipreg(repo, "docs", "--today", TODAY, "-o", out, *args, env={"IPREG_SITE_URL": SITE})
    assert result.returncode == 0, result.stderr
    (pdf,) = (repo / out).glob("*.pdf")
    return pdf


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"[ \t]+", " ", page) for page in text.split("\f")[:-1]]


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def _words_y(pdf: Path, page: int, word: str) -> tuple[float, float]:
    """(top of the first word containing ``word`` on ``page``, page height) in points."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html)[1])  # type: ignore[index]
    for y, text in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html):
        if word in text:
            return float(y), height
    raise AssertionError(f"{word} not on page {page}")


def test_notice_pages_as_the_document_office_checks_them(repo: Path) -> None:
    pdf = _pdf(repo, "out-notice", "--kind", "notice", "--document", DOC)
    pages = _pages(pdf)
    assert len(pages) % 2 == 0, len(pages)  # the 版记 is on the last page, an even one
    first_signed = next(i for i, page in enumerate(pages) if ORGAN in _lines(page))  # the 署名 line itself
    body = _lines(pages[first_signed])
    assert any("特此通知" in line for line in body)  # the 署名 never stands alone on its page
    attachment = next(i for i, page in enumerate(pages) if _lines(page) and _lines(page)[0] == "附件")
    assert attachment > first_signed  # the list is an 附件 on its own page
    flat = pages[attachment].replace(" ", "")
    for value in (REVIEW_DUE, UNDER_REVIEW, "2029年11月19日"):
        assert value in flat, value  # no code or date broken inside its cell
    last = _lines(pages[-1])
    assert any(line.startswith("抄送：") for line in last) and any("印发" in line for line in last)
    y, height = _words_y(pdf, len(pages), "印发")
    assert y > 0.7 * height  # at the foot of the page


def _broken_tokens(pages: list[str]) -> list[str]:
    """Codes, numbers and dates of the body broken at a line end ("91411721MA45A01" / "261", "20" / "21 年")."""
    broken = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip() and "│" not in line]
        for this, after in zip(lines, lines[1:], strict=False):
            if re.search(r"[0-9A-Z]$", this) and re.match(r"[0-9A-Z]", after) and not re.fullmatch(r"—\s*\d+\s*—", after):
                broken.append(f"{this[-12:]} / {after[:12]}")
    return broken


def _number(page: str) -> str | None:
    found = re.findall(r"—\s*(\d+)\s*—", page)
    return found[-1] if found else None


@pytest.mark.parametrize("document", [DOC, "西市监〔2021〕3号", "西市监〔2025〕47号"])
def test_the_imprint_is_on_an_even_last_page_numbered_as_gbt_9704_says(repo: Path, document: str) -> None:
    """7.5: the 版记 is on the back of the last sheet; after a blank page neither page is numbered, otherwise it is."""
    pdf = _pdf(repo, f"out-imprint-{document[-4:]}", "--kind", "notice", "--document", document)
    pages = _pages(pdf)
    assert len(pages) % 2 == 0 and "抄送：" in pages[-1], [p[-80:] for p in pages]
    for i, page in enumerate(pages[:-2], 1):
        assert _number(page) == str(i), (i, page[-60:])
    assert not _broken_tokens(pages)
    if not _lines(pages[-2]):  # a blank page before the 版记
        assert _number(pages[-1]) is None and _number(pages[-2]) is None
    else:
        assert _number(pages[-1]) == str(len(pages))


def test_the_pdf_uses_serif_chinese_faces(repo: Path) -> None:
    required("pdffonts (poppler-utils)", tool("pdffonts"))
    pdf = _pdf(repo, "out-fonts", "--kind", "notice", "--document", DOC)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Serif" in fonts or "FangSong" in fonts or "SimSun" in fonts, fonts


def test_review_letters_keep_their_signature_with_the_text(repo: Path) -> None:
    pdf = _pdf(repo, "out-letters", "--kind", "review-letters", "--within", "400", "--document", "西市监函〔2026〕12号")
    pages = _pages(pdf)
    signed = [page for page in pages if ORGAN in _lines(page)[2:]]  # a 署名 line (the letterhead is the first line)
    assert len(signed) == 6  # six letters, each signed once
    for page in signed:
        assert "联系人" in page, page  # the last paragraph stays with the signature
    assert not any(re.search(r"GB/T\s*\d+\s*\n", page) for page in pages)  # no number broken at a line end
    firsts = [page for page in pages if "参加知识产权强企复核的函" in page]
    assert len(firsts) == 6
    for page in firsts:  # 信函格式: the organ's name on top, the 文号 under it, no page number on a letter's first page
        lines = _lines(page)
        assert lines[0] == ORGAN and re.fullmatch(r"西市监函〔2026〕1[2-7] ?号", lines[1]), lines[:2]
        assert not re.search(r"—\s*\d+\s*—", page)


def test_a_certificate_is_one_page(repo: Path) -> None:
    pdf = _pdf(repo, "out-cert", "--kind", "certificates", "--document", DOC)
    pages = _pages(pdf)
    assert len(pages) == 2 and all("特发此证" in page for page in pages)
    assert all(not re.search(r"—\s*\d+\s*—", page) for page in pages)  # no page number


def _ink(pdf: Path, page: int, tmp: Path) -> tuple[list[tuple[float, float]], list[tuple[float, float]], float]:
    """The bands of red and of black ink on a rendered page, top to bottom, in mm from the top edge; and the width in
    mm of the widest red row."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "144", "-f", str(page), "-l", str(page), "-png", str(pdf), str(tmp / "page")], check=True)
    (png,) = tmp.glob("page*.png")
    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None

    def bands(ink: object) -> list[tuple[float, float]]:
        rows = [y for y in range(height) if any(ink(*pixels[x, y]) for x in range(0, width, 2))]  # type: ignore[operator]
        out: list[tuple[float, float]] = []
        for y in rows:
            if out and y == round(out[-1][1] / 297 * height) + 1:
                out[-1] = (out[-1][0], y / height * 297)
            else:
                out.append((y / height * 297, y / height * 297))
        return out

    def red(r: int, g: int, b: int) -> bool:
        return r > 180 and g < 80 and b < 80

    reds = bands(red)
    widest = max(sum(red(*pixels[x, y]) for x in range(width)) for y in range(height) if red(*pixels[width // 2, y]))
    return reds, bands(lambda r, g, b: r < 90 and g < 90 and b < 90), widest / width * 210


def test_the_banner_measures_as_gbt_9704(repo: Path, tmp_path: Path) -> None:
    """7.2.4: the top of the 发文机关标志 35 mm below the 版心 (37 mm from the paper's top edge); 7.2.7: the red rule
    4 mm under the 发文字号 and as wide as the 版心 (156 mm). Measured on the printed page, within 1 mm."""
    pdf = _pdf(repo, "out-banner", "--kind", "notice", "--document", DOC)
    reds, blacks, rule_width = _ink(pdf, 1, tmp_path)
    mark, rule = reds[0], reds[1]
    assert abs(mark[0] - (37 + 35)) <= 1, reds
    number = [band for band in blacks if mark[1] < band[0] < rule[0]][-1]  # the 发文字号, between the 标志 and the rule
    assert abs(rule[0] - number[1] - 4) <= 1, (number, rule)
    assert abs(rule_width - 156) <= 1.5, rule_width


def test_the_letterhead_measures_as_gbt_9704(repo: Path, tmp_path: Path) -> None:
    """10.1 信函格式: the organ's name with its top 30 mm from the top edge, a red double rule about 4 mm under it and
    another 20 mm above the bottom edge; within 1 mm on the printed page."""
    pdf = _pdf(repo, "out-letterhead", "--kind", "review-letters", "--within", "400")
    reds, _, _ = _ink(pdf, 1, tmp_path)
    name, top_rule, bottom_rule = reds[0], reds[1], reds[-1]
    assert abs(name[0] - 30) <= 1, reds
    assert abs(top_rule[0] - name[1] - 4) <= 1, reds
    assert abs(297 - bottom_rule[1] - 20) <= 1, reds
