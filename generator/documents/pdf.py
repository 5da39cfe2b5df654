"""Word files to PDF through LibreOffice (ipreg docs): a private profile, a temporary folder, a new file next
to the .docx; 仿宋/宋体/小标宋 rendered with Noto Serif CJK SC (黑体 with Noto Sans CJK SC) where the official fonts are
missing, through fontconfig aliases, and the substitution said, never silent."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.documents.layout import OFFICIAL_FONTS

# fontconfig aliases for LibreOffice on Linux: the official faces where they are installed, a serif CJK face where not
_FONTCONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""


_SERIF = ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312", "宋体", "SimSun", "方正小标宋简体", "方正小标宋_GBK", "华文中宋")


_SANS = ("黑体", "SimHei")

# blank pages a section break inserts are printed too: the 版记 stays on the back of the last sheet
_PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
_LOCATE_FILTER = ('pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"},'
                  '"ExportBookmarks":{"type":"boolean","value":"true"}}')  # where a paragraph is: its bookmark


def _fontconf(folder: Path) -> Path:
    aliases = []
    for names, fallback in ((_SERIF, "Noto Serif CJK SC"), (_SANS, "Noto Sans CJK SC")):
        for name in names:
            aliases.append(f"  <alias binding=\"same\"><family>{name}</family><accept><family>{fallback}</family></accept></alias>")
    path = folder / "fonts.conf"
    path.write_text(_FONTCONF.format(aliases="\n".join(aliases)), encoding="utf-8")
    return path


def for_libreoffice(docx: bytes) -> bytes:
    """The copy of a .docx that LibreOffice renders as Word does: LibreOffice (7.4 to 25.x, writerfilter) reads
    ``w:overflowPunct`` the wrong way round (val 0, "no punctuation past the text edge" in Word, turns hanging
    punctuation on), so the copy says 1 where the document says 0."""
    import io
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename in ("word/document.xml", "word/styles.xml"):
                data = data.replace(b'<w:overflowPunct w:val="0"/>', b'<w:overflowPunct w:val="1"/>')
            target.writestr(item, data)
    return out.getvalue()


def missing_fonts() -> list[str]:
    """The official fonts this machine lacks (fc-list), so a PDF made here shows a substitute."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return list(OFFICIAL_FONTS)
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return list(OFFICIAL_FONTS)
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return [f for f in OFFICIAL_FONTS if f not in families]


def to_pdf(docx: Path, environ: Mapping[str, str]) -> str:
    """Convert with LibreOffice when installed (a private profile, a temporary folder, then a new file next to the
    .docx), 仿宋/宋体/小标宋 rendered with Noto Serif CJK SC where the official fonts are missing; what happened, in
    Chinese (a substitution is said, never silent)."""
    import shutil
    import subprocess
    import tempfile

    from generator.files import Exists, write_new

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return (
            f"未安装 LibreOffice，只生成了 {docx.name}（用 Word 或 WPS 打开后可另存为 PDF；"
            "Debian：apt-get install libreoffice-writer-nogui fonts-noto-cjk）"
        )
    with tempfile.TemporaryDirectory(prefix="ipreg-pdf-") as tmp:
        env = {**environ, "FONTCONFIG_FILE": str(_fontconf(Path(tmp)))}
        copy = Path(tmp) / "copy" / docx.name
        copy.parent.mkdir()
        copy.write_bytes(for_libreoffice(docx.read_bytes()))
        try:
            result = subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", _PDF_FILTER, "--outdir", tmp,
                 str(copy)],
                capture_output=True,
                timeout=300,
                check=False,
                env=env,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"未能转换 PDF（{exc}），{docx.name} 已生成"
        produced = Path(tmp) / (docx.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            return f"未能转换 PDF（LibreOffice 返回 {result.returncode}），{docx.name} 已生成"
        target = docx.with_suffix(".pdf")
        try:
            write_new(target, produced.read_bytes())
        except Exists:
            return f"未写入 {target.name}：文件已存在，没有覆盖"
    missing = missing_fonts()
    if missing:
        return (f"已生成 {target}（本机没有 {'、'.join(missing)}，PDF 中用 Noto 思源字体代替；正式印发请在装有公文字体的电脑上"
                "用 Word 或 WPS 打开 .docx 打印）")
    return f"已生成 {target}"


def locate(data: bytes, environ: Mapping[str, str]) -> tuple[int, float] | None:
    """Where LibreOffice lays out the first paragraph at outline level 1 of ``data`` (a .docx), with the fonts ``to_pdf``
    uses: (its page, counted from 1; the top of the paragraph in mm from the top edge of the paper), read from the
    bookmark LibreOffice exports for it; None without LibreOffice or when it fails. The 版记 is placed by it
    (``tables.imprint``)."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ipreg-pages-") as tmp:
        source = Path(tmp) / "pages.docx"
        source.write_bytes(for_libreoffice(data))
        env = {**environ, "FONTCONFIG_FILE": str(_fontconf(Path(tmp)))}
        try:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", _LOCATE_FILTER,
                            "--outdir", tmp, str(source)], capture_output=True, timeout=300, check=False, env=env)
        except (OSError, subprocess.TimeoutExpired):
            return None
        produced = Path(tmp) / "pages.pdf"
        return bookmark(produced.read_bytes()) if produced.is_file() else None


def bookmark(pdf: bytes) -> tuple[int, float] | None:
    """The first bookmark of a PDF written by LibreOffice: (page from 1, top in mm from the paper's top edge)."""
    import re

    dest = re.search(rb"/Dest\s*\[\s*(\d+)\s+0\s+R\s*/XYZ\s+[-\d.]+\s+([-\d.]+)", pdf)
    kids = re.search(rb"/Type\s*/Pages\b[^>]*?/Kids\s*\[([^\]]*)\]", pdf) or re.search(rb"/Kids\s*\[([^\]]*)\]", pdf)
    height = re.search(rb"/MediaBox\s*\[\s*[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([-\d.]+)\s*\]", pdf)
    if dest is None or kids is None or height is None:
        return None
    pages = [int(n) for n in re.findall(rb"(\d+)\s+0\s+R", kids[1])]
    if int(dest[1]) not in pages:
        return None
    return pages.index(int(dest[1])) + 1, (float(height[1]) - float(dest[2])) / 72 * 25.4
