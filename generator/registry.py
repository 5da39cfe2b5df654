"""All loaded files -> Registry: schema, identifiers, lifecycle, eligibility, cross-record checks.

Pure: it receives loaded documents, the policy and ``today``; reading files is the caller's job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.findings import Finding
from generator.lifecycle import Status, status
from generator.loader import Loaded, PathKey
from generator.model import Record, build_record
from generator.policy import Policy
from generator.ranking import Ranking
from generator.rules.base import Context, Outcome
from generator.rules.eligibility import evaluate
from generator.rules.records import consistency_findings, event_findings, identifier_findings, placeholder_findings
from generator.schema import schema_findings


@dataclass(frozen=True)
class Entry:
    """One file: what was loaded, the typed record (when the schema passed) and its results."""

    loaded: Loaded
    record: Record | None
    status: Status | None
    on: date | None  # evaluation date D of the eligibility rules
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...]

    @property
    def file(self) -> str:
        return self.loaded.file


@dataclass(frozen=True)
class Registry:
    today: date
    policy: Policy
    entries: tuple[Entry, ...]
    findings: tuple[Finding, ...]  # every finding of every file, sorted

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def records(self) -> Iterator[tuple[Record, Status]]:
        for entry in self.entries:
            if entry.record is not None and entry.status is not None:
                yield entry.record, entry.status


def build_registry(documents: Sequence[Loaded], policy: Policy, today: date, extra: Iterable[Finding] = ()) -> Registry:
    """Check every document and the registry as a whole."""
    stage: list[tuple[Loaded, list[Finding], Record | None, Status | None]] = []
    for loaded in documents:
        reported = {(f.line, f.column) for f in loaded.findings}
        findings = list(loaded.findings) + [f for f in schema_findings(loaded) if (f.line, f.column) not in reported]
        reported |= {(f.line, f.column) for f in findings}
        findings += [f for f in placeholder_findings(loaded) if (f.line, f.column) not in reported]
        record = None
        if loaded.data is not None and not findings:
            record = build_record(loaded.data, loaded.file, loaded.positions)
        findings.extend(identifier_findings(loaded))
        st = status(record, policy, today) if record is not None else None
        if record is not None and st is not None:
            findings.extend(event_findings(record, st, today))
            findings.extend(consistency_findings(record))
        stage.append((loaded, findings, record, st))

    ranking = Ranking.of((record for _, _, record, _ in stage if record is not None), policy.lookback_years)
    duplicates = _duplicate_findings(documents)

    entries = []
    for loaded, findings, record, st in stage:
        outcomes: list[Outcome] = []
        on = None
        if record is not None and st is not None:
            on = st.decision or today
            ctx = Context(record, policy, today, on, st, ranking)
            outcomes = evaluate(ctx)
            findings.extend(o.finding(record) for o in outcomes if o.notable)
        findings.extend(duplicates.get(loaded.file, ()))
        findings.sort(key=Finding.sort_key)
        entries.append(Entry(loaded, record, st, on, tuple(outcomes), tuple(findings)))
    everything = sorted([f for e in entries for f in e.findings] + list(extra), key=Finding.sort_key)
    return Registry(today, policy, tuple(entries), tuple(everything))


def _duplicate_findings(documents: Sequence[Loaded]) -> dict[str, list[Finding]]:
    """registry.duplicate: one USCC in two files, or one certificate number used twice."""
    seen: dict[tuple[str, str], list[tuple[Loaded, PathKey]]] = defaultdict(list)
    for loaded in documents:
        for kind, value, path in _keys(loaded.data):
            seen[(kind, value)].append((loaded, path))
    out: dict[str, list[Finding]] = defaultdict(list)
    for (kind, value), places in seen.items():
        if len(places) < 2:
            continue
        for loaded, path in places:
            others = "、".join(
                f"{o.file}:{o.positions.at(p)[0]}" for o, p in places if (o.file, p) != (loaded.file, path)
            )
            line, col = loaded.positions.at(path)
            label = "统一社会信用代码" if kind == "uscc" else "证书编号"
            out[loaded.file].append(Finding(loaded.file, line, col, "error", "registry.duplicate",
                                            f"{label} {value} 重复出现（另见 {others}）：一家企业只能有一个文件，一个证书编号只能用一次"))
    return out


def _keys(data: dict[str, Any] | None) -> Iterator[tuple[str, str, PathKey]]:
    if data is None:
        return
    if isinstance(data.get("uscc"), str):
        yield "uscc", data["uscc"], ("uscc",)
    for field in ("events", "honors"):
        items = data.get(field)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("certificate"), str):
                    yield "certificate", item["certificate"], (field, i, "certificate")
