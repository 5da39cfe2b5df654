"""The vendored Decap CMS (tools/admin/decap/) checked against its manifest ``SHA256SUMS`` before it is served or exported.

``SHA256SUMS`` is in ``sha256sum`` format (``<hex>  <name>``, sorted by name; lines starting with ``#`` are comments,
which ``sha256sum -c`` skips too) and lists every file as ipreg serves it: the release's chunks ``*.decap-cms.js``
unchanged, and ``decap-cms.js`` with tools/admin/decap.patch applied. The comments record the npm tarball's integrity
and the release's own SHA-256 of ``dist/decap-cms.js``. tools/admin/vendor-decap.py writes it from the files it
downloaded and verified; a file that is not listed, or differs from its line, is not served and not exported.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

MANIFEST = "SHA256SUMS"
NOT_SERVED = frozenset({MANIFEST, "README.txt"})  # in the folder, not in the manifest, never served as a script
NAME = re.compile(r"[0-9A-Za-z._-]+\.js")
LINE = re.compile(r"([0-9a-f]{64})  ([0-9A-Za-z._-]+\.js)")
RELEASE = re.compile(r"# release sha256 ([0-9a-f]{64})  dist/decap-cms\.js")
INTEGRITY = re.compile(r"# npm ([0-9A-Za-z.@_-]+\.tgz) integrity (sha512-[0-9A-Za-z+/=]+)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> tuple[dict[str, str], list[str]]:
    """name -> SHA-256 of every line of ``folder/SHA256SUMS``, and what is wrong with the file (Chinese)."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}, [f"{path} 不存在或读不出来：无法确认 Decap 的文件是发布版原样，请重新运行 tools/admin/vendor-decap.py"]
    entries: dict[str, str] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = LINE.fullmatch(line)
        if not match:
            problems.append(f"{MANIFEST} 第 {number} 行格式不对（应为“64 位十六进制 SHA-256、两个空格、文件名”）")
        elif match.group(2) in entries:
            problems.append(f"{MANIFEST} 第 {number} 行：{match.group(2)} 重复列出")
        else:
            entries[match.group(2)] = match.group(1)
    if not entries and not problems:
        problems.append(f"{MANIFEST} 没有列出任何文件")
    return entries, problems


def verify(folder: Path) -> list[str]:
    """What keeps ``folder`` from being exactly the files its manifest lists (Chinese; [] when it is): a changed file,
    a listed file missing, a file (or folder) present but not listed, a malformed manifest."""
    entries, problems = read_manifest(folder)
    if not entries:
        return problems
    for name, digest in sorted(entries.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} 列在 {MANIFEST} 中，但文件夹里没有这个文件")
        elif sha256(path.read_bytes()) != digest:
            problems.append(f"{name} 与 {MANIFEST} 记录的 SHA-256 不符：文件被改动过，不是发布版（及 decap.patch）原样")
    for path in sorted(folder.iterdir()):
        if path.name not in entries and path.name not in NOT_SERVED:
            problems.append(f"{path.name} 在文件夹里，但不在 {MANIFEST} 中：不是随发布版取得的文件")
    return problems


def asset(folder: Path, name: str) -> bytes | None:
    """The bytes of ``folder/name`` if ``name`` (a bare ``*.js`` file name) is listed in ``folder/SHA256SUMS`` and the
    file's SHA-256 is the listed one; None otherwise (not listed, missing, changed, no or malformed manifest). The bytes
    returned are the ones hashed: serve them, do not read the file again."""
    if not NAME.fullmatch(name):
        return None
    entries, _ = read_manifest(folder)
    if name not in entries:
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    return data if sha256(data) == entries[name] else None


def manifest_text(version: str, tarball: str, integrity: str, release_sha256: str, files: dict[str, bytes]) -> str:
    """``SHA256SUMS`` for ``files`` (name -> bytes as served) of decap-cms ``version``."""
    lines = [
        f"# decap-cms {version} as ipreg serves it: written by tools/admin/vendor-decap.py; check with `sha256sum -c {MANIFEST}`",
        "# (in this folder) or tests/test_admin.py. The chunks are the release's dist/*.decap-cms.js unchanged; decap-cms.js",
        "# is the release's dist/decap-cms.js with tools/admin/decap.patch applied. See README.txt.",
        f"# npm {tarball} integrity {integrity}",
        f"# release sha256 {release_sha256}  dist/decap-cms.js",
    ]
    lines += [f"{sha256(files[name])}  {name}" for name in sorted(files)]
    return "\n".join(lines) + "\n"
