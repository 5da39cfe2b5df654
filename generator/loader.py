"""The one strict YAML door (ARCHITECTURE.md sections 1-2, style rule 5).

Bytes -> (data, positions, findings). Refused with a finding, never an exception: text that
is not UTF-8, duplicate keys, anchors/aliases and merge keys, explicit tags, non-string keys,
several documents, a document that is not a mapping, nesting deeper than ``MAX_DEPTH``.
Dates stay strings (the schema checks them); every value keeps its line and column, and every
plain scalar its raw text so that "quote it" messages can quote what the clerk typed (read again
from the text when first asked for, for a file that passed the quick read: ``Positions``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.findings import Finding
from generator.rules import YAML_ALIAS, YAML_DUPLICATE_KEY, YAML_SYNTAX, YAML_TYPE, Rule
from generator.yamltext import CONTROL_VALUE, FIRST_CHARS, PLAIN, Quick, Scalar, decode, quick, resolve_plain, syntax_error

PathKey = tuple[str | int, ...]
StrPath = str | os.PathLike[str]  # a file to read: plain strings from the folder listing, Path elsewhere

MAX_DEPTH = 64
MAX_BYTES = 1_048_576  # a real record is about 4 KB; past 1 MB a file is refused unread
PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml through PyYAML (its pure-Python parser where the C one is missing)


class Positions:
    """1-based (line, column) of every value and mapping key, by path from the root: a scalar's in ``scalars`` (one
    dictionary entry per scalar, the most common value), a list's, a mapping's or an alias's in ``values``.

    A clean file is read the quick way (``yamltext.quick``): only the places every check asks for are ``kept``, and the
    dictionaries are read again from the text when first used (a finding's line, the form editor): most files have no
    finding, and a place for each value was most of the door's work (docs/benchmarks.md)."""

    __slots__ = ("values", "keys", "scalars", "kept")

    def __init__(self, values: dict[PathKey, tuple[int, int]] | None = None, keys: dict[PathKey, tuple[int, int]] | None = None,
                 scalars: dict[PathKey, Scalar] | None = None, kept: tuple[str, Quick] | None = None) -> None:
        if kept is None:
            self.values, self.keys, self.scalars = values or {}, keys or {}, scalars or {}
        self.kept = kept  # the text and its quick read, until the dictionaries are filled

    def __getattr__(self, name: str) -> Any:  # values, keys or scalars of a file read the quick way: read again, once
        if name not in ("values", "keys", "scalars"):
            raise AttributeError(name)
        if (kept := self.kept) is not None:  # None: another thread has just filled them (all three before ``kept``)
            full = _read(kept[0], "").positions
            self.values, self.keys, self.scalars, self.kept = full.values, full.keys, full.scalars, None
        return object.__getattribute__(self, name)

    def __getstate__(self) -> tuple[Any, ...]:
        return (kept,) if (kept := self.kept) is not None else (None, self.values, self.keys, self.scalars)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.kept = state[0]
        if self.kept is None:
            self.values, self.keys, self.scalars = state[1:]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Positions):
            return NotImplemented
        return (self.values, self.keys, self.scalars) == (other.values, other.keys, other.scalars)  # and so unhashable

    def texts(self) -> list[tuple[str | int, str]]:
        """Every text value as typed, with the key or list index it stands under (what a scan of texts looks at first)."""
        if (kept := self.kept) is not None:  # read once: another thread may fill the dictionaries meanwhile
            return kept[1].texts
        return [(path[-1], s.raw) for path, s in self.scalars.items() if path and s.kind == "str"]

    def has_float(self) -> bool:
        """Whether any value is written as a decimal number."""
        return kept[1].floats if (kept := self.kept) is not None else any(s.kind == "float" for s in self.scalars.values())

    def value_at(self, path: PathKey) -> tuple[int, int] | None:
        """Position of the value at exactly ``path`` (None: no value there)."""
        if (kept := self.kept) is not None and path in kept[1].values:
            return kept[1].values[path]
        scalar = self.scalars.get(path)
        return (scalar.line, scalar.col) if scalar is not None else self.values.get(path)

    def places(self) -> dict[PathKey, tuple[int, int]]:
        """Every value's position."""
        return {**self.values, **{path: (s.line, s.col) for path, s in self.scalars.items()}}

    def at(self, path: PathKey) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest recorded ancestor."""
        for end in range(len(path), -1, -1):
            found = self.value_at(tuple(path[:end]))
            if found is not None:
                return found
        return (1, 1)

    def key_at(self, path: PathKey) -> tuple[int, int]:
        """Position of the key that names ``path`` (falls back to the value)."""
        if (kept := self.kept) is not None and tuple(path) in kept[1].keys:
            return kept[1].keys[tuple(path)]
        return self.keys.get(tuple(path)) or self.at(path)


@dataclass(frozen=True)
class Loaded:
    """One file after the YAML door. ``data`` is None when the file could not be read."""

    file: str
    data: dict[str, Any] | None
    positions: Positions
    findings: tuple[Finding, ...]


def load_file(path: StrPath, display: str | None = None) -> Loaded:
    """Read ``path`` through the door; ``display`` is the name used in findings."""
    name = display if display is not None else Path(path).as_posix()
    try:
        raw = read_bytes(path)
    except OSError as exc:
        return _fail(name, 1, 1, YAML_SYNTAX, f"无法读取文件：{exc.strerror or exc}")
    return load_bytes(raw, name)


def read_bytes(path: StrPath) -> bytes:
    """A file's bytes, at most one past MAX_BYTES (enough for ``load_bytes`` to refuse it)."""
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def load_bytes(raw: bytes, file: str) -> Loaded:
    """Decode UTF-8 (BOM and CRLF allowed) and parse; any other encoding, or more than MAX_BYTES, is a finding."""
    if len(raw) > MAX_BYTES:
        return _fail(file, 1, 1, YAML_SYNTAX, f"文件超过 {MAX_BYTES // 1_048_576} MB，未读取：一家企业的记录通常只有几 KB，"
                     "请检查是否误粘贴了大段内容或放错了文件")
    text = decode(raw, file)
    return Loaded(file, None, Positions(), (text,)) if isinstance(text, Finding) else load_text(text, file)


