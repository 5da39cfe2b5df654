"""The measures' text -> Markdown with an anchor per chapter, article and item.

Anchors: ``art4`` for 第四条 and ``art4-1`` for its first item, matching
``generator.rules.ARTICLE_ANCHORS`` so every rule id can link to its article.
"""

from __future__ import annotations

import re

from generator.site.escape import md
from generator.site.typography import squeeze

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CHAPTER = re.compile(r"^第(?P<n>[一二三四五六七八九十]+)章\s*(?P<title>.*)$")
_ARTICLE = re.compile(r"^第(?P<n>[一二三四五六七八九十]+)条\s*(?P<text>.*)$")
_ITEM = re.compile(r"^(?P<n>\d+)[.．、]\s*(?P<text>.*)$")


def chinese_number(text: str) -> int:
    """一..九十九 as an int (enough for article numbers)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _NUMERALS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _NUMERALS[tens] * 10 + (_NUMERALS[ones] if ones else 0)
    return _NUMERALS[text]


def measures_markdown(text: str) -> str:
    """Markdown of the measures: chapters as h2 (第一章　总则, with the full-width space of the convention), articles as
    h3, items as anchored paragraphs. Spaces between two Chinese characters, left over from the text's typesetting
    (有效专利拥有 量), are not shown."""
    out: list[str] = []
    article = 0
    lines = [squeeze(line) for line in _joined(text)]  # a space between two Chinese characters is typesetting, not text
    title_done = False
    numbers = [chinese_number(m["n"]) for line in lines if (m := _ARTICLE.match(line))]
    missing = [n for n in range(min(numbers, default=1), max(numbers, default=0) + 1) if n not in numbers]
    for line in lines:
        if chapter := _CHAPTER.match(line):
            out.append(f"## 第{chapter['n']}章\u3000{md(chapter['title'].strip())} {{#chapter{chinese_number(chapter['n'])}}}\n")
        elif art := _ARTICLE.match(line):
            article = chinese_number(art["n"])
            out.append(f"### 第{art['n']}条 {{#art{article}}}\n")
            if art["text"].strip():
                out.append(f"{md(art['text'].strip())}\n")
        elif (item := _ITEM.match(line)) and article:
            anchor = f"art{article}-{item['n']}"
            out.append(f"<p id=\"{anchor}\"><a class=\"ipreg-item\" href=\"#{anchor}\">{item['n']}.</a> {md(item['text'].strip())}</p>\n")
        elif not title_done and line.endswith("办法"):
            title_done = True
        elif line.startswith("附件"):
            continue
        else:
            out.append(f"{md(line)}\n")
    if missing:
        names = "、".join(f"第{_chinese(n)}条" for n in missing)
        out.insert(0, f'<p class="ipreg-note">说明：办法原文的条文编号不连续，没有{names}；本页照录原文，未作改动。</p>\n')
    return "\n".join(out)


def _joined(text: str) -> list[str]:
    """Non-empty lines, with a paragraph that continues the sentence before it (that line ended with ， 、 or ：, as
    Art. 11 item 5 does in the source) joined back to it."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        starts = _CHAPTER.match(line) or _ARTICLE.match(line) or _ITEM.match(line)
        if lines and not starts and lines[-1].endswith(("，", "、", "：")):
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
