"""Problems are values: every check yields Finding objects, nothing raises for bad data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


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

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.file, self.line, self.column, SEVERITY_ORDER[self.severity], self.rule)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "rule": self.rule,
            "article": self.article,
            "message": self.message,
        }
