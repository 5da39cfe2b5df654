"""Golden file: every outcome (rule, result, severity, message, place, params) and every finding of every case.

A changed word, figure, path or parameter anywhere in the rules shows up here as a reviewed diff.
Regenerate after an intended change: ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.helpers import CASES, check_case

GOLDEN = Path(__file__).resolve().parent / "golden" / "outcomes.json"


def _snapshot() -> dict[str, Any]:
    cases = sorted(p for p in [*(CASES / "valid").glob("*.yaml"), *(CASES / "invalid").glob("*/*")] if p.suffix == ".yaml" or p.is_dir())
    out: dict[str, Any] = {}
    for case in cases:
        registry = check_case(case)
        out[case.relative_to(CASES).as_posix()] = {
            "entries": [{
                "file": e.file,
                "status": e.status.status if e.status else None,
                "on": e.on.isoformat() if e.on else None,
                "outcomes": [[o.rule, o.ok, o.effective_severity(), o.message, list(o.path), dict(o.params)] for o in e.outcomes],
            } for e in registry.entries],
            "findings": [[f.rule, f.line, f.column, f.severity, f.message, f.article, dict(f.params)] for f in registry.findings],
        }
    return out


def test_every_outcome_matches_the_golden_file() -> None:
    current = json.dumps(_snapshot(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert_golden(GOLDEN, current)


def assert_golden(path: Path, current: str) -> None:
    """``current`` equals the golden file. UPDATE_GOLDEN=1 rewrites it, on a developer's machine only: in CI (``CI``
    set) a rewrite would make the test pass whatever changed, so it is refused."""
    if os.environ.get("UPDATE_GOLDEN"):
        assert not os.environ.get("CI"), "UPDATE_GOLDEN is refused in CI: review the change and rewrite the golden files locally"
        path.write_bytes(current.encode("utf-8"))  # bytes: line ends (CRLF in CSV and iCalendar) are part of the format
    assert path.read_bytes().decode("utf-8") == current, f"{path.name} changed: review, then UPDATE_GOLDEN=1 to accept"
