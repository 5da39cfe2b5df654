"""``ipreg decide``: append one decision (an event) to each named record, in the file's own style.

The change is only added lines: the new event is written after the last line of the record's last event, with that
event's indentation and quoting, so comments, key order, quoting, blank lines and line endings of the record stay byte
for byte. Certificates of ``filed`` and ``review_passed`` are numbered from ``policy.certificate_format``, after the
highest number of that year in the registry. Nothing is written unless every named record passes the full check
afterwards (the registry-wide rules included); the CLI holds the registry lock from reading to writing, and
``journal.commit`` writes every file or none.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import yaml

from generator.checking.workers import Keep, compute, registry_from
from generator.errors import NothingWritten
from generator.findings import Finding
from generator.ids import document_form, number_key
from generator.labels import DECISION_WORDS_ZH, EVENT_ZH
from generator.loader import PARSER, load_bytes
from generator.policy import PolicyHistory
from generator.registry import Local, Registry, check_local

DECISIONS = ("filed", "review_passed", "review_failed", "review_absent", "revoked", "withdrawn")
NUMBERED = ("filed", "review_passed")


class DecideError(NothingWritten):
    """Why nothing was written (Chinese); ``findings`` are the errors the change would cause."""

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = tuple(findings)


@dataclass(frozen=True)
class Change:
    file: str  # records/<USCC>.yaml
    before: bytes
    after: bytes
    certificate: str | None

    def diff(self) -> str:
        old = self.before.decode("utf-8-sig").splitlines(keepends=True)
        new = self.after.decode("utf-8-sig").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.file}", f"b/{self.file}"))


def decision_code(word: str) -> str:
    """--type as the clerk wrote it: the code (filed), its Chinese label (备案确定, 复核通过) or a short word (备案)."""
    word = word.strip()
    by_label = {label: code for code, label in EVENT_ZH.items() if code in DECISIONS}
    return by_label.get(word) or DECISION_WORDS_ZH.get(word) or word


def certificate_pattern(fmt: str) -> re.Pattern[str]:
    """A regex that reads (year, seq) back out of numbers made by ``fmt``."""
    out, pos = "", 0
    for match in re.finditer(r"\{(year|seq)(?::[^}]*)?\}", fmt):
        out += re.escape(fmt[pos:match.start()]) + (r"(?P<year>\d{4})" if match.group(1) == "year" else r"(?P<seq>\d+)")
        pos = match.end()
    return re.compile(out + re.escape(fmt[pos:]) + r"\Z")


def next_certificates(fmt: str, year: int, existing: Sequence[str], count: int) -> list[str]:
    pattern = certificate_pattern(fmt)
    highest = 0
    for number in existing:
        match = pattern.match(number) or pattern.match(document_form(number))  # also 西知强企证[２０２５]001号
        if match and "year" in match.groupdict() and int(match["year"]) == year or match and "year" not in match.groupdict():
            highest = max(highest, int(match["seq"]))
    return [fmt.format(year=year, seq=highest + i) for i in range(1, count + 1)]


def _scalar(text: str, quoted: bool, key: str = "") -> str:
    """A value for the record: dates plain (as every record writes them); text plain when YAML reads it back as the
    same text, else double-quoted; quoted whenever the record's last event quoted that key."""
    if key == "date" and not quoted and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if not quoted:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text} and not text.startswith(("'", '"', " ")) and "#" not in text:
                return text
        except yaml.YAMLError:
            pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def compose_record(raw: bytes, file: str) -> tuple[bool, list[str], yaml.MappingNode]:
    """A record as the writers edit it: whether it starts with a BOM, its lines with their ends, and its top-level
    mapping node (positions for added lines); a file the writers cannot edit is a DecideError in words."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    lines = text.splitlines(keepends=True)
    try:
        root = yaml.compose(text, Loader=PARSER)  # libyaml: the same marks as PyYAML's Python parser, many times sooner
    except yaml.YAMLError:
        raise DecideError(f"{file} 有 YAML 语法错误：请先运行 ipreg check 修改") from None
    if not isinstance(root, yaml.MappingNode):
        raise DecideError(f"{file} 的顶层不是映射：请先运行 ipreg check 修改")
    return bom, lines, root


def append_event(raw: bytes, event: dict[str, str], file: str) -> bytes:
    """``raw`` with ``event`` appended to its ``events`` list in the style of the list's last item."""
    bom, lines, root = compose_record(raw, file)
    events = next((value for key, value in root.value if isinstance(key, yaml.ScalarNode) and key.value == "events"), None)
    if not isinstance(events, yaml.SequenceNode) or not events.value or events.flow_style:
        raise DecideError(f"{file} 没有按块格式（每项一行 “- date: …”）书写的 events 列表：请手工录入这个决定")
    last = events.value[-1]
    if not isinstance(last, yaml.MappingNode) or not last.value:
        raise DecideError(f"{file} 的最后一个事件不是映射：请先运行 ipreg check 修改")
    key_col = last.start_mark.column
    prefix = lines[last.start_mark.line][:key_col]
    dash_col = len(prefix.rstrip()) - 1  # the item's "-", then spaces up to its first key
    if dash_col < 0 or prefix.rstrip()[dash_col:] != "-" or prefix[:dash_col].strip() or prefix[dash_col + 1:].strip():
        raise DecideError(f"{file} 的事件列表格式特殊（不是 “- 键: 值”）：请手工录入这个决定")
    dash = " " * dash_col + "-" + " " * (key_col - dash_col - 1)
    quoted = {k.value: v.style in ('"', "'") for k, v in last.value if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}
    end = max(v.end_mark.line for _, v in last.value)  # the line of the last item's last value
    if last.value[-1][1].end_mark.column == 0:  # a block scalar ends at the start of the next line
        end -= 1
    newline = _line_end(lines, end)
    items = list(event.items())
    new = [dash + f"{items[0][0]}: {_scalar(items[0][1], quoted.get(items[0][0], False), items[0][0])}" + newline]
    new += [" " * key_col + f"{key}: {_scalar(value, quoted.get(key, False), key)}" + newline for key, value in items[1:]]
    if not lines[end].endswith(("\n", "\r")):  # the file's last line, without a line end: the file keeps its style
        new[-1] = new[-1][:-len(newline)]  # (no line end at the end), and the old text stays a prefix of the new
        new[0] = newline + new[0]
    body = "".join(lines[:end + 1] + new + lines[end + 1:])
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8")


