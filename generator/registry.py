"""All loaded files -> Registry: schema, identifiers, lifecycle, eligibility, cross-record checks.

Pure: it receives loaded documents, the policy and ``today``; reading files is the caller's job.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from generator.findings import Finding
from generator.ids import format_affixes, name_key, number_key, patent_key, trademark_key
from generator.labels import FIELD_ZH
from generator.lifecycle import Status, status
from generator.loader import Loaded, PathKey, Positions
from generator.model import Record, build_record
from generator.policy import PolicyHistory
from generator.ranking import Rank, Ranking, RankInput
from generator.rules import CONVENTION, INTERNAL_ERROR, REGISTRY_DUPLICATE
from generator.rules.art5 import ART5_LEADING, ranking_note, ranking_words
from generator.rules.base import Context, Outcome
from generator.rules.eligibility import evaluate
from generator.rules.personal import personal_findings
from generator.rules.records import (
    consistency_findings,
    document_findings,
    event_findings,
    identifier_findings,
    imported_findings,
    industry_findings,
    placeholder_findings,
)
from generator.schema import MAX_FINDINGS, counted_schema_findings

Keys = tuple[tuple[str, str, int, int], ...]  # (kind, value, line, column) of the values that must be unique


@dataclass(frozen=True)
class Entry:
    """One file: the typed record (when the schema passed) and its results."""

    file: str
    record: Record | None
    status: Status | None
    on: date | None  # evaluation date D of the eligibility rules
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Registry:
    today: date
    policy: PolicyHistory
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


@dataclass(frozen=True)
class Local:
    """What one file yields on its own, before the registry-wide checks.

    ``lite()`` drops the record, status and outcomes (and with them every position): what is
    left is small, picklable and enough for ``ipreg check``, so it is what worker processes
    return and what the check cache keeps.
    """

    file: str
    findings: tuple[Finding, ...]  # all but registry.duplicate and the ranking note
    outcomes: tuple[Outcome, ...]  # eligibility, all but the ranking note
    keys: Keys  # (kind, value, line, column) for registry.duplicate
    rank: RankInput | None
    record: Record | None = None
    status: Status | None = None
    on: date | None = None
    extra: Any = None  # what a caller derived from the record where it was checked (the site: page and public data)

    def lite(self) -> Local:
        return Local(self.file, self.findings, (), self.keys, self.rank, None, None, self.on, self.extra)

    def without_positions(self) -> Local:
        """Keeps the record for status, worklist and site, without its line map (most of its memory)."""
        if self.record is None:
            return self
        return replace(self, record=replace(self.record, positions=Positions()))


def check_local(loaded: Loaded, policy: PolicyHistory, today: date) -> Local:
    """Every check that needs only this file (and the policy and today).

    A fault in the checks themselves becomes an ``internal.error`` finding of this file alone:
    the other files are still checked and reported."""
    try:
        return _check_local(loaded, policy, today)
    except Exception as exc:  # noqa: BLE001 - reported as a finding, never a traceback
        message = (f"检查这个文件时程序出现内部错误（{type(exc).__name__}）：这是程序的问题，不一定是记录的问题；"
                   "其他文件照常检查。请把这条信息报告给维护人员")
        return Local(loaded.file, (INTERNAL_ERROR.finding(loaded.file, 1, 1, message),), (), (), None)


def _check_local(loaded: Loaded, policy: PolicyHistory, today: date) -> Local:
    reported = {(f.line, f.column) for f in loaded.findings}
    found, omitted = counted_schema_findings(loaded)
    findings = list(loaded.findings) + [f for f in found if (f.line, f.column) not in reported]
    reported |= {(f.line, f.column) for f in findings}
    findings += [f for f in placeholder_findings(loaded) if (f.line, f.column) not in reported]
    record = None
    if loaded.data is not None and not findings:
        record = build_record(loaded.data, loaded.file, loaded.positions)
    findings.extend(identifier_findings(loaded))
    findings.extend(industry_findings(loaded))
    findings.extend(personal_findings(loaded))
    # certificate numbers compare by the first certificate_format, one for every day (ARCHITECTURE.md section 7)
    keys = tuple((kind, value, *loaded.positions.at(path)) for kind, value, path in _keys(loaded.data, policy.first.certificate_format))
    if record is None:
        return Local(loaded.file, _capped(findings, omitted), (), keys, None)
    st = status(record, policy, today)
    findings.extend(event_findings(record, st, today))
    findings.extend(document_findings(record, lambda day: policy.on(day).document_pattern))
    findings.extend(consistency_findings(record))
    on = evaluation_date(st)
    if on is None:  # pending without an application date (events.applied says so): nothing to evaluate against
        return Local(loaded.file, tuple(findings), (), keys, None, record, st, None)
    # a revoked or withdrawn cycle has no decision in force: only the Art. 8 rules still speak
    # the policy in force at D (ARCHITECTURE.md section 7): a later revision never changes a decision's findings
    # imported history (design section 11): Art. 4-6 are not re-judged; a later decision on a record still lacking the
    # full record's fields has one error naming them all (imported.incomplete), not one per rule that misses them
    imported = list(imported_findings(loaded, record, on))
    findings.extend(imported)
    lifecycle_only = st.ended or record.imported_decision(on) or any(f.severity == "error" for f in imported)
    outcomes = evaluate(Context(record, policy.on(on), today, on, st, policy), lifecycle_only=lifecycle_only)
    cited = [o.finding(record) for o in outcomes if o.notable]
    if any(m.articles for m in policy.measures):  # a version renumbered articles: cite the one in force at D
        cited = [replace(f, article=policy.article(f.rule, on, f.article)) for f in cited]
    findings.extend(cited)
    rank = None if st.ended or not record.industry_code else RankInput.of(record, on)
    return Local(loaded.file, tuple(findings), tuple(outcomes), keys, rank, record, st, on)


def evaluation_date(st: Status) -> date | None:
    """D of the eligibility rules (ARCHITECTURE.md section 4): the date of the decision in force, or for a pending cycle
    its application date. Never today: a check gives the same answer on 31 December and on 1 January."""
    return st.applied if st.status == "pending" else st.decision


def _capped(findings: list[Finding], omitted: int) -> tuple[Finding, ...]:
    """At most MAX_FINDINGS findings of one file, then one line saying how many more there are."""
    if len(findings) <= MAX_FINDINGS and not omitted:
        return tuple(findings)
    findings.sort(key=Finding.sort_key)
    shown, rest = findings[:MAX_FINDINGS], findings[MAX_FINDINGS:]
    first = rest[0] if rest else shown[-1]
    more = len(rest) + omitted
    shown.append(Finding(first.file, first.line, first.column, "error", first.rule,
                         f"另有 {more} 个问题未逐条列出（每个文件最多列出 {MAX_FINDINGS} 个）：请先改正上面的问题，再重新检查"))
    return tuple(shown)


def build_registry(documents: Sequence[Loaded], policy: PolicyHistory, today: date, extra: Iterable[Finding] = ()) -> Registry:
    """Check every document and the registry as a whole."""
    return assemble([check_local(loaded, policy, today) for loaded in documents], policy, today, extra)


def assemble(locals_: Sequence[Local], policy: PolicyHistory, today: date, extra: Iterable[Finding] = ()) -> Registry:
    """The registry-wide checks (duplicates, the Art. 5(3) ranking) on top of each file's own."""
    calendar = policy.first.recent_years_mode == "calendar"  # one lookback for the whole registry (ARCHITECTURE.md section 7)
    messages = industry_notes([local.rank for local in locals_ if local.rank is not None], policy.first.lookback_years, calendar)
    duplicates = duplicate_findings([(local.file, local.keys) for local in locals_])
    entries = []
    for local in locals_:
        outcomes, findings = finish(local, duplicates.get(local.file, ()), messages.get(local.file))
        entries.append(Entry(local.file, local.record, local.status, local.on, outcomes, findings))
    everything = sorted([f for e in entries for f in e.findings] + list(extra), key=Finding.sort_key)
    return Registry(today, policy, tuple(entries), tuple(everything))


