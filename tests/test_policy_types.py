"""Two policy types keep history and day apart (ARCHITECTURE.md section 7): ``PolicyHistory`` (policy.yml as loaded,
every dated value) has no value attributes, ``Policy`` (the values on one day) has no ``on``, so an undated read does
not type-check. One mypy run on a small snippet, about two seconds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import mypy.api

from generator.policy import Policy, PolicyHistory, default_policy
from tests.helpers import ROOT

SNIPPET = """\
from datetime import date

from generator.policy import Policy, PolicyHistory, default_policy

history: PolicyHistory = default_policy()
day: Policy = history.on(date(2026, 1, 1))
years: int = day.validity_years + history.on(date(2028, 1, 1)).ban_years
undated = history.validity_years
twice = day.on(date(2026, 1, 1))
"""


def test_an_undated_read_does_not_type_check(tmp_path: Path) -> None:
    """mypy accepts the reads on a day and reports the undated read on the history (line 8) and ``on`` asked of one
    day's values (line 9), and nothing else."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    # only generator/policy.py and the error classes it derives from are analysed (other imports are skipped): quick,
    # and the types under test are all there
    out, err, code = mypy.api.run(["--strict", "--follow-imports=skip", "--cache-dir=/dev/null", "--no-error-summary",
                                   str(snippet), str(ROOT / "generator" / "policy.py"), str(ROOT / "generator" / "errors.py")])
    errors = sorted(line.split(": error: ")[0].rsplit(":", 1)[1] + " " + line.split(": error: ")[1]
                    for line in out.splitlines() if ": error: " in line)
    assert errors == ['8 "PolicyHistory" has no attribute "validity_years"  [attr-defined]',
                      '9 "Policy" has no attribute "on"  [attr-defined]'], (out, err, code)


def test_the_history_answers_only_on_a_day() -> None:
    """No fallback at run time either: the history has no value attributes and no ``__getattr__``."""
    history = default_policy()
    assert isinstance(history, PolicyHistory) and not hasattr(PolicyHistory, "__getattr__")
    assert not hasattr(history, "validity_years") and not hasattr(Policy, "on")
    assert isinstance(history.on(date(2026, 1, 1)), Policy)
