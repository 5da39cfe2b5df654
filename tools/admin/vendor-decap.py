"""Vendor Decap CMS into tools/admin/decap/ from the npm registry, at the version named in tools/admin/package.json
("vendored": {"decap-cms": VERSION}), and apply the changes of tools/admin/decap.patch.

usage: python tools/admin/vendor-decap.py      (needs npm and the npm registry; run on a developer's machine)
       python tools/admin/vendor-decap.py --manifest-only   (offline: after decap.patch and decap-cms.js changed)

The tarball's sha512 is checked against the integrity the registry publishes (`npm view decap-cms@VERSION
dist.integrity`) and the one npm pack reports. Only dist/decap-cms.js and its lazily loaded chunks dist/*.decap-cms.js
are copied; the files the previous run copied are removed first (nothing else in the folder is touched). The folder's
SHA256SUMS is then written from the release's bytes (generator/editor/vendored.py: ipreg serves and exports only the files it
lists, unchanged): every chunk, decap-cms.js as patched, and, as comments, the tarball's integrity and the release's
SHA-256 of dist/decap-cms.js. That SHA-256 is also printed, to be written into decap.patch when the version changes.

--manifest-only rewrites only decap-cms.js's line of SHA256SUMS, from the file in the folder, when the patch changed
(tests/test_admin.py::test_vendored_decap_is_the_release_plus_its_patch ties that file to the release): it refuses
when a chunk differs from its line or decap.patch names another release than SHA256SUMS (then run the full update).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "decap"
sys.path.insert(0, str(HERE.parents[1]))  # generator.editor.vendored, the manifest's one definition


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


def npm_pack(version: str, tmp: str) -> tuple[Path, str]:
    """The release's tarball in ``tmp``, its integrity checked three ways: registry, npm pack, our own sha512."""
    command = ["npm", "pack", f"decap-cms@{version}", "--json", "--silent"]
    packed = subprocess.run(command, cwd=tmp, check=True, capture_output=True, text=True)
    [info] = json.loads(packed.stdout)
    command = ["npm", "view", f"decap-cms@{version}", "dist.integrity", "--json"]
    published = subprocess.run(command, check=True, capture_output=True, text=True)
    tarball = Path(tmp) / info["filename"]
    ours = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode("ascii")
    if not ours == info["integrity"] == json.loads(published.stdout):
        raise SystemExit(f"{tarball.name}: sha512 {ours}, npm pack {info['integrity']}, registry {published.stdout.strip()}: stop")
    print(f"{tarball.name}: integrity {ours} (as the registry publishes)")
    return tarball, ours


def main() -> int:
    from generator.editor.vendored import MANIFEST, manifest_text

    if sys.argv[1:] == ["--manifest-only"]:
        return manifest_only()
    version = json.loads((HERE / "package.json").read_text(encoding="utf-8"))["vendored"]["decap-cms"]
    meta, pairs = read_patch()
    with tempfile.TemporaryDirectory() as tmp:
        tarball, integrity = npm_pack(version, tmp)
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
        served = {chunk.name: chunk.read_bytes() for chunk in dist.glob("*.decap-cms.js")}
        for name, data in served.items():
            (TARGET / name).write_bytes(data)
        served["decap-cms.js"] = apply(original.decode("utf-8"), pairs).encode("utf-8")
        (TARGET / "decap-cms.js").write_bytes(served["decap-cms.js"])
        (TARGET / MANIFEST).write_text(manifest_text(version, tarball.name, integrity, digest, served), encoding="utf-8")
    print(f"vendored decap-cms {version} into {TARGET} ({len(served)} files in {MANIFEST})")
    print("update README.txt and decap.patch's version if it changed")
    return 0


def manifest_only() -> int:
    from generator.editor.vendored import MANIFEST, RELEASE, read_manifest, sha256

    entries, problems = read_manifest(TARGET)
    text = (TARGET / MANIFEST).read_text(encoding="utf-8") if entries else ""
    release = RELEASE.search(text)
    patched = re.search(r"^# original sha256: ([0-9a-f]{64})$", (HERE / "decap.patch").read_text(encoding="utf-8"), re.MULTILINE)
    if not release or not patched or release.group(1) != patched.group(1):
        problems.append(f"decap.patch's original sha256 is not {MANIFEST}'s release sha256: run the full update")
    chunks = sorted(TARGET.glob("*.decap-cms.js"))
    problems += [f"{c.name} is not its line of {MANIFEST}" for c in chunks if entries.get(c.name) != sha256(c.read_bytes())]
    problems += [f"{name} is listed but missing" for name in entries if name != "decap-cms.js" and not (TARGET / name).is_file()]
    if problems:
        raise SystemExit("--manifest-only: " + "; ".join(problems))
    line = f"{sha256((TARGET / 'decap-cms.js').read_bytes())}  decap-cms.js"
    comments = [x for x in text.splitlines() if x.startswith("#")]
    rows = [x for x in text.splitlines() if x.strip() and not x.startswith("#") and not x.endswith("  decap-cms.js")] + [line]
    (TARGET / MANIFEST).write_text("\n".join(comments + sorted(rows, key=lambda x: x.split("  ", 1)[1])) + "\n", encoding="utf-8")
    print(f"{MANIFEST}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
