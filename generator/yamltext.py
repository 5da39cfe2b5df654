"""What is wrong with the text of a YAML file, in a clerk's words: an encoding that is not UTF-8, invisible control
characters, and the real cause of a syntax error (a full-width colon or space, an unclosed quote) where the parser
stopped at its consequence; the type YAML 1.1 gives a plain scalar, with what would surprise a clerk about it; and the
quick read of a clean file (``quick``). ``loader`` uses it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml
from yaml.nodes import ScalarNode

from generator.findings import Finding
from generator.rules import YAML_SYNTAX


def syntax_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Line, column and message of a syntax error: the likely cause on an earlier line when there is one."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    cause = _full_width_cause(text, line)
    if cause is not None:
        return cause
    quote = _unclosed_quote(text, line)
    if quote is not None:
        return quote[0], quote[1], "引号没有闭合：这一行的值以引号开头，但没有以同样的引号结尾"
    return line, col, _explain_syntax(exc)


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode(raw: bytes, file: str) -> str | Finding:
    def err(line: int, message: str) -> Finding:
        return YAML_SYNTAX.finding(file, line, 1, message)

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return err(1, "文件是 UTF-16 编码：请用编辑器“另存为 UTF-8”后再提交")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        return err(
            _line_of(raw, nul),
            "文件含有 NUL 字节：它可能是 UTF-16 编码或二进制文件，请另存为 UTF-8 文本",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = "请用编辑器“另存为 UTF-8”后再提交"
        try:
            raw.decode("gb18030")
            hint = "它看起来是 GBK/GB18030 编码，" + hint
        except UnicodeDecodeError:
            pass
        return err(_line_of(raw, exc.start), f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节起无法解码）：{hint}")
    control = _CONTROL.search(text)
    if control is not None:
        return err(text.count("\n", 0, control.start()) + 1,
                   f"文件含有不可见的控制字符或格式字符（U+{ord(control.group()):04X}）：它常来自从网页或表格复制的内容，请删除后再提交")
    return text


_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"  # zero-width and bidi controls
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ufffe\uffff{_INVISIBLE}]")
CONTROL_VALUE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\ufffe\uffff{_INVISIBLE}]")  # after escapes: tab and newline only

_SYNTAX_HINTS = (
    ("tab character", "这里有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("did not find expected node content", "这里缺少值，或者缩进、括号不对"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或其中缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或其中缺少逗号"),
    ("block sequence entries are not allowed", "列表项“- ”的位置不对：请检查缩进"),
    ("found unknown escape character", "双引号中的反斜杠 \\ 有特殊含义：请写成 \\\\，或改用单引号"),
    ("found undefined tag handle", "不允许使用 YAML 标签（以 ! 开头）：请删除它，只写值本身"),
    ("found unexpected ':'", "这里不能出现冒号：值中含有冒号时请给整个值加引号"),
    ("cannot start any token", "这里有制表符（Tab）或 YAML 不能识别的字符：缩进只能用空格，值中的特殊字符请加引号"),
    ("found unexpected end of stream", "引号没有闭合：请检查引号是否成对"),
    ("while scanning a quoted scalar", "引号没有闭合：请检查引号是否成对"),
    ("mapping values are not allowed", "这里不能出现“冒号+空格”：值中含有冒号时请给整个值加引号，或检查缩进"),
    ("could not find expected ':'", "缺少冒号“:”，或上一行的缩进不对"),
    ("did not find expected key", "缩进不对：同一层的字段要左对齐，列表项以“- ”开头"),
    ("did not find expected '-' indicator", "缩进不对：列表项要以“- ”开头并左对齐"),
    ("control characters are not allowed", "文件含有不可见的控制字符：请删除后再提交"),
    ("special characters are not allowed", "文件含有不可见的特殊字符：请删除后再提交"),
    ("exceeded maximum nesting depth", "嵌套层数过深：登记表不会有这么深的结构，请检查括号和缩进"),
    ("found duplicate anchor", "锚点重复：本登记簿不允许使用锚点（&）"),
)


_VALUE_START = re.compile(r"^\s*(?:-\s+)?(?:[^\s#'\"][^:#]*:\s+)?(?P<q>[\"'])")


_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*[ \u3000]*(?P<c>：)")
_FULL_WIDTH_INDENT = re.compile(r"^[ \t]*(?P<c>[\u3000\u00a0])")
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*(?P<c>:)[^\s:/]")


def _full_width_cause(text: str, upto: int) -> tuple[int, int, str] | None:
    """A full-width colon after a key, a full-width or no-break space in the indentation, or a key with no space after
    its colon, on a line up to the one the parser stopped at (it stops a line later, at the consequence): the real
    mistake, where it is."""
    for number, line in enumerate(text.splitlines()[:upto + 1], start=1):
        colon = _FULL_WIDTH_COLON.match(line)
        if colon:
            return number, colon.start("c") + 1, "这里是中文冒号“：”：字段名后面要用英文冒号“:”，再加一个空格（如 established: 2018-04-12）"
        indent = _FULL_WIDTH_INDENT.match(line)
        if indent and indent["c"] == "\u3000":
            return number, indent.start("c") + 1, "缩进里有全角空格（中文输入法的空格）：缩进只能用普通空格，请删掉重打"
        if indent:
            return number, indent.start("c") + 1, "缩进里有不换行空格（U+00A0，常从 Word 或网页复制而来）：缩进只能用普通空格，请删掉重打"
        bare = _NO_SPACE_AFTER_COLON.match(line)
        if bare:
            return number, bare.start("c") + 1, "冒号后面少了一个空格：字段名、英文冒号、空格、值，如 name: 西平县某某有限公司"
    return None


def _unclosed_quote(text: str, upto: int) -> tuple[int, int] | None:
    """The first line up to ``upto`` whose value opens a quote it never closes (a likely cause)."""
    for number, line in enumerate(text.splitlines()[:upto], start=1):
        match = _VALUE_START.match(line)
        if match is None:
            continue
        quote, rest = match["q"], line[match.end():]
        body = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in body:
            return number, match.start("q") + 1
    return None


def _explain_syntax(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for needle, message in _SYNTAX_HINTS:
        if needle in problem or needle in (exc.context or ""):
            return message
    return f"YAML 语法错误：{problem or exc.context or exc}"


# -- the type of a plain scalar ---------------------------------------------------------------

MAX_NUMBER_CHARS = 40  # no amount, count or year needs more; longer "numbers" are refused before YAML builds them
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
FIRST_CHARS = frozenset(c for c in _RESOLVER.yaml_implicit_resolvers if c is not None)


_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^-?(0|[1-9][0-9]*)\.[0-9]+$")


def _yaml11_surprise(kind: str, raw: str, value: Any) -> str | None:
    """YAML 1.1 reads some plain words and numbers in ways a clerk would not expect."""
    if kind == "bool" and raw not in ("true", "false"):
        shown = "true" if value else "false"
        return f"YAML 会把 {raw} 读成布尔值 {shown}：若是文字请加引号写成 \"{raw}\"；若表示是/否请写 true 或 false"
    if kind == "int" and not _DECIMAL.match(raw):
        return f"YAML 会把 {raw} 读成数字 {value}：若是编号或文字请加引号写成 \"{raw}\"；若是数字请写成普通十进制数"
    if kind == "float" and not _FLOAT.match(raw):
        return f"{raw} 不是普通的数字写法（YAML 会读成 {value}）：若是编号或文字请加引号；若是数字请写成如 12.5 的形式"
    if kind == "null" and raw not in ("", "~", "null"):
        return f"YAML 会把 {raw} 读成空值：若是文字请加引号写成 \"{raw}\""
    return None


PLAIN: dict[str, tuple[str, Any, str | None]] = {}  # raw text -> (kind, value, surprise); dates and numbers repeat a lot
PLAIN_LIMIT = 50_000


def resolve_plain(event: yaml.ScalarEvent) -> tuple[str, Any, str | None]:
    """A plain scalar's (kind, value, YAML 1.1 surprise): a function of its text alone, so remembered."""
    kind, value = _construct(event)
    if kind == "long":
        return "str", event.value, (f"{event.value[:20]}…… 是一个 {len(event.value)} 个字符长的数字写法：金额、人数和年份不会这么长，"
                                    "请检查是否误粘贴；若是编号或文字请加引号")
    resolved = (kind, value, _yaml11_surprise(kind, event.value, value))
    if len(event.value) <= MAX_NUMBER_CHARS:
        if len(PLAIN) >= PLAIN_LIMIT:
            PLAIN.clear()
        PLAIN[event.value] = resolved
    return resolved


