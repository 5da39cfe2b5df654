"""A record written from an applicant's workbook, in the layout and with the comments of ``ipreg new``'s template.

Keys in the schema's order, each with the template's comment for that key (the schema's title where the template has
none), aligned as the template aligns them; identifiers and texts quoted, enumeration codes, dates, numbers and
booleans plain; lists of objects as ``- key: value`` blocks. The output parses back to the same data.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import yaml

from generator.labels import enum_labels
from generator.template import TEMPLATE

COMMENT_COLUMN = 30
HEADER = (
    "# yaml-language-server: $schema=../schemas/enterprise.schema.json",
    "# 由 ipreg import --form 从企业填写的申报表生成（收到日期 {received}）；核对后可按模板补充或修改，保存后运行 ipreg check。",
)
CODE = re.compile(r"[0-9A-Z.]*[0-9][0-9A-Z.]*")  # identifiers quoted, as the template quotes them
PLAIN = re.compile(r"[a-z][a-z_]*|\d{4}-\d{2}-\d{2}")  # enumeration codes and dates: plain, as the template writes them
_LINE = re.compile(r"^(?P<indent> *)(?:- )?(?P<key>[a-z_]+):(?P<rest>[^#]*)(?:#\s?(?P<comment>.*))?$")


def template_comments() -> dict[tuple[str, ...], str]:
    """The template's comment on each key, by the key's path (list items leave no trace in the path)."""
    found: dict[tuple[str, ...], str] = {}
    stack: list[tuple[int, str]] = []
    for line in TEMPLATE.splitlines():
        match = _LINE.match(line[2:] if line.startswith("# ") else line)  # a commented-out optional key too
        if not match:
            continue
        depth = len(match["indent"]) + (2 if line.lstrip().startswith("- ") else 0)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, match["key"]))
        if match["comment"] and stack[0][1] != "events":  # an event's comment is its type's label (_commented)
            found.setdefault(tuple(k for _, k in stack), match["comment"].strip())
    return found


def render(data: Mapping[str, Any], order: Mapping[tuple[str, ...], list[str]], received: str) -> str:
    """The record's text; ``order``: the schema's key order of each mapping (by path)."""
    comments = template_comments()
    lines = [*(h.format(received=received) for h in HEADER), ""]
    lines += _mapping(data, (), 0, order, comments, first="")
    return "\n".join(lines) + "\n"


def _ordered(data: Mapping[str, Any], path: tuple[str, ...], order: Mapping[tuple[str, ...], list[str]]) -> list[str]:
    known = order.get(path, [])
    return [k for k in known if k in data] + [k for k in data if k not in known]


def _mapping(data: Mapping[str, Any], path: tuple[str, ...], indent: int, order: Mapping[tuple[str, ...], list[str]],
             comments: Mapping[tuple[str, ...], str], first: str | None = None) -> list[str]:
    lines: list[str] = []
    for n, key in enumerate(_ordered(data, path, order)):
        lead = " " * indent if n or first is None else first
        value, here = data[key], (*path, key)
        if isinstance(value, Mapping) and value:
            lines.append(_commented(f"{lead}{key}:", comments.get(here)))
            lines += _mapping(value, here, indent + 2, order, comments)
        elif isinstance(value, list) and value:
            lines.append(_commented(f"{lead}{key}:", comments.get(here)))
            for item in value:
                if isinstance(item, Mapping):
                    lines += _mapping(item, here, indent + 4, order, comments, first=" " * (indent + 2) + "- ")
                else:
                    lines.append(f"{' ' * (indent + 2)}- {scalar(item)}")
        else:
            said = enum_labels(here).get(value, value) if here == ("events", "type") and isinstance(value, str) else comments.get(here)
            lines.append(_commented(f"{lead}{key}: {scalar(value)}", said))
    return lines


def _commented(text: str, comment: str | None) -> str:
    if not comment:
        return text
    room = COMMENT_COLUMN - 1 - width(text)
    return f"{text}{' ' * room} # {comment}" if room > 0 else f"{text}  # {comment}"


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[]"
    if isinstance(value, Mapping):
        return "{}"
    text = str(value)
    if PLAIN.fullmatch(text):
        return text
    if not CODE.fullmatch(text) and text[:1] not in "\"' " and "#" not in text and ": " not in text:
        with contextlib.suppress(yaml.YAMLError):
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text  # as the template writes a name or a title
    return json.dumps(text, ensure_ascii=False)


def width(text: str) -> int:
    """Columns on a terminal or in an editor: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
