"""The clerks' manual (manual/): one chapter per task, each in the same three parts; every picture and link resolves;
the pictures are the small PNGs tools/manual-screenshots.py takes; the manual stays out of the public site."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

MANUAL = ROOT / "manual"
CHAPTERS = sorted(MANUAL.glob("0*.md"))
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_one_chapter_per_task_of_the_year_each_from_what_the_clerk_sees() -> None:
    titles = [p.read_text(encoding="utf-8").splitlines()[0] for p in CHAPTERS]
    for task in ("安装与启动", "导入已有名单", "受理申报", "网页表单", "检查结果", "备案决定与公文", "复核", "撤销", "年终统计"):
        assert any(task in t for t in titles), task
    for chapter in CHAPTERS:
        headings = re.findall(r"(?m)^## (.+)$", chapter.read_text(encoding="utf-8"))
        assert headings[0] == "您会看到" and "步骤" in headings and headings[-1].startswith("检查说不行时"), (chapter.name, headings)
    index = (MANUAL / "README.md").read_text(encoding="utf-8")
    assert all(f"({p.name})" in index for p in CHAPTERS)


def test_every_link_and_picture_resolves_and_each_picture_is_used() -> None:
    used: set[Path] = set()
    for page in [*MANUAL.glob("*.md"), ROOT / "README.md", ROOT / "CONTRIBUTING.md"]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "#", "mailto:")):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.exists(), (page.name, target)
            used.add(path)
    pictures = set((MANUAL / "img").glob("*.png"))
    assert pictures and {p.resolve() for p in pictures} <= used


def test_pictures_are_small_and_taken_at_the_sizes_the_script_uses() -> None:
    for picture in (MANUAL / "img").glob("*.png"):
        assert picture.stat().st_size < 150_000, picture.name
    assert _png_size(MANUAL / "img" / "editor-record.png") == (1366, 800)
    assert _png_size(MANUAL / "img" / "editor-record-360.png")[0] == 360
    script = (ROOT / "tools" / "manual-screenshots.py").read_text(encoding="utf-8")
    assert "1366, 800" in script and "360, 740" in script and "tests\" / \"samples" in script


def test_the_manual_is_not_published_and_is_linked_for_it_and_contributors() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506 - !ENV tags
    assert config["docs_dir"] == "docs" and not (ROOT / "docs" / "manual").exists()
    assert "manual/README.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "manual/README.md" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_the_commands_the_manual_names_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for chapter in MANUAL.glob("*.md"):
        for command in set(re.findall(r"ipreg ([a-z]+)", chapter.read_text(encoding="utf-8"))):
            assert f"`ipreg {command}" in readme, (chapter.name, command)
    for starter in ("启动表单编辑器.bat", "检查记录.bat", "生成公文.bat"):
        assert (ROOT / starter).is_file()


@pytest.mark.browser
def test_the_manual_prints_to_one_pdf(tmp_path: Path) -> None:
    """make manual-pdf: every chapter in one A4 PDF, pictures included (tools/manual-pdf.py through headless Chromium)."""
    import subprocess
    import sys

    from tests.helpers import browser_path, required

    required("Chromium or Chrome", browser_path())
    pdf = tmp_path / "manual.pdf"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "manual-pdf.py"), "-o", str(pdf)], capture_output=True, text=True,
                            timeout=180, check=False)
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.count("\f")
    assert pages >= 12, pages
    for chapter in CHAPTERS:
        title = chapter.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        assert title in text.replace(" ", ""), title
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) - 2 >= len(list((MANUAL / "img").glob("*.png")))