def finish(local: Local, duplicates: Sequence[Finding], message: str | None) -> tuple[tuple[Outcome, ...], tuple[Finding, ...]]:
    """One file's outcomes and sorted findings once the registry-wide results are known: its own, the duplicates
    found in other files and the ranking note of its industry (``message``, for a ranked record)."""
    findings = list(local.findings) + list(duplicates)
    outcomes = list(local.outcomes)
    if local.rank is not None and message is not None:
        note = ranking_note(message)
        at = max((i + 1 for i, o in enumerate(outcomes) if o.rule == ART5_LEADING.id), default=len(outcomes))
        outcomes.insert(at, note)
        findings.append(Finding(local.file, local.rank.line, local.rank.column, "info", note.rule, note.message, ART5_LEADING.article))
    findings.sort(key=Finding.sort_key)
    return tuple(outcomes), tuple(findings)


def industry_notes(items: Sequence[RankInput], lookback: int, calendar: bool = False) -> dict[str, str]:
    """file -> the ranking note of its record among the records of its industry (``calendar``: 近 N 年 as calendar
    years, policy recent_years_mode)."""
    by_key = {item.key: item for item in items}
    ranks = industry_ranks(items, lookback, calendar)
    return {key: ranking_words(by_key[key], rank, lookback, calendar) for key, rank in ranks.items()}


def industry_ranks(items: Sequence[RankInput], lookback: int, calendar: bool = False) -> dict[str, Rank]:
    """file -> the figures behind its ranking note (``ranking_words`` words them)."""
    ranking = Ranking.of(items, lookback, calendar)
    return {m.key: ranking.rank(m) for members in ranking.industries.values() for m in members}



