"""generator/ and benchmarks/ stay typed (mypy --strict); they and tests/ stay lint-clean (ruff)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

BIN = Path(sys.executable).parent


def test_mypy_strict() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout


def test_ruff() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "generator", "benchmarks", "tests"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout
