"""An applicant's workbook as a change to the registry: the record's new text, and each finding's cell.

A new enterprise's record is written whole (``formyaml``). A known one keeps what only the bureau writes (``"x-form":
false``: its events, conduct, the bureau's findings) and takes the workbook's fields; when those are already what the
record holds, only the ``applied`` event is appended in the file's own style (``writing/decisions.append_event``), and
when that is there too nothing changes: a second import of the same workbook writes nothing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from generator.findings import Finding
from generator.importing.fields import key_order
from generator.importing.formread import Cell, Filled
from generator.importing.formyaml import render
from generator.loader import Loaded, load_bytes
from generator.writing.decisions import DecideError, append_event


def merged(schema: Mapping[str, Any], filled: Filled, before: bytes | None, file: str, day: date) -> bytes:
    """The record's bytes after the import (``before`` itself when nothing changes)."""
    form_keys = {k for k, spec in schema.get("properties", {}).items() if spec.get("x-form") is not False}
    old: dict[str, Any] = {}
    if before is not None:
        loaded = load_bytes(before, file)
        old = loaded.data if isinstance(loaded.data, dict) else {}
    applied = {"date": day.isoformat(), "type": "applied"}
    events = [e for e in old.get("events", []) if isinstance(e, dict)] if isinstance(old.get("events"), list) else []
    has_applied = any(e.get("type") == "applied" and str(e.get("date")) == applied["date"] for e in events)
    same = before is not None and {k: v for k, v in old.items() if k in form_keys} == filled.data
    if same and has_applied:
        return before  # type: ignore[return-value]
    later = [e for e in events if str(e.get("date", "")) > applied["date"]]
    if same and before is not None and not later:
        with contextlib.suppress(DecideError):  # an events list in a style append_event leaves alone: written whole
            return append_event(before, applied, file)
    data = {k: v for k, v in old.items() if k not in form_keys} | filled.data
    if not has_applied:
        events = sorted([*events, applied], key=lambda e: str(e.get("date", "")))  # stable: same-day events keep their order
    data["events"] = events
    return render(data, key_order(schema), day.isoformat()).encode("utf-8")


MISSING = re.compile(r"缺少必填字段 (?P<key>\w+)（[^）]*），在 (?P<where>\S+) 中")


def missing_path(message: str) -> tuple[str | int, ...] | None:
    """The path of the field a "缺少必填字段 key（…），在 patents[1] 中" finding names (schema.dotted read back)."""
    found = MISSING.match(message)
    if not found:
        return None
    where = "" if found["where"] == "文件顶层" else found["where"]
    parts = [p for p in re.split(r"\.|\[(\d+)\]", where) if p]
    return (*(int(p) if p.isdigit() else p for p in parts), found["key"])


def cell_of(finding: Finding, loaded: Loaded, cells: Mapping[tuple[str | int, ...], Cell]) -> Cell | None:
    """The workbook cell that produced the value a finding points at: a missing field's own (blank) cell, else the
    deepest path on the finding's line."""
    missing = missing_path(finding.message)
    if missing in cells:
        return cells[missing]  # type: ignore[index]
    on_line = [path for path in cells if finding.line in _lines(loaded, path)]
    return cells[max(on_line, key=len)] if on_line else None


def _lines(loaded: Loaded, path: tuple[str | int, ...]) -> set[int]:
    """The lines of a path's key and of its value (an object's value starts on the line after its key)."""
    return {at[0] for at in (loaded.positions.value_at(path), loaded.positions.keys.get(path)) if at}


def place(findings: Sequence[Finding], loaded: Loaded, filled: Filled) -> list[tuple[str, Finding]]:
    """Each finding with where to look: its cell (工作表"财务"!C5), or the record's line when no cell made it."""
    return [(str(cell) if (cell := cell_of(f, loaded, filled.cells)) else f"{f.file}:{f.line}", f) for f in findings]
