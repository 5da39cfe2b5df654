"""``ipreg service`` and ``ipreg priority``: one entry (a service of Art. 11, a priority support of Art. 13) added to
each named record, like ``ipreg decide`` (design section 10).

The change is only added lines: the entry goes into the record's ``services`` / ``priority_support`` list at its date
(after the entries of the same or an earlier date), in the style of the list's items; a record without the list gets
it at its end. Nothing is written unless every named record passes the full check afterwards (an entry on a day the
enterprise was not entitled to priority support is an error: ``art13.not-entitled``); the CLI holds the registry lock
from reading to writing, and ``journal.commit`` writes every file or none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import yaml

from generator.findings import Finding
from generator.ids import document_form
from generator.labels import OUTCOME_WORDS_ZH, PROGRAMME_WORDS_ZH, PROGRAMME_ZH, SERVICE_KIND_ZH, SERVICE_WORDS_ZH, SUPPORT_OUTCOME_ZH
from generator.loader import load_bytes
from generator.policy import PolicyHistory
from generator.rules.cultivation import ART11_NOT_LISTED
from generator.writing.decisions import Change, DecideError, _checked_after, _line_end, _require_records, _scalar, compose_record

Value = str | int
NEW_WARNINGS = (ART11_NOT_LISTED.id,)  # what an added entry may cause and the clerk should read at once
# what a service of each kind must state (the schema requires it too; asked here first, in the clerk's words)
REQUIRED = {"pledge_financing": (("amount", "--amount 金额（元）"), ("lender", "--lender 贷款机构")),
            "training": (("participants", "--participants 参训人数"),)}
ONLY_FOR = {"amount": "pledge_financing", "lender": "pledge_financing"}  # the schema refuses them on any other kind


@dataclass(frozen=True)
class Request:
    """What to add: the list (``services`` or ``priority_support``) and the entry, its keys in the record's order."""

    key: str
    entry: dict[str, Value]

    @property
    def day(self) -> date:
        return date.fromisoformat(str(self.entry["date"]))


def code_of(word: str, table: Mapping[str, str], option: str, words: Mapping[str, str] | None = None) -> str:
    """A code as the clerk wrote it: the code itself, its Chinese label or a short word for it (labels); refuses anything
    else."""
    word = word.strip()
    if word in table:
        return word
    by_label = {label: code for code, label in table.items()} | dict(words or {})
    if word in by_label:
        return by_label[word]
    raise DecideError(f"{option} {word} 不是可选的值：可选 " + "、".join(f"{code}（{label}）" for code, label in table.items()))


def service_request(kind: str, day: date, title: str | None, document: str | None, provider: str | None, amount: str | None,
                    lender: str | None, participants: str | None) -> Request:
    """The service entry of ``ipreg service``; refuses a kind it does not know and a missing amount, lender or count."""
    code = code_of(kind, SERVICE_KIND_ZH, "--kind", SERVICE_WORDS_ZH)
    given: dict[str, Value | None] = {"amount": _count(amount, "--amount"), "lender": _text(lender),
                                      "participants": _count(participants, "--participants")}
    missing = [option for key, option in REQUIRED.get(code, ()) if given[key] is None]
    if missing:
        raise DecideError(f"{SERVICE_KIND_ZH[code]}须写明 {'、'.join(missing)}")
    misplaced = [f"--{key}" for key, kind in ONLY_FOR.items() if given[key] is not None and kind != code]
    if misplaced:
        raise DecideError(f"{'、'.join(misplaced)} 只用于{SERVICE_KIND_ZH['pledge_financing']}（pledge_financing），"
                          f"{SERVICE_KIND_ZH[code]}不写：请去掉，或核对 --kind")
    entry: dict[str, Value | None] = {"date": day.isoformat(), "kind": code, "title": _text(title) or SERVICE_KIND_ZH[code],
                                      "document": _document(document), "provider": _text(provider), **given}
    return Request("services", {k: v for k, v in entry.items() if v is not None})


def priority_request(programme: str, outcome: str, day: date, document: str | None) -> Request:
    """The priority support entry of ``ipreg priority``."""
    entry: dict[str, Value | None] = {"date": day.isoformat(),
                                      "programme": code_of(programme, PROGRAMME_ZH, "--programme", PROGRAMME_WORDS_ZH),
                                      "outcome": code_of(outcome, SUPPORT_OUTCOME_ZH, "--outcome", OUTCOME_WORDS_ZH),
                                      "document": _document(document)}
    return Request("priority_support", {k: v for k, v in entry.items() if v is not None})


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _document(value: str | None) -> str | None:
    text = _text(value)
    return document_form(text) if text else None


