"""Staff views computed from a Registry: the status table and the worklist of deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from generator.registry import Registry

STATUS_FIELDS = ("uscc", "name", "category", "status", "listed", "term_start", "term_end", "grace_until", "ban_until",
                 "review_deadline", "next_deadline", "next_deadline_kind", "cause", "file")


def status_rows(registry: Registry) -> list[dict[str, Any]]:
    """One row per record that passed the schema, sorted by USCC (ARCHITECTURE.md section 5)."""
    rows = []
    for record, st in registry.records():
        rows.append({
            "uscc": record.uscc,
            "name": record.name,
            "category": record.term_category(on=st.decision),  # the term in force (design section 10)
            "status": st.status,
            "listed": st.listed,
            **st.dates(),
            "review_deadline": _iso(st.review_deadline),
            "next_deadline": _iso(st.next_deadline),
            "next_deadline_kind": st.next_deadline_kind,
            "cause": st.cause,
            "file": record.file,
        })
    return sorted(rows, key=lambda r: (r["uscc"], r["file"]))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class DueItem:
    date: date
    kind: str
    uscc: str
    name: str
    status: str
    file: str

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "kind": self.kind, "uscc": self.uscc, "name": self.name,
                "status": self.status, "file": self.file}


def due_items(registry: Registry, within_days: int) -> list[DueItem]:
    """Deadlines from today through today + ``within_days``, every record under review (by its review deadline,
    however far) and every lapsed record (by the deadline it missed), by date."""
    horizon = registry.today + timedelta(days=within_days)
    items = []
    for record, st in registry.records():
        if st.status == "lapsed" and st.ended_on is not None:
            items.append(DueItem(st.ended_on - timedelta(days=1), "lapsed", record.uscc, record.name, st.status, record.file))
        elif st.listed and st.next_deadline is not None and st.next_deadline_kind is not None and (
                st.next_deadline <= horizon or st.status == "under_review"):
            items.append(DueItem(st.next_deadline, st.next_deadline_kind, record.uscc, record.name, st.status, record.file))
    return sorted(items, key=lambda i: (i.date, i.uscc))
