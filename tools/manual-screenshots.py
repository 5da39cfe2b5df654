"""Renew the pictures of the clerks' manual (manual/img/*.png) from the real program.

    .venv/bin/python tools/manual-screenshots.py [--out manual/img]

Works on a scratch copy of the sample records (tests/samples), never on records/: starts ``ipreg admin`` there and
photographs the form editor with Playwright and headless Chromium (1366 x 800 and 360 px wide), makes the
applicant's workbook (ipreg form) and a notice (ipreg docs) and renders their first pages with LibreOffice and
pdftoppm. Needs what ``make test`` needs (tools/install-test-deps). Each PNG is reduced to a 256-colour palette.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "samples"
TODAY = "2026-11-25"
LINKED = ("mkdocs.yml", "docs", "overrides", "schemas", "texts", "generator")
RECORD = "91411721MA45A0038J"


def scratch(folder: Path) -> Path:
    repo = folder / "登记簿"
    repo.mkdir()
    for name in LINKED:
        (repo / name).symlink_to(ROOT / name)
    (repo / "tools").mkdir()
    (repo / "tools" / "admin").symlink_to(ROOT / "tools" / "admin")
    shutil.copy(SAMPLES / "policy.yml", repo / "policy.yml")
    shutil.copytree(SAMPLES / "records", repo / "records")
    return repo


def env() -> dict[str, str]:
    return {**os.environ, "IPREG_TODAY": TODAY, "PYTHONPATH": str(ROOT)}


def ipreg(repo: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo, env=env(), check=True, stdout=subprocess.DEVNULL)


def small(path: Path, crop: bool = False) -> None:
    """A 256-colour palette; ``crop``: only the printed part of the page, with a margin."""
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        box = ImageOps.invert(rgb.convert("L")).getbbox() if crop else None
        if box:
            rgb = rgb.crop((max(box[0] - 24, 0), max(box[1] - 24, 0), min(box[2] + 24, rgb.width), min(box[3] + 24, rgb.height)))
        reduced = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


def page_with(pdf: Path, text: str, after: int = 0) -> int:
    """The first page after page ``after`` of ``pdf`` that shows ``text`` (pdftotext separates pages with form feeds)."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    return next((number for number, page in enumerate(pages, start=1) if number > after and text in page), 1)


def pdf_page(pdf: Path, out: Path, width: int = 1000, page: int = 1, crop: bool = False) -> None:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-f", str(page), "-l", str(page), "-singlefile", "-scale-to-x", str(width), "-scale-to-y", "-1",
                    str(pdf), str(stem)], check=True)
    small(out, crop)


def office_shots(repo: Path, out: Path, work: Path) -> None:
    ipreg(repo, "form", "-o", str(work / "申报表.xlsx"))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(work / "申报表.xlsx")],
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "HOME": str(work)})
    sheet = page_with(work / "申报表.pdf", "商业秘密保护措施", after=1)  # the 知识产权 sheet, after the instructions page
    pdf_page(work / "申报表.pdf", out / "workbook.png", 1500, sheet, crop=True)
    for kind, name in (("notice", "notice.png"), ("certificates", "certificate.png")):
        target = work / kind
        ipreg(repo, "docs", "--kind", kind, "--document", "西市监[2024]18号", "--draft", "-o", str(target))
        pdf = sorted(target.rglob("*.pdf"))[0]
        pdf_page(pdf, out / name, 700)
        if kind == "notice":  # the list of enterprises is the annex on the last page
            pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            last = int(re.search(r"Pages:\s+(\d+)", pages).group(1))  # type: ignore[union-attr]
            pdf_page(pdf, out / "notice-annex.png", 700, page_with(pdf, "序号") if last > 1 else 1)


def editor_shots(repo: Path, out: Path, browser_path: str) -> None:
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "-m", "generator", "admin", "--no-browser", "--port", "0"], cwd=repo, env=env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert server.stdout is not None
    match = re.search(r"http://127\.0\.0\.1:\d+/admin/", server.stdout.readline())
    try:
        if not match:
            raise SystemExit("ipreg admin 没有启动")
        url = match.group(0)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
            wide = _open(browser, url, 1366, 800)
            wide.screenshot(path=str(out / "editor-list.png"))
            wide.goto(url + f"#/collections/records/entries/{RECORD}")
            wide.get_by_text("企业名称").first.wait_for(timeout=15_000)
            wide.wait_for_timeout(1500)
            wide.screenshot(path=str(out / "editor-record.png"))
            _refused_save(wide, out)
            narrow = _open(browser, url, 360, 740)
            narrow.goto(url + f"#/collections/records/entries/{RECORD}")
            narrow.get_by_text("企业名称").first.wait_for(timeout=15_000)
            narrow.wait_for_timeout(1500)
            narrow.screenshot(path=str(out / "editor-record-360.png"))
            browser.close()
    finally:
        server.terminate()
        server.communicate(timeout=10)
    for name in ("editor-list.png", "editor-record.png", "editor-refused.png", "editor-record-360.png"):
        if (out / name).exists():
            small(out / name)


def _open(browser: Any, url: str, width: int, height: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.get_by_role("button").first.click(timeout=15_000)  # 登录 (the local backend)
    page.get_by_text("企业备案记录").first.wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    return page


def _refused_save(page: Any, out: Path) -> None:
    """An event dated before the previous one: the save is refused with the check's message."""
    page.locator("button", has_text="新增备案事件").click()
    target = page.locator("label", has_text=re.compile("^日期")).last.get_attribute("for")
    page.locator(f"[id='{target}']").fill("2020-01-01")
    kind = page.locator("label", has_text=re.compile("^事件类型")).last.get_attribute("for")
    page.locator(f"[id='{kind}']").click(force=True)
    page.keyboard.type("复核通过")
    page.keyboard.press("Enter")
    page.get_by_text("发布", exact=True).first.click()
    page.get_by_text("立即发布").first.click()
    page.wait_for_timeout(3000)
    page.screenshot(path=str(out / "editor-refused.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description="重新生成操作手册的截图（manual/img/）")
    parser.add_argument("--out", type=Path, default=ROOT / "manual" / "img")
    parser.add_argument("--browser", default=shutil.which("chromium") or shutil.which("google-chrome") or "")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        repo = scratch(work)
        office_shots(repo, args.out, work)
        if not args.browser:
            raise SystemExit("没有找到 Chromium：apt-get install chromium，或用 --browser 指定")
        editor_shots(repo, args.out, args.browser)
    for png in sorted(args.out.glob("*.png")):
        print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
