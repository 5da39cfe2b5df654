"""Vendor Decap CMS into tools/admin/decap/ from the npm registry, at the version named in tools/admin/package.json
("vendored": {"decap-cms": VERSION}), and apply the changes of tools/admin/decap.patch.

usage: python tools/admin/vendor-decap.py      (needs npm and the npm registry; run on a developer's machine)

Only dist/decap-cms.js and its lazily loaded chunks dist/*.decap-cms.js are copied; the files the previous run copied
are removed first (nothing else in the folder is touched). The original's SHA-256 is printed, to be written into
decap.patch when the version changes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "decap"


def read_patch() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """decap.patch: its header values and its changes, each a pair (the release's text, ipreg's text)."""
    meta: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    old: str | None = None
    for line in (HERE / "decap.patch").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and ": " in line and line[2:].split(": ", 1)[0] in ("version", "file", "original sha256"):
            key, value = line[2:].split(": ", 1)
            meta[key] = value.strip()
        elif line.startswith("--- "):
            old = line[4:]
        elif line.startswith("+++ "):
            if old is None:
                raise SystemExit("decap.patch: a '+++ ' line without its '--- ' line")
            pairs.append((old, line[4:]))
            old = None
    return meta, pairs


def apply(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        if text.count(old) != 1:
            raise SystemExit(f"decap.patch: the text to replace occurs {text.count(old)} times (must be once): update the patch\n{old}")
        text = text.replace(old, new)
    return text


def undo(text: str, pairs: list[tuple[str, str]]) -> str:
    """The release's text back from the patched one (each new text must occur once)."""
    for old, new in reversed(pairs):
        if text.count(new) != 1:
            raise SystemExit(f"decap-cms.js: the patched text occurs {text.count(new)} times (must be once)\n{new}")
        text = text.replace(new, old)
    return text


def main() -> int:
    version = json.loads((HERE / "package.json").read_text(encoding="utf-8"))["vendored"]["decap-cms"]
    meta, pairs = read_patch()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"decap-cms@{version}", "--silent"], cwd=tmp, check=True)
        [tarball] = Path(tmp).glob("decap-cms-*.tgz")
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        dist = Path(tmp) / "package" / "dist"
        original = (dist / "decap-cms.js").read_bytes()
        digest = hashlib.sha256(original).hexdigest()
        print(f"decap-cms {version}: dist/decap-cms.js sha256 {digest}")
        if meta.get("version") == version and meta.get("original sha256") != digest:
            raise SystemExit("the downloaded file is not the one decap.patch was written for: stop")
        for mine in [*TARGET.glob("*.decap-cms.js"), TARGET / "decap-cms.js"]:
            mine.unlink(missing_ok=True)
        for chunk in dist.glob("*.decap-cms.js"):
            shutil.copy2(chunk, TARGET / chunk.name)
        (TARGET / "decap-cms.js").write_text(apply(original.decode("utf-8"), pairs), encoding="utf-8")
    print(f"vendored decap-cms {version} into {TARGET}; update README.txt and decap.patch's version if it changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