_LABELS = {"uscc": FIELD_ZH["uscc"], "certificate": "证书编号", "patent": "专利申请号", "trademark": "商标注册号", "name": FIELD_ZH["name"]}
_WHY = {
    "uscc": "一家企业只能有一个文件",
    "certificate": "一个证书编号只能用一次（括号写法、全角数字、顺序号的前导零不计）",
    "patent": "一件专利只能登记一次，只属于一家企业（ZL、CN 前缀和校验位前的点不计），请核对专利证书上的专利权人",
    "trademark": "一件注册商标只能登记一次，只属于一家企业，请核对商标注册证上的注册人",
    "name": f"一家企业只能有一个记录；本登记簿没有更名事件，企业更名请修改原记录的名称，不要新建记录（{CONVENTION}）",
}


def duplicate_findings(files: Sequence[tuple[str, Keys]], among: Iterable[Keys] | None = None) -> dict[str, list[Finding]]:
    """registry.duplicate: one USCC or one enterprise name in two files, one certificate number used twice, one patent or
    trademark in two places (two files, or twice in one), or one 文号 for decisions of two different dates (one document
    has one date: a batch decision is one 文号 on one day). Values are compared in their normal form (``ids``).

    ``among``: only these values are looked at (the check cache passes those of the changed files and of the files that
    had a duplicate: every other value was once in the registry and still is); otherwise all are counted first, so
    that places are gathered only for the few that repeat. Each finding stands at its own place and names the other
    places (file:line)."""
    dates: dict[str, set[str]] = defaultdict(set)
    seen: dict[tuple[str, str], list[tuple[str, int, int, str]]] = defaultdict(list)
    if among is None:
        counts = Counter((kind, value.partition("\t")[0]) for _, keys in files for kind, value, _, _ in keys if kind != "document")
        wanted = {key for key, count in counts.items() if count > 1}
        for _, keys in files:
            for kind, value, _, _ in keys:
                if kind == "document":
                    number, day, _ = value.split("\t", 2)
                    dates[number].add(day)
        wanted.update(("document", number) for number, days in dates.items() if len(days) > 1)
    else:
        wanted = {(kind, value.partition("\t")[0]) for keys in among for kind, value, _, _ in keys}
    if wanted:
        for file, keys in files:
            for kind, value, line, col in keys:
                key, _, shown = value.partition("\t")
                if (kind, key) in wanted:
                    if kind == "document":
                        day, _, shown = shown.partition("\t")
                        dates[key].add(day)
                    seen[(kind, key)].append((file, line, col, shown))
    for kind, key in [k for k, places in seen.items() if (len(dates[k[1]]) < 2 if k[0] == "document" else len(places) < 2)]:
        del seen[(kind, key)]
    out: dict[str, list[Finding]] = defaultdict(list)
    for (kind, key), places in seen.items():
        for file, line, col, shown in places:
            others = "、".join(f"{f}:{ln}" for f, ln, c, _ in places if (f, ln, c) != (file, line, col))
            if kind == "document":
                days = "、".join(sorted(dates[key]))
                message = f"文号 {shown} 用于不同日期的决定（{days}；另见 {others}）：一个文号只有一个成文日期，请核对文号和日期"
            else:
                message = f"{_LABELS[kind]} {shown} 重复出现（另见 {others}）：{_WHY[kind]}"
            out[file].append(REGISTRY_DUPLICATE.finding(file, line, col, message, params=(("value", shown), ("others", others))))
    return out


def _keys(data: dict[str, Any] | None, certificate_format: str) -> Iterator[tuple[str, str, PathKey]]:
    """(kind, "normal form\tas written", path) of every value that must be unique; a 文号's is "normal form\tdate\tas
    written"."""
    if data is None:
        return
    prefix, suffix = format_affixes(certificate_format)
    if isinstance(data.get("uscc"), str):
        yield "uscc", f"{data['uscc']}\t{data['uscc']}", ("uscc",)
    if isinstance(data.get("name"), str) and data["name"].strip():
        yield "name", f"{name_key(data['name'])}\t{data['name']}", ("name",)
    for field, kind, normal in (("patents", "patent", patent_key), ("trademarks", "trademark", trademark_key)):
        items = data.get(field)
        mine: set[str] = set()  # twice in one record is data.consistency: here only its first place counts
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict) and isinstance(item.get("number"), str) and item["number"].strip():
                key = normal(item["number"])
                if key not in mine:
                    mine.add(key)
                    yield kind, f"{key}\t{item['number']}", (field, i, "number")
    for field in ("events", "honors"):
        items = data.get(field)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if not isinstance(item, dict):
                continue
            certificate = item.get("certificate")
            if isinstance(certificate, str) and certificate.strip():
                yield "certificate", f"{number_key(certificate, prefix, suffix)}\t{certificate}", (field, i, "certificate")
            document = item.get("document")
            if field == "events" and isinstance(document, str) and document.strip():
                yield "document", f"{number_key(document)}\t{item.get('date')}\t{document}", (field, i, "document")
