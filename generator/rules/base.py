"""What a rule receives (Context) and what it returns (Outcome)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.findings import Finding, Severity
from generator.lifecycle import Status
from generator.loader import PathKey
from generator.model import Record
from generator.policy import Policy
from generator.rules import CATALOGUE


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at. ``on`` is the evaluation date D (design.md section 4)."""

    record: Record
    policy: Policy
    today: date
    on: date
    status: Status


@dataclass(frozen=True)
class Outcome:
    """The result of one rule on one record, passed or not, with the figures behind it.

    ``ok`` is True (passed), False (failed) or None (not applicable / information only).
    ``severity`` overrides the catalogue's default (e.g. a warning instead of an error).
    """

    rule: str
    ok: bool | None
    message: str
    path: PathKey = ()
    severity: Severity | None = None

    @property
    def notable(self) -> bool:
        """Shown by ``ipreg check``: a failure, or information a rule chose to report."""
        return self.ok is False or self.severity == "info"

    def effective_severity(self) -> Severity:
        return self.severity or CATALOGUE[self.rule].severity

    def finding(self, record: Record) -> Finding:
        line, col = record.positions.key_at(self.path) if self.path else (1, 1)
        return Finding(record.file, line, col, self.effective_severity(), self.rule, self.message, CATALOGUE[self.rule].article)


def yuan(amount: int) -> str:
    return f"{amount:,}"
