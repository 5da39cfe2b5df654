"""What a rule receives (Context) and what it returns (Outcome); an ``EligibilityRule``, a catalogue ``Rule`` with the
function that checks it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from generator.findings import Finding, Param, Severity
from generator.lifecycle import Status
from generator.loader import PathKey
from generator.model import Record
from generator.policy import Policy, PolicyHistory
from generator.rules import CATALOGUE, Rule


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at. ``on`` is the evaluation date D (ARCHITECTURE.md section 4)."""

    record: Record
    policy: Policy
    today: date
    on: date
    status: Status
    history: PolicyHistory | None = None  # every dated value: the rules that judge an entry on its own date (Art. 11, 13)

    def policy_history(self) -> PolicyHistory:
        return self.history if self.history is not None else PolicyHistory(self.policy)


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
    params: tuple[tuple[str, Param], ...] = ()

    @property
    def notable(self) -> bool:
        """Shown by ``ipreg check``: a failure, or information a rule chose to report."""
        return self.ok is False or self.severity == "info"

    def effective_severity(self) -> Severity:
        return self.severity or CATALOGUE[self.rule].severity

    def finding(self, record: Record) -> Finding:
        line, col = record.positions.key_at(self.path) if self.path else (1, 1)
        return Finding(
            record.file, line, col, self.effective_severity(), self.rule, self.message, CATALOGUE[self.rule].article, self.params
        )


Check = Callable[[Context], Iterator[Outcome]]


@dataclass(frozen=True)
class EligibilityRule(Rule):
    """A rule evaluated per record (Art. 4-6 and 8), declared in its ``art`` module just below its function:
    ``ART5_REVENUE = EligibilityRule(<id>, <article>, ..., check=art5_revenue)``. A declaration after the function,
    not a decorator, because mutmut does not mutate decorated functions (make mutation)."""

    check: Check = field(kw_only=True)
    # the record's top-level fields (sections) without which the rule cannot pass, and the category it holds for (None:
    # every category; a reserve enterprise is held to a ``reserve_reference`` rule for reference only): the form editor
    # labels those sections 必填 with the rule's article (``eligibility.required_sections``)
    needs: tuple[str, ...] = field(default=(), kw_only=True)
    category: str | None = field(default=None, kw_only=True)


def yuan(amount: int) -> str:
    return f"{amount:,}"


def params(**values: object) -> tuple[tuple[str, Param], ...]:
    """Named figures of an outcome as plain JSON values: dates as YYYY-MM-DD, fractions as exact decimal text."""
    out: list[tuple[str, Param]] = []
    for key, value in values.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Fraction):
            value = str(value.numerator) if value.denominator == 1 else f"{float(value):.6f}".rstrip("0")
        out.append((key, value if isinstance(value, (str, int, bool)) or value is None else str(value)))
    return tuple(out)