def _line_end(lines: list[str], end: int) -> str:
    """The line end the new lines get: that of the event's own last line, else the one most lines of the file use."""
    for line in (lines[end], *reversed(lines[:end])):
        for mark in ("\r\n", "\n", "\r"):
            if line.endswith(mark):
                return mark
    return "\n"


def plan(raws: Mapping[str, bytes], prefix: str, kind: str, day: date, document: str, usccs: Sequence[str], policy: PolicyHistory,
         today: date, notes: Sequence[Finding] = (), jobs: int | None = None) -> tuple[list[Change], Registry]:
    """The changes ``ipreg decide`` would write to the registry ``raws`` (file name -> bytes, as the CLI read them; the
    record of code X is ``<prefix>X.yaml``), after checking them within the whole registry (in ``jobs`` worker processes,
    as ``ipreg check --jobs``); raises DecideError.
    ``notes`` are the findings about files that could not be read (a link, a folder where a record belongs): a named
    record among them is refused with that reason, not as missing."""
    kind, codes, document = _request(kind, day, document, usccs, today)
    _require_records(raws, prefix, codes, notes)
    before = [local.extra for local in compute(list(raws.items()), policy, today, jobs, Keep(derive=decision_facts, policy=policy))
              if local.extra is not None]  # each record's 文号 and certificates, from where it was checked
    _require_document_unused(before, document, day)
    numbers = _certificate_numbers(before, policy, kind, day, len(codes))
    changes = [_appended(raws, f"{prefix}{code}.yaml", kind, day, document, number) for code, number in zip(codes, numbers, strict=True)]
    try:
        return changes, _checked_after(raws, changes, policy, today, jobs)
    except DecideError as exc:
        why = _missing_years(raws, policy, today, kind, day, {c.file for c in changes})
        raise DecideError(f"{exc}\n{why}" if why else str(exc), exc.findings) from None


def _request(kind: str, day: date, document: str, usccs: Sequence[str], today: date) -> tuple[str, list[str], str]:
    """The decision code, the named USCCs (once each) and the 文号 in its written form; refuses an incomplete request."""
    kind = decision_code(kind)
    if kind not in DECISIONS:
        raise DecideError(f"--type {kind} 不是决定类型：可选 {'、'.join(f'{d}（{EVENT_ZH[d]}）' for d in DECISIONS)}")
    codes = list(dict.fromkeys(u.strip().upper() for u in usccs if u.strip()))
    if not codes:
        raise DecideError("没有给出企业：请在命令最后写一个或多个统一社会信用代码")
    if not document.strip():
        raise DecideError("--document 不能为空：请写决定的文号，如 西市监〔2026〕12号")
    if day > today:
        raise DecideError(f"决定日期 {day} 晚于今天（{today}）：只能录入已经作出的决定")
    return kind, codes, document_form(document)  # the record gets 西市监〔2026〕52号 however the clerk typed it