def _construct(event: yaml.ScalarEvent) -> tuple[str, Any]:
    """(kind, value) of a scalar. Timestamps stay text: the schema checks dates."""
    if event.tag is not None and event.tag != "!":
        return "str", event.value
    if not event.implicit[0] or (event.value and event.value[0] not in FIRST_CHARS):
        return "str", event.value  # quoted, or a plain scalar no implicit type can start with
    tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    kind = tag[len(_TAG):] if tag.startswith(_TAG) else "str"
    if kind in ("int", "float") and len(event.value) > MAX_NUMBER_CHARS:
        return "long", event.value  # never built: huge integers are slow (sexagesimal) or refused by Python's str()
    node = ScalarNode(tag, event.value)
    try:
        if kind == "null":
            return kind, None
        if kind == "bool":
            return kind, _CONSTRUCTOR.construct_yaml_bool(node)
        if kind == "int":
            return kind, _CONSTRUCTOR.construct_yaml_int(node)
        if kind == "float":
            return kind, _CONSTRUCTOR.construct_yaml_float(node)
    except (ValueError, TypeError):
        return "str", event.value
    if kind in ("merge", "timestamp"):
        return kind, event.value
    return "str", event.value


class Scalar(NamedTuple):
    """What the clerk typed for one scalar: its raw text, whether unquoted, YAML's type, and where it starts."""

    raw: str
    plain: bool
    kind: str  # str, int, float, bool, null, timestamp
    line: int
    col: int


