"""What changed in a record between two versions of its file, in a clerk's words ("新增了一个取消资格决定（…）"): the
form editor says it when it refuses a save because the record changed since the form opened it."""

from __future__ import annotations

from typing import Any

import yaml

from generator.labels import EVENT_ZH
from generator.schema import ENTERPRISE_SCHEMA, field_schema, load_schema


def _parsed(data: bytes | None) -> dict[str, Any]:
    if data is None:
        return {}
    try:
        found = yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return {}
    return found if isinstance(found, dict) else {}


def _event_words(event: Any) -> str:
    if not isinstance(event, dict):
        return "一个事件"
    kind = EVENT_ZH.get(str(event.get("type")), str(event.get("type")))
    detail = "，".join(str(event[k]) for k in ("date", "document", "certificate") if event.get(k))
    noun = "申报" if event.get("type") == "applied" else f"{kind}决定"
    return f"一个{noun}" + (f"（{detail}）" if detail else "")


def describe_change(old: bytes | None, new: bytes | None) -> str:
    """What changed between the record a form opened and the file now, in a clerk's words: "新增了一个取消资格决定（…）"."""
    if new is None:
        return "这个文件已被删除或改名"
    if old is None:
        return "您打开之前的内容本编辑器已不再保存，无法列出具体改动"
    before, after = _parsed(old), _parsed(new)
    if not before or not after:
        return "文件内容有改动"
    said = []
    old_events = [e for e in before.get("events") or [] if e is not None]
    new_events = [e for e in after.get("events") or [] if e is not None]
    added = [e for e in new_events if e not in old_events]
    removed = [e for e in old_events if e not in new_events]
    said += [f"新增了{_event_words(e)}" for e in added]
    said += [f"删除或修改了{_event_words(e)}" for e in removed]
    schema = load_schema(ENTERPRISE_SCHEMA)
    for key in dict.fromkeys([*before, *after]):
        if key != "events" and before.get(key) != after.get(key):
            said.append(f"修改了“{field_schema(schema, (key,)).get('title', key)}”")
    if not said:
        return "文件的写法有改动（注释、空行或引号），内容未变"
    return "、".join(said[:6]) + (f"等 {len(said)} 处" if len(said) > 6 else "")
