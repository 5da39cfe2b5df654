"""A save from the form written the way ``ipreg new`` and ``ipreg decide`` write a record: the form sends the whole
record as Decap re-serialised it (no comments, codes unquoted, lists reflowed); this module puts only what changed
into the file as it was, so comments, quotes on codes, block lists and blank lines stay, and the git diff of the save
is the lines the clerk changed.

``keep(old, new)``: ``old`` the file's bytes (``None`` for a new record), ``new`` the text the form sent. A changed
value replaces the old value's text on its line (quoted as the old one was, codes always quoted); an added key or list
item is appended in block style at the indentation of its neighbours; a removed key or item takes its lines with it.
Where the old text has a shape this cannot edit in place (flow lists that changed length, multi-line scalars), that
node is written again in block style; if the old file cannot be read at all, the whole record is written in block
style with codes quoted.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.errors import IpregError

CODES = frozenset({"uscc", "number", "certificate", "document"})  # written quoted, like the template
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Loader(yaml.SafeLoader):
    """YAML as the record's values: dates stay text (the form sends them as text too)."""


_Loader.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class _Unchangeable(IpregError):
    """The old text has a shape this module does not edit in place."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _value(node: yaml.Node) -> Any:
    return yaml.load(yaml.serialize(node), Loader=_Loader)


def scalar_text(value: Any, key: str = "", quoted: bool = False) -> str:
    """One value as the records write it: codes and text YAML would read otherwise double-quoted, dates plain."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if key in CODES or quoted:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if _DAY.fullmatch(text):
        return text
    try:
        plain = yaml.load(f"k: {text}", Loader=_Loader) == {"k": text} and "#" not in text and text == text.strip()
    except yaml.YAMLError:
        plain = False
    return text if plain and text else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def block(value: Any, indent: int, key: str = "") -> list[str]:
    """``value`` as block-style lines at ``indent`` (for a mapping: its keys; a list: its "- " items)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{k}:")
                lines += block(v, indent + 2, str(k))
            else:
                lines.append(f"{pad}{k}: {'[]' if v == [] else '{}' if v == {} else scalar_text(v, str(k))}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            inner = block(item, indent + 2, key) if isinstance(item, (dict, list)) and item else [pad + "  " + scalar_text(item, key)]
            lines.append(pad + "- " + inner[0][indent + 2:])
            lines += inner[1:]
        return lines
    return [pad + scalar_text(value, key)]


class _Edits:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.edits: list[tuple[int, int, str]] = []
        self.newline = "\r\n" if "\r\n" in text else "\n"

    def offset(self, mark: yaml.Mark) -> int:
        return self.starts[mark.line] + mark.column

    def line_end(self, line: int) -> int:
        """Offset just after line ``line`` (0-based) including its line end."""
        return self.starts[min(line + 1, len(self.lines))]

    def apply(self) -> str:
        text = self.text
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):  # a removal before an insertion at its start
            text = text[:start] + new + text[end:]
        return text


def _last_line(node: yaml.Node) -> int:
    """The 0-based line of the node's last character (a block collection's own end mark is the next token's start)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1])
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def _walk(ed: _Edits, node: yaml.Node, new: Any, key: str) -> None:
    if isinstance(node, yaml.ScalarNode) and not isinstance(new, (dict, list)):
        if _value(node) == new:
            return
        if node.start_mark.line != node.end_mark.line or node.style in ("|", ">"):
            raise _Unchangeable
        ed.edits.append((ed.offset(node.start_mark), ed.offset(node.end_mark), scalar_text(new, key, node.style in ('"', "'"))))
    elif isinstance(node, yaml.MappingNode) and isinstance(new, dict) and not node.flow_style:
        _mapping(ed, node, new)
    elif isinstance(node, yaml.SequenceNode) and isinstance(new, list):
        _sequence(ed, node, new, key)
    elif _value(node) != new:
        raise _Unchangeable


def _mapping(ed: _Edits, node: yaml.MappingNode, new: dict[str, Any]) -> None:
    old_keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    for name, (k, v) in old_keys.items():
        if name in new:
            _walk(ed, v, new[name], name)
        elif not _empty(_value(v)):  # removed by the form: its lines go (the key's line through its value's last line)
            ed.edits.append((ed.starts[k.start_mark.line], ed.line_end(_last_line(v)), ""))
    added = {name: value for name, value in new.items() if name not in old_keys and not _empty(value)}
    if added:
        indent = node.value[0][0].start_mark.column
        lines = block(added, indent)
        at = ed.line_end(_last_line(node))
        ed.edits.append((at, at, "".join(line + ed.newline for line in lines)))


def _sequence(ed: _Edits, node: yaml.SequenceNode, new: list[Any], key: str) -> None:
    items = node.value
    if node.flow_style or not items:
        if _value(node) == new:
            return
        if node.start_mark.line != node.end_mark.line:
            raise _Unchangeable
        text = "[]" if not new else ("[" + ", ".join(scalar_text(v, key) for v in new) + "]"
                                     if all(not isinstance(v, (dict, list)) for v in new) else None)
        if text is None:
            raise _Unchangeable
        ed.edits.append((ed.offset(node.start_mark), ed.offset(node.end_mark), text))
        return
    for item, value in zip(items, new, strict=False):
        _walk(ed, item, value, key)
    for item in items[len(new):]:  # removed items: the lines from the item's "-" through its last line
        ed.edits.append((ed.starts[item.start_mark.line], ed.line_end(_last_line(item)), ""))
    if len(new) > len(items):
        dash = ed.lines[items[0].start_mark.line].index("-")
        at = ed.line_end(_last_line(items[-1]))
        lines = block(new[len(items):], dash, key)
        ed.edits.append((at, at, "".join(line + ed.newline for line in lines)))


def keep(old: bytes | None, new: str) -> bytes:
    """The bytes to write for a save: ``old`` with only what ``new`` changed (see the module's docstring)."""
    try:
        data = yaml.load(new, Loader=_Loader)
    except yaml.YAMLError:
        return new.encode("utf-8")  # the check that follows says what is wrong with it
    if not isinstance(data, dict):
        return new.encode("utf-8")
    if old is not None:
        bom = old.startswith(b"\xef\xbb\xbf")
        try:
            text = old[3:].decode("utf-8") if bom else old.decode("utf-8")
            root = yaml.compose(text, Loader=_Loader)
            if isinstance(root, yaml.MappingNode) and not root.flow_style and root.value:
                ed = _Edits(text)
                _mapping(ed, root, data)
                return (b"\xef\xbb\xbf" if bom else b"") + ed.apply().encode("utf-8")
        except (UnicodeDecodeError, yaml.YAMLError, _Unchangeable):
            pass
    return ("\n".join(block(data, 0)) + "\n").encode("utf-8")