def _require_records(raws: Mapping[str, bytes], prefix: str, codes: Sequence[str], notes: Sequence[Finding]) -> None:
    """Refuses when a named record is missing: with the reason when its file could not be read, else as not found."""
    missing = [c for c in codes if f"{prefix}{c}.yaml" not in raws]
    unreadable = [f for f in notes if any(f.file == f"{prefix}{c}.yaml" for c in missing)]
    if unreadable:
        raise DecideError("这些记录不能录入，没有写入任何文件：", unreadable)
    if missing:
        files = "、".join(f"{prefix}{c}.yaml" for c in missing)
        raise DecideError(f"找不到这些企业的记录：{files}（请核对统一社会信用代码，新企业先用 ipreg new 建立记录）")


Facts = tuple[tuple[tuple[str, date], ...], tuple[str, ...]]  # a record's (文号 key, decision date) pairs and certificates


def decision_facts(local: Local, policy: PolicyHistory, today: date) -> Facts | None:
    """What ``plan`` needs of each record before a decision: its events' 文号 (by ``number_key``) with their dates and its
    certificate numbers (None: no record was built, as ``Registry.records`` leaves it out). A ``Keep.derive``: computed
    in the worker that checks the file, so that 10,000 records need not travel back."""
    if local.record is None or local.status is None:
        return None
    events = local.record.events
    return tuple((number_key(e.document), e.date) for e in events if e.document), tuple(e.certificate for e in events if e.certificate)


def _require_document_unused(before: Sequence[Facts], document: str, day: date) -> None:
    """Refuses a 文号 that the registry already uses for a decision of another day (one document, one decision day)."""
    used: dict[str, set[date]] = {}
    for documents, _ in before:
        for key, when in documents:
            used.setdefault(key, set()).add(when)
    other_days = sorted(d for d in used.get(number_key(document), set()) if d != day)
    if other_days:
        raise DecideError(f"文号 {document} 已用于 {other_days[0]} 的决定，不能再用于 {day} 的决定：请核对文号和日期")


def _missing_years(raws: Mapping[str, bytes], policy: PolicyHistory, today: date, kind: str, day: date, files: set[str]) -> str:
    """Why a refused filing or passed review was refused when the record lacks the year's data: it is checked against
    Art. 5 on its own date, with the finance and training of the year before (policy ``finance_year_offset``)."""
    if kind not in NUMBERED:
        return ""
    year = day.year - policy.on(day).finance_year_offset
    missing = []
    for name in (name for name in raws if name in files):  # the named records as they were, in the registry's order
        local = check_local(load_bytes(raws[name], name), policy, today)
        record = local.record
        if record is not None and local.status is not None:
            rows = (("财务（finance）", record.finance_for(year)), ("培训（training）", record.training_for(year)))
            parts = [label for label, row in rows if row is None]
            if parts:
                missing.append(f"{record.name or record.file}（{record.file}）缺少 {year} 年的{'和'.join(parts)}数据")
    if not missing:
        return ""
    return (f"{EVENT_ZH[kind]}按决定日期 {day} 核对备案条件，要用 {year} 年的财务和培训数据：" + "；".join(missing)
            + f"。请先在记录中录入 {year} 年的数据（表单编辑器或文件），再录入这个决定。")


def _certificate_numbers(before: Sequence[Facts], policy: PolicyHistory, kind: str, day: date, count: int) -> list[str | None]:
    """The certificate number of each new event: the next free ones of the decision year for a numbered decision, else None."""
    if kind not in NUMBERED:
        return [None] * count
    issued = [number for _, certificates in before for number in certificates]
    fmt = policy.on(day).certificate_format  # the numbering in force on the decision day
    return list(next_certificates(fmt, day.year, issued, count))


def _appended(raws: Mapping[str, bytes], file: str, kind: str, day: date, document: str, number: str | None) -> Change:
    """The change to ``file``: the decision appended as its last event (with its certificate number, if any)."""
    added = {"date": day.isoformat(), "type": kind, "document": document}
    if number:
        added["certificate"] = number
    return Change(file, raws[file], append_event(raws[file], added, file), number)


def _checked_after(raws: Mapping[str, bytes], changes: Sequence[Change], policy: PolicyHistory, today: date,
                   jobs: int | None = None) -> Registry:
    """The registry after the changes (its findings; its entries carry no record); refuses them all when a named record
    would have an error."""
    after = registry_from({**raws, **{c.file: c.after for c in changes}}, policy, today, jobs)
    named = {c.file for c in changes}
    errors = [f for f in after.findings if f.file in named and f.severity == "error"]
    if errors:
        raise DecideError(f"录入后 {len({f.file for f in errors})} 个记录会有错误，没有写入任何文件：", errors)
    return after