def load_text(text: str, file: str) -> Loaded:
    """Parse ``text``: the quick way when the file is clean, else fully, with a finding for everything unusual."""
    read = quick(PARSER(text), MAX_DEPTH)
    return Loaded(file, read.data, Positions(kept=(text, read)), ()) if read is not None else _read(text, file).result()


def _read(text: str, file: str) -> _Builder:
    builder = _Builder(file)
    parser = PARSER(text)
    try:
        builder.run(parser)
    except yaml.MarkedYAMLError as exc:
        line, col, message = syntax_error(text, exc)
        builder.add(line, col, YAML_SYNTAX, message)
        builder.broken = True
    except yaml.YAMLError as exc:
        builder.add(1, 1, YAML_SYNTAX, f"YAML 语法错误：{exc}")
        builder.broken = True
    finally:
        parser.dispose()
    return builder


def _fail(file: str, line: int, col: int, rule: Rule, message: str) -> Loaded:
    return Loaded(file, None, Positions(), (rule.finding(file, line, col, message),))


_EXPECT_KEY = object()
_BAD_KEY = object()
_SCALAR, _ALIAS, _STREAM_END, _DOC_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent
_MAP_START, _MAP_END, _SEQ_START, _SEQ_END = yaml.MappingStartEvent, yaml.MappingEndEvent, yaml.SequenceStartEvent, yaml.SequenceEndEvent


@dataclass(slots=True)
class _Frame:
    kind: str  # "map" or "seq"
    container: Any
    path: PathKey | None  # None: built only to be thrown away
    role: str
    line: int
    col: int
    key: object = _EXPECT_KEY


