"""Problems are values: every check yields Finding objects, nothing raises for bad data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
Param = str | int | bool | None  # dates as YYYY-MM-DD, ratios as exact decimal strings
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
_VISIBLE = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"} | {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F] if c not in (0x0A, 0x0D, 0x09)}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem (or note) about one place in one file."""

    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    article: str | None = None
    params: tuple[tuple[str, Param], ...] = ()  # the figures behind the message, for JSON consumers

    def __post_init__(self) -> None:
        if not self.message.isprintable():  # a value quoted in a message must not start a new line of output
            object.__setattr__(self, "message", self.message.translate(_VISIBLE))

    def sort_key(self) -> tuple[str, bool, int, int, int, str]:
        """By file; the mistakes in the data (syntax, schema, identifiers, dates, events, figures) before what the
        eligibility rules of Art. 4-8 conclude from them, which may be their consequence (a trademark that "expires"
        before its registration is not a missing trademark); then by line."""
        return (self.file, self.rule.startswith("art"), self.line, self.column, SEVERITY_ORDER[self.severity], self.rule)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "rule": self.rule,
            "article": self.article,
            "message": self.message,
            "params": dict(self.params),
        }