def _count(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    text = value.strip().replace(",", "").replace("，", "")
    if not text.isdigit() or int(text) < 1:
        raise DecideError(f"{option} {value} 不是正整数：金额写整数元，人数写整数")
    return int(text)


def plan(raws: Mapping[str, bytes], prefix: str, request: Request, usccs: Sequence[str], policy: PolicyHistory, today: date,
         notes: Sequence[Finding] = (), jobs: int | None = None) -> tuple[list[Change], list[Finding]]:
    """The changes that add ``request`` to each named record of the registry ``raws``, checked within the whole registry
    afterwards, and the warnings the new entry causes in them (a service on a day the enterprise was not listed); raises
    DecideError (nothing to write) when a named record is missing or would have an error."""
    codes = list(dict.fromkeys(u.strip().upper() for u in usccs if u.strip()))
    if not codes:
        raise DecideError("没有给出企业：请在命令最后写一个或多个统一社会信用代码")
    if request.day > today:
        raise DecideError(f"日期 {request.day} 晚于今天（{today}）：只能录入已经开展的服务和已经作出的支持")
    _require_records(raws, prefix, codes, notes)
    _refuse_repeats(raws, [f"{prefix}{code}.yaml" for code in codes], request)
    changes = []
    for code in codes:
        file = f"{prefix}{code}.yaml"
        changes.append(Change(file, raws[file], add_entry(raws[file], request, file), None))
    after = _checked_after(raws, changes, policy, today, jobs)
    added = {c.file: _added_lines(c) for c in changes}  # the new entry's warnings, not those of the record's older entries
    return changes, [f for f in after.findings if f.rule in NEW_WARNINGS and f.line in added.get(f.file, ())]


def _added_lines(change: Change) -> range:
    """The 1-based numbers of the lines ``change`` inserted (an entry is only ever inserted, in one place)."""
    old = change.before.decode("utf-8-sig").splitlines()
    new = change.after.decode("utf-8-sig").splitlines()
    first = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    return range(first + 1, first + 1 + len(new) - len(old))


def _refuse_repeats(raws: Mapping[str, bytes], files: Sequence[str], request: Request) -> None:
    """Refuses the whole command when a named record already has this very entry (every value the same): most often the
    same command run twice, which would count one service or support twice in every total."""
    found = []
    for file in files:
        loaded = load_bytes(raws[file], file)
        items = (loaded.data or {}).get(request.key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict) and _same(item, request.entry):
                found.append(f"{file} 第 {(loaded.positions.value_at((request.key, i)) or (1, 1))[0]} 行")
                break
    if found:
        options = "--title 或 --document" if request.key == "services" else "--document"
        raise DecideError(f"这一项已经录入过（日期和内容都相同，可能是同一命令运行了两次）：{'；'.join(found)}。没有写入任何文件；"
                          f"如确是另一次，请用 {options} 写明区别")


def _same(item: Mapping[str, object], entry: Mapping[str, Value]) -> bool:
    """The same fields with the same values (a 文号 compared in its standard form, as ipreg writes it)."""
    if set(item) != set(entry):
        return False
    return all(_document(str(item[k])) == v if k == "document" else str(item[k]) == str(v) for k, v in entry.items())


def add_entry(raw: bytes, request: Request, file: str) -> bytes:
    """``raw`` with the entry added to its list at its date, or the list added at the end of the record."""
    bom, lines, root = compose_record(raw, file)
    found = next((value for key, value in root.value if isinstance(key, yaml.ScalarNode) and key.value == request.key), None)
    newline = _line_end(lines, len(lines) - 1) if lines else "\n"
    if found is None:
        new = [f"{request.key}:{newline}", *_item(request.entry, "  - ", 4, {}, newline)]
        if lines and not lines[-1].endswith(("\n", "\r")):
            new = [newline, *new]
        return (b"\xef\xbb\xbf" if bom else b"") + "".join(lines + new).encode("utf-8")
    if not isinstance(found, yaml.SequenceNode) or not found.value or found.flow_style:
        raise DecideError(f"{file} 的 {request.key} 不是按块格式（每项一行 “- date: …”）书写的列表：请手工录入")
    body = _inserted(lines, found, request, file)
    return (b"\xef\xbb\xbf" if bom else b"") + "".join(body).encode("utf-8")


def _inserted(lines: list[str], seq: yaml.SequenceNode, request: Request, file: str) -> list[str]:
    """The lines with the entry inserted before the first item dated after it, else after the last item."""
    items = [node for node in seq.value if isinstance(node, yaml.MappingNode) and node.value]
    if len(items) != len(seq.value):
        raise DecideError(f"{file} 的 {request.key} 中有一项不是“键: 值”的映射：请先运行 ipreg check 修改")
    last = items[-1]
    key_col = last.start_mark.column
    prefix = lines[last.start_mark.line][:key_col]
    dash_col = len(prefix.rstrip()) - 1
    if dash_col < 0 or prefix.rstrip()[dash_col:] != "-" or prefix[:dash_col].strip():
        raise DecideError(f"{file} 的 {request.key} 格式特殊（不是 “- 键: 值”）：请手工录入")
    dash = " " * dash_col + "-" + " " * (key_col - dash_col - 1)
    quoted = {k.value: v.style in ('"', "'") for k, v in last.value if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}
    later = next((node for node in items if _date_of(node) is not None and str(_date_of(node)) > request.day.isoformat()), None)
    if later is not None:
        at = later.start_mark.line
        return lines[:at] + _item(request.entry, dash, key_col, quoted, _line_end(lines, at)) + lines[at:]
    end = max(v.end_mark.line for _, v in last.value)
    if last.value[-1][1].end_mark.column == 0:
        end -= 1
    new = _item(request.entry, dash, key_col, quoted, _line_end(lines, end))
    if not lines[end].endswith(("\n", "\r")):
        newline = _line_end(lines, end)
        new[-1] = new[-1][:-len(newline)]
        new[0] = newline + new[0]
    return lines[:end + 1] + new + lines[end + 1:]


def _date_of(node: yaml.MappingNode) -> str | None:
    return next((v.value for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "date" and isinstance(v, yaml.ScalarNode)),
                None)


def _item(entry: Mapping[str, Value], dash: str, key_col: int, quoted: Mapping[str, bool], newline: str) -> list[str]:
    out = []
    for i, (key, value) in enumerate(entry.items()):
        shown = str(value) if isinstance(value, int) else _scalar(value, quoted.get(key, False), key)
        out.append((dash if i == 0 else " " * key_col) + f"{key}: {shown}{newline}")
    return out