class _Builder:
    """Builds plain Python data from parser events with an explicit stack (no recursion)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.positions = Positions()
        self.value_places, self.key_places, self.scalar_places = self.positions.values, self.positions.keys, self.positions.scalars
        self.frames: list[_Frame] = []
        self.root: Any = None
        self.has_root = False
        self.broken = False

    def add(self, line: int, col: int, rule: Rule, message: str) -> None:
        self.findings.append(rule.finding(self.file, line, col, message))

    def result(self) -> Loaded:
        data: dict[str, Any] | None = None
        if not self.broken:
            if not self.has_root or self.root is None:
                self.add(1, 1, YAML_SYNTAX, "文件为空：请按模板填写企业信息（ipreg new 可生成模板）")
            elif not isinstance(self.root, dict):
                what = "列表" if isinstance(self.root, list) else "单个值"
                line, col = self.positions.value_at(()) or (1, 1)
                self.add(line, col, YAML_SYNTAX, f"文件顶层是{what}，应为“字段: 值”的映射（如 name: 某某有限公司）")
            else:
                data = self.root
        return Loaded(self.file, data, self.positions, tuple(self.findings))

    def run(self, parser: Any) -> None:
        """Consume the parser's events; scalars (most events) take the inlined fast path."""
        documents = 0
        get_event = parser.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is _SCALAR:
                self.scalar(event)
            elif kind is _MAP_START or kind is _SEQ_START:
                if not self.start(event):
                    return
            elif kind is _MAP_END or kind is _SEQ_END:
                frame = self.frames.pop()
                self.complete(frame.container, frame.role, frame.path, frame.line, frame.col, None)
            elif kind is _DOC_START:
                documents += 1
                if documents > 1:
                    line, col = _mark(event)
                    self.add(line, col, YAML_SYNTAX, "一个文件只能有一个 YAML 文档：请删除多余的“---”和后面的内容")
                    self.broken = True
                    return
            elif kind is _ALIAS:
                line, col = _mark(event)
                self.add(line, col, YAML_ALIAS, f"不允许使用别名 *{event.anchor}：请把内容直接写出来")
                role, path = self.role()
                if path is not None:
                    self.value_places[path] = (line, col)
                self.complete(None, role, path, line, col, None)
            elif event is None or kind is _STREAM_END:
                return

    def role(self) -> tuple[str, PathKey | None]:
        if not self.frames:
            return "root", ()
        top = self.frames[-1]
        if top.kind == "seq":
            return "item", None if top.path is None else top.path + (len(top.container),)
        if top.key is _EXPECT_KEY:
            return "key", None
        if top.path is None or top.key is _BAD_KEY:
            return "value", None
        assert isinstance(top.key, str)
        return "value", top.path + (top.key,)

    def start(self, event: Any) -> bool:
        role, path = self.role()
        line, col = _mark(event)
        if event.anchor is not None:
            self.add(line, col, YAML_ALIAS, f"不允许使用锚点 &{event.anchor}：请把内容直接写出来")
        if event.tag is not None:
            self.add(line, col, YAML_TYPE, f"不允许使用 YAML 标签 {event.tag}：请删除它，只写值本身")
        if path is not None:
            self.value_places[path] = (line, col)
        if len(self.frames) >= MAX_DEPTH:
            self.add(line, col, YAML_SYNTAX, f"嵌套超过 {MAX_DEPTH} 层：登记表不会有这么深的结构，请检查缩进")
            self.broken = True
            return False
        kind = "map" if type(event) is _MAP_START else "seq"
        self.frames.append(_Frame(kind, {} if kind == "map" else [], path, role, line, col))
        return True

    def scalar(self, event: yaml.ScalarEvent) -> None:
        """The common scalars (nine in ten events): a key of a mapping, a value or an item, untagged, without an anchor, of a
        type already seen (``_PLAIN``) or quoted. Anything else, or anything that would be a finding, takes ``general``."""
        frames, mark = self.frames, event.start_mark
        if not frames or mark is None or event.anchor is not None or event.tag is not None:
            return self.general(event)
        raw = event.value
        plain = event.implicit[0]
        if plain and (not raw or raw[0] in FIRST_CHARS):
            resolved = PLAIN.get(raw)
            if resolved is None or resolved[2]:
                return self.general(event)
            kind, value = resolved[0], resolved[1]
        elif event.style == '"' and CONTROL_VALUE.search(raw) is not None:
            return self.general(event)
        else:
            kind, value = "str", raw
        top = frames[-1]
        if top.kind == "seq":
            if top.path is None:
                return self.general(event)
            path = top.path + (len(top.container),)
            top.container.append(value)
        elif top.key is _EXPECT_KEY:
            if kind != "str" or value in top.container:
                return self.general(event)
            if top.path is not None:
                self.key_places[top.path + (value,)] = (mark.line + 1, mark.column + 1)
            top.key = value
            return None
        else:
            if top.path is None or top.key is _BAD_KEY:
                return self.general(event)
            path = top.path + (top.key,)  # type: ignore[operator]
            top.container[top.key] = value
            top.key = _EXPECT_KEY
        self.scalar_places[path] = _new_scalar(Scalar, (raw, bool(plain), kind, mark.line + 1, mark.column + 1))
        return None

    def general(self, event: yaml.ScalarEvent) -> None:
        """Any scalar: role() and common() inlined, with every finding a scalar can have."""
        line, col = _mark(event)
        path: PathKey | None
        if not self.frames:
            role, path = "root", ()
        else:
            top = self.frames[-1]
            key = top.key
            if top.kind == "seq":
                role, path = "item", None if top.path is None else top.path + (len(top.container),)
            elif key is _EXPECT_KEY:
                role, path = "key", None
            elif top.path is None or key is _BAD_KEY:
                role, path = "value", None
            else:
                role, path = "value", top.path + (key,)  # type: ignore[operator]
        if event.anchor is not None:
            self.add(line, col, YAML_ALIAS, f"不允许使用锚点 &{event.anchor}：请把内容直接写出来")
        tag = event.tag
        if tag is not None and tag != "!":
            self.add(line, col, YAML_TYPE, f"不允许使用 YAML 标签 {tag}：请删除它，只写值本身")
        raw = event.value
        plain = bool(event.implicit[0])
        if plain and (tag is None or tag == "!") and (not raw or raw[0] in FIRST_CHARS):
            resolved = PLAIN.get(raw)
            if resolved is None:
                resolved = resolve_plain(event)
            kind, value, surprise = resolved
            if surprise and tag is None:
                self.add(line, col, YAML_TYPE, surprise)
        else:
            kind, value = "str", raw  # quoted, tagged, or a plain scalar no implicit type can start with
            if event.style == '"':
                control = CONTROL_VALUE.search(raw)
                if control is not None:  # a YAML escape such as "\x1b" or "\u200b" made it
                    self.add(line, col, YAML_SYNTAX, f"引号中的转义写法产生了不可见的控制字符或格式字符（U+{ord(control.group()):04X}）："
                             "它会破坏网页、日历和订阅文件，请删除这个转义")
        if path is not None:
            self.scalar_places[path] = Scalar(raw, plain, kind, line, col)
        if role == "value":
            top = self.frames[-1]
            if top.key is not _BAD_KEY:
                top.container[top.key] = value
            top.key = _EXPECT_KEY
        elif role == "item":
            self.frames[-1].container.append(value)
        else:
            self.complete(value, role, path, line, col, kind)

    def complete(self, value: Any, role: str, path: PathKey | None, line: int, col: int, kind: str | None) -> None:
        if role == "root":
            self.root, self.has_root = value, True
            return
        top = self.frames[-1]
        if role == "item":
            top.container.append(value)
        elif role == "key":
            top.key = self.key(top, value, kind, line, col)
        else:
            if top.key is not _BAD_KEY:
                top.container[top.key] = value
            top.key = _EXPECT_KEY

    def key(self, top: _Frame, value: Any, kind: str | None, line: int, col: int) -> object:
        if kind == "merge":
            self.add(line, col, YAML_ALIAS, "不允许使用合并键 <<：请把字段逐个写出来")
            return _BAD_KEY
        if kind is None or not isinstance(value, str):
            shown = value if kind is not None else "（列表或映射）"
            self.add(line, col, YAML_TYPE, f"字段名 {shown} 不是文字：字段名应为英文小写，如 name；若确需此名请加引号")
            return _BAD_KEY
        if value in top.container:
            first = self.key_places.get((top.path or ()) + (value,), (top.line, top.col))
            self.add(line, col, YAML_DUPLICATE_KEY, f"字段 {value} 重复出现（第一次在第 {first[0]} 行）：请删除或合并其中一个")
            return _BAD_KEY
        if top.path is not None:
            self.key_places[top.path + (value,)] = (line, col)
        return value


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_new_scalar = tuple.__new__  # what Scalar(...) does, without the call of its Python __new__
