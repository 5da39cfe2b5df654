"""Print the clerks' manual (manual/*.md) to one PDF: ``make manual-pdf`` (or .venv/bin/python tools/manual-pdf.py [-o manual.pdf]).

The chapters in order, as one HTML page (Python-Markdown, which MkDocs already installs), printed by headless
Chromium (--print-to-pdf, A4). Needs Chromium (tools/install-test-deps installs it); the PDF is not committed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import markdown  # type: ignore[import-untyped]  # installed with MkDocs; no stubs in the dev lock

ROOT = Path(__file__).resolve().parents[1]
MANUAL = ROOT / "manual"
STYLE = """@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10.5pt; line-height: 1.6; }
h1 { page-break-before: always; font-size: 18pt; } h1:first-of-type { page-break-before: avoid; }
img { max-width: 100%; max-height: 120mm; border: 1px solid #ccc; display: block; margin: 4mm auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 1mm 2mm; vertical-align: top; }
pre, code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 9pt; white-space: pre-wrap; }"""


def chapters() -> list[Path]:
    return [MANUAL / "README.md", *sorted(p for p in MANUAL.glob("*.md") if p.name != "README.md")]


def page() -> str:
    parts = []
    for chapter in chapters():
        text = chapter.read_text(encoding="utf-8")
        text = re.sub(r"\]\((img/[^)]+)\)", lambda m: f"]({(MANUAL / m.group(1)).as_uri()})", text)
        parts.append(markdown.markdown(text, extensions=["tables", "pymdownx.superfences"]))
    head = f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>操作手册</title><style>{STYLE}</style>'
    return head + "<body>" + "".join(parts) + "</body></html>"


def main() -> int:
    parser = argparse.ArgumentParser(description="把操作手册打印成一个 PDF")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "manual.pdf")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("google-chrome") or shutil.which("chromium-browser")
    if not browser:
        print("没有找到 Chromium 或 Chrome：请先安装（Debian：apt-get install chromium）", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "manual.html"
        html.write_text(page(), encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={args.output.resolve()}", html.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"已生成 {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
