"""generator/ and benchmarks/ stay typed (mypy --strict); they and tests/ stay lint-clean (ruff)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

BIN = Path(sys.executable).parent


@pytest.mark.slow
def test_mypy_strict() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_ruff() -> None:
    """The rule set chosen in pyproject.toml (E, F, B, UP, SIM, I), over every Python file of the repository."""
    command = [str(BIN / "ruff"), "check", "generator", "benchmarks", "tests", "tools"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout


def test_tests_never_read_the_live_registry() -> None:
    """The bureau replaces the samples with real records: tests use tests/samples/ (a frozen copy) or build their own
    registry, never ROOT/records or ROOT/policy.yml, and never run the CLI in the checkout (cwd=ROOT)."""
    import re

    live = re.compile(r'ROOT\s*/\s*"(records|policy\.yml)"|ROOT\s*/\s*"records/|"generator".*cwd=ROOT\b|chdir\(ROOT\)')
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if live.search(line) and path.name != "test_quality.py"
    ]
    assert found == []
