"""Where a finding is, in the form's words: the field's Chinese title (the schema's ``title``, else ``labels.FIELD_ZH``)
and the item it is in ("专利 第 2 项 · 授权公告日"), found from the finding's line in the file the form sent. The form
editor lists a refused save's findings this way: the form has no line numbers."""

from __future__ import annotations

import re
from typing import Any

from generator.findings import Finding
from generator.labels import FIELD_ZH
from generator.loader import Loaded, PathKey
from generator.schema import ENTERPRISE_SCHEMA, field_schema, load_schema


def field_path(finding: Finding, loaded: Loaded) -> PathKey:
    """The path of the value the finding points at: the deepest value or key on its line (its column first). Keys and
    values are looked at apart: a list's or a mapping's key (``assessment:``) is on another line than its value."""
    places = [*loaded.positions.keys.items(), *loaded.positions.places().items()]
    exact = [p for p, at in places if at == (finding.line, finding.column)]
    same_line = [p for p, at in places if at[0] == finding.line]
    found = exact or same_line
    return max(found, key=len) if found else ()


def titles(path: PathKey) -> list[str]:
    """The Chinese title of each field on ``path`` (the labels of the form's boxes), item numbers left out."""
    schema = load_schema(ENTERPRISE_SCHEMA)
    return [str(field_schema(schema, path[:end]).get("title") or FIELD_ZH.get(part, part))
            for end, part in enumerate(path, start=1) if isinstance(part, str)]


def field_words(path: PathKey) -> tuple[str, str]:
    """The field's Chinese title and where it is (the sections and items above it), e.g. ("授权公告日", "专利 第 2 项")."""
    schema = load_schema(ENTERPRISE_SCHEMA)
    words: list[str] = []
    for end, part in enumerate(path, start=1):
        if isinstance(part, int):
            words.append(f"第 {part + 1} 项")
        else:
            words.append(str(field_schema(schema, path[:end]).get("title") or FIELD_ZH.get(part, part)))
    if not words:
        return "整条记录", ""
    if isinstance(path[-1], int):
        return " ".join(words[-2:]), " · ".join(words[:-2])
    return words[-1], " · ".join(_joined(words[:-1]))


def _joined(words: list[str]) -> list[str]:
    """"专利", "第 2 项" -> "专利 第 2 项": an item number stays with its list."""
    out: list[str] = []
    for word in words:
        if word.startswith("第 ") and out:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def described(finding: Finding, loaded: Loaded | None) -> dict[str, Any]:
    """One finding for the form: its field, where it is, the message (no rule id, no line number) and the field's path
    (``["patents", 2, "granted"]``, ``[]`` for the whole record) with the Chinese title of each of its fields
    (``["专利", "授权公告日"]``), by which the page finds the field's box in the form."""
    path = field_path(finding, loaded) if loaded is not None else ()
    field, where = field_words(path)
    message = _CODE_PATH.sub("", finding.message)
    return {"field": field, "where": where, "message": message, "path": list(path), "titles": titles(path)}


# the field's place as the record file writes it, e.g. （patents[2].granted） or （training）: the form names it in Chinese
_CODE_PATH = re.compile(r"（[a-z_]+(?:\[\d+\])*(?:\.[a-z_]+(?:\[\d+\])*)*）")