# -- the quick read of a clean file -------------------------------------------------------------

KEPT_KEYS = frozenset({"number", "certificate", "document"})  # the identifiers compared across files (registry._keys)
_EXPECT, _ITEM = object(), object()  # a mapping frame waiting for its next key; a sequence frame
_SCALAR_EVENT, _ALIAS_EVENT, _DOCUMENT_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_MAPPING_START, _SEQUENCE_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
Place = tuple[int, int]


@dataclass(frozen=True, slots=True)  # frozen: pickled by every protocol, as the line map it is part of
class Quick:
    """A clean file read without a place for every value: its data; the places every check of every file asks for
    (each top-level key and value, and the identifiers in the items of top-level lists: ``KEPT_KEYS``); each text value
    as typed, with the key or index it stands under; and whether any value was written as a decimal number."""

    data: dict[str, Any]
    values: dict[tuple[str | int, ...], Place]
    keys: dict[tuple[str | int, ...], Place]
    texts: list[tuple[str | int, str]]
    floats: bool


def quick(parser: Any, max_depth: int) -> Quick | None:
    """Read a file the quick way, or None when anything in it is unusual: an anchor, alias, tag, key that is not plain
    text or repeats, a scalar with a YAML 1.1 surprise or an escaped control character, a second document, nesting past
    ``max_depth``, a top level that is not a mapping, or a syntax error. Such a file is read again by the full door,
    which words what it finds; for every other file both give the same data and no finding (tests/test_loader.py)."""
    read = _QuickRead(max_depth)
    try:
        done = read.run(parser.get_event)
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return Quick(read.root, read.values, read.keys, read.texts, read.floats) if done and type(read.root) is dict else None


class _QuickRead:
    """The events of a clean file into data, with only the places and texts ``Quick`` keeps."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.stack: list[list[Any]] = []  # [container, the key awaited or being filled (_EXPECT, _ITEM), path or None]
        self.values: dict[tuple[str | int, ...], Place] = {}
        self.keys: dict[tuple[str | int, ...], Place] = {}
        self.texts: list[tuple[str | int, str]] = []
        self.root: Any = None
        self.floats = False

    def run(self, get_event: Any) -> bool:
        """Whether the whole file was read without anything unusual. Scalars, nine events in ten, are read inline."""
        stack, texts, values, start, documents = self.stack, self.texts, self.values, self.start, 0
        while True:
            event = get_event()
            kind = type(event)
            if kind is _SCALAR_EVENT:
                if event.anchor is not None or event.tag is not None or not stack:
                    return False
                raw = event.value
                if event.implicit[0] and (not raw or raw[0] in FIRST_CHARS):
                    resolved = PLAIN.get(raw) or resolve_plain(event)
                    if resolved[2] is not None:
                        return False
                    typed, value = resolved[0], resolved[1]
                    self.floats = self.floats or typed == "float"
                elif event.style == '"' and CONTROL_VALUE.search(raw) is not None:
                    return False
                else:
                    typed, value = "str", raw
                top = stack[-1]
                container, key, path = top
                if key is _ITEM:
                    if typed == "str":
                        texts.append((len(container), raw))
                    container.append(value)
                elif key is _EXPECT:
                    if typed != "str" or value in container:
                        return False
                    top[1] = value
                    if path == ():
                        self.keys[(value,)] = _place(event)
                else:
                    container[key] = value
                    top[1] = _EXPECT
                    if typed == "str":
                        texts.append((key, raw))
                    if path is not None and (path == () or key in KEPT_KEYS):
                        values[path + (key,)] = _place(event)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if not start(event, kind is _MAPPING_START):
                    return False
            elif kind in _ENDS:
                stack.pop()
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    return False
            elif kind is _ALIAS_EVENT:
                return False
            elif event is None or kind is yaml.StreamEndEvent:
                return True

    def start(self, event: Any, mapping: bool) -> bool:
        if event.anchor is not None or event.tag is not None or len(self.stack) >= self.max_depth:
            return False
        new: Any = {} if mapping else []
        path: tuple[str | int, ...] | None = None
        if not self.stack:
            self.root, path = new, ()
        else:
            top = self.stack[-1]
            container, key, parent = top
            if key is _ITEM:
                if parent is not None and len(parent) == 1:
                    path = parent + (len(container),)
                container.append(new)
            elif key is _EXPECT:
                return False
            else:
                if parent == ():
                    path = (key,)
                    self.values[path] = _place(event)
                container[key] = new
                top[1] = _EXPECT
        self.stack.append([new, _EXPECT if mapping else _ITEM, path])
        return True


def _place(event: Any) -> Place:
    mark = event.start_mark  # always there with libyaml and with PyYAML's own parser
    return mark.line + 1, mark.column + 1
