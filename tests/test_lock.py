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

TARGETS = [("3.11.2", None), ("3.13", None), ("3.11.2", "win_amd64"), ("3.12", "macosx_11_0_arm64")]


@pytest.mark.parametrize("version,platform", TARGETS)
def test_the_lock_resolves_for(version: str, platform: str | None, tmp_path: Path) -> None:
    args = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--disable-pip-version-check", "--ignore-installed",
            "--no-deps", "--require-hashes", "--python-version", version, "--target", str(tmp_path / "t"), "-r", str(ROOT / "requirements.lock")]
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
