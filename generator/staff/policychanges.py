"""What a change of policy.yml does, in a clerk's words (``ipreg diff``, ``staff/changes.py``): one line per changed
value, from when, by which 文号, and a warning for a value changed without a date."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from generator.policy import NOT_VALUES, Policy, PolicyHistory
from generator.schema import POLICY_SCHEMA, load_schema


def _shown(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    if isinstance(value, tuple):
        return "、".join(map(str, value))
    return str(value)


def describe_changes(old: PolicyHistory, new: PolicyHistory) -> list[str]:
    """What a change of policy.yml does, in Chinese, one line per changed key: a new dated value applies from its day
    (decisions made before it keep their findings); a changed value without a date applies to every record, past
    decisions included, which a revision should not do."""
    titles = {k: v.get("title", k) for k, v in load_schema(POLICY_SCHEMA)["properties"].items()}
    refs = dict(new.references)
    out = []
    for f in fields(Policy):
        key = f.name
        if key in NOT_VALUES:
            continue
        before, after = old.steps(key), new.steps(key)
        if before == after:
            continue
        label = f"{titles.get(key, key)}（{key}）"
        if before[0][1] != after[0][1]:
            out.append(f"{label}由 {_shown(before[0][1])} 改为 {_shown(after[0][1])}，没有写生效日期：已经作出的决定也按新值检查。"
                       f"修订办法请写成按日期变化的值（{key}: {{values: {{原日期: 原值, 生效日期: 新值}}}}）")
        previous = after[0][1]
        for day, value in after[1:]:
            if (day, value) not in before:
                reference = f"（{refs[key]}）" if key in refs else ""
                out.append(f"{day} 起{label}为 {_shown(value)}{reference}，此前为 {_shown(previous)}："
                           "适用于评估日期在此之后的记录和此后开始的期限，此前作出的决定不受影响")
            previous = value
        for day, value in before[1:]:
            if day not in {d for d, _ in after[1:]}:
                out.append(f"删除了 {day} 起{label}为 {_shown(value)} 的规定")
    return out
