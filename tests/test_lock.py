"""The lock installs on the Pythons bureaus have: Debian 12's own python3 (3.11.2, the usual intranet server), 3.12,
3.13, and python.org's builds for Windows and macOS. pip resolves the lock for each (a dry run against the index, as
`make install` would, with every hash checked); the Makefile refuses an older Python in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow

TARGETS = [("3.11.2", None), ("3.13", None), ("3.11.2", "win_amd64"), ("3.12", "macosx_11_0_arm64")]


@pytest.mark.network
@pytest.mark.parametrize("version,platform", TARGETS)
def test_the_lock_resolves_for(version: str, platform: str | None, tmp_path: Path) -> None:
    """Both locks everywhere: the fast tier runs on Windows and macOS too (check.yml, job other-systems)."""
    locks = ["-r", str(ROOT / "requirements.lock"), "-r", str(ROOT / "requirements-dev.lock")]
    args = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--disable-pip-version-check", "--ignore-installed",
            "--no-deps", "--require-hashes", "--python-version", version, "--target", str(tmp_path / "t"), *locks]
    if platform:
        args += ["--platform", platform]
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0 and "NewConnectionError" in result.stderr + result.stdout and not os.environ.get("CI"):
        pytest.skip("the package index cannot be reached from here")
    assert result.returncode == 0, result.stderr[-3000:]


def test_make_refuses_an_older_python_in_chinese(tmp_path: Path) -> None:
    old = tmp_path / "python-old"
    old.write_text("#!/bin/sh\nif [ \"$1\" = -V ]; then echo 'Python 3.10.12'; exit 0; fi\nexit 1\n", encoding="utf-8")
    old.chmod(0o755)
    result = subprocess.run(["make", "-s", "install", f"PYTHON={old}", f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode != 0 and "需要 Python 3.11 或更高版本" in result.stderr and "3.10.12" in result.stderr
    assert not (tmp_path / "venv").exists()


@pytest.mark.network
def test_wheelhouse_installs_with_no_index(tmp_path: Path) -> None:
    """`make wheelhouse` on a machine with the index, carried to one without: `make install WHEELHOUSE=wheelhouse`
    installs every locked package (hashes checked) and ipreg runs; pip is pointed at an address where nothing answers."""
    import shutil

    work = tmp_path / "repo"
    work.mkdir()
    for name in ("Makefile", "requirements.lock", "requirements-dev.lock", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, work / name)
    for name in ("generator", "schemas", "texts"):
        (work / name).symlink_to(ROOT / name)
    made = subprocess.run(["make", "-s", "wheelhouse", f"PYTHON={sys.executable}"], cwd=work, capture_output=True, text=True, timeout=900,
                          check=False)
    if made.returncode != 0 and "NewConnectionError" in made.stderr and not os.environ.get("CI"):
        pytest.skip("the package index cannot be reached from here")
    assert made.returncode == 0, made.stderr[-3000:]
    assert (work / "wheelhouse" / "requirements.lock").is_file() and len(list((work / "wheelhouse").iterdir())) > 40
    offline = {**os.environ, "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_NO_CACHE_DIR": "1"}
    installed = subprocess.run(["make", "-s", "install", "WHEELHOUSE=wheelhouse", f"PYTHON={sys.executable}"], cwd=work, env=offline,
                               capture_output=True, text=True, timeout=900, check=False)
    assert installed.returncode == 0, installed.stderr[-3000:]
    version = subprocess.run([str(work / ".venv" / "bin" / "ipreg"), "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert version.returncode == 0 and version.stdout.startswith("ipreg"), version
    again = subprocess.run(["make", "-s", "wheelhouse", f"PYTHON={sys.executable}"], cwd=work, capture_output=True, text=True, timeout=900,
                           check=False)
    assert again.returncode == 0  # its own folder is replaced; someone else's is not:
    shutil.rmtree(work / "wheelhouse")
    (work / "wheelhouse").mkdir()
    (work / "wheelhouse" / "mine.txt").write_text("keep", encoding="utf-8")
    refused = subprocess.run(
        ["make", "-s", "wheelhouse", f"PYTHON={sys.executable}"], cwd=work, capture_output=True, text=True, timeout=900, check=False
    )
    assert refused.returncode != 0 and "没有改动它" in refused.stderr and (work / "wheelhouse" / "mine.txt").is_file()
