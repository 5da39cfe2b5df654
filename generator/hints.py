"""What to write instead, in a clerk's words: a date written another way, an enum value written as its Chinese
label or misspelt, Chinese punctuation where YAML needs ASCII, an Excel date serial. ``schema`` words its messages with
these; they build no finding."""

from __future__ import annotations

import difflib
import re

from generator.dates import parse_iso


def date_hint(text: str) -> str:
    """How to write a date the clerk wrote another way (2018/04/12, 2018.4.12, 2018年4月12日)."""
    match = re.fullmatch(r"\s*([0-9]{4})\s*[/.\-年]\s*([0-9]{1,2})\s*[/.\-月]\s*([0-9]{1,2})\s*日?\s*", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        written = f"{year:04d}-{month:02d}-{day:02d}"
        if parse_iso(written) is not None:
            return f"日期要写成 {written}（年-月-日，用英文短横线，月和日各两位）"
        return f"日期要写成 YYYY-MM-DD；{year}年{month}月{day}日不存在，请核对月份和天数"
    return "日期要写成 YYYY-MM-DD（年-月-日，用英文短横线），如 2024-03-15"


def enum_hint(value: str, allowed: list[str], field: tuple[str | int, ...] = ()) -> str:
    """What to write instead: the code of a Chinese label the clerk wrote ("优势企业" -> advantage), a code close to a
    misspelt one, or every allowed code with its Chinese label (the labels of ``field``'s own table)."""
    from generator.labels import enum_labels

    table = enum_labels(field)
    named = {code: table[code] for code in allowed if code in table}
    text = value.strip()
    if text != value and text in allowed:
        return f"值的前后多了空格（常是中文输入法的全角空格）：请删掉，写作 {text}"
    for code, label in named.items():
        if text and (text == label or text in label or label in text):
            return f"“{text}”请写作 {code}（{label}）"
    close = difflib.get_close_matches(text, allowed, n=1)
    if close:
        return f"是不是 {close[0]}？"
    return "应为 " + "、".join(f"{code}（{named[code]}）" if code in named else code for code in allowed) + " 之一"


FULL_WIDTH = {"，": ",", "：": ":", "【": "[", "】": "]", "［": "[", "］": "]", "｛": "{", "｝": "}", "－": "-"}


def full_width_hint(text: str) -> str:
    """The Chinese punctuation in a value where YAML needs the ASCII sign (a list written [a，b] or 【a, b】)."""
    found = [c for c in dict.fromkeys(text) if c in FULL_WIDTH]
    if not found:
        return ""
    signs = "、".join(f"“{c}”改成英文的“{FULL_WIDTH[c]}”" for c in found)
    return f"其中有中文标点，YAML 只认英文标点：请把{signs}"


def excel_date(value: object) -> str | None:
    """The day an Excel serial number (days since 1899-12-30, as a date cell pasted as a number) stands for, when
    ``value`` looks like one (1950-2100)."""
    from datetime import date, timedelta

    if isinstance(value, int) and not isinstance(value, bool) and 18264 <= value <= 73415:
        return (date(1899, 12, 30) + timedelta(days=value)).isoformat()
    return None
