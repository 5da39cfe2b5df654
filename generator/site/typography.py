"""Chinese typesetting of the site's Markdown: no space where a line break or a typing habit put one between two Chinese
characters ("管理。 本站", "查看 那一天"), which a browser shows as a stray space in the middle of a sentence.

``join_lines`` joins a line to the next where the first ends with a Chinese character (or an inline element closing
after one) and the next begins with one (or with an inline element or a link): a paragraph hard-wrapped in the source
reads as one line. Fenced code, headings, tables, list items and HTML blocks are left as they are. ``squeeze`` takes
out spaces between two Chinese characters inside a line (the measures' text has two, left over from its typesetting).
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # characters and punctuation
_ENDS = re.compile(f"(?:[{CJK}]|</(?:a|time|strong|em|b|span|code|abbr)>)$")
_STARTS = re.compile(f"^[ \\t]*(?:[{CJK}]|<(?:a|time|strong|em|b|span|code|abbr)[\\s>]|\\[(?![^\\]]*\\]:)|\\*\\*)")
_BLOCK = re.compile(r"^\s{0,3}(?:#|\||[-*+]\s|\d+[.)]\s|>|<(?!(?:a|time|strong|em|b|span|code|abbr)[\s>])|```|~~~|$)")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_SQUEEZE = re.compile(f"(?<=[{CJK}])[ \\t\u00a0]+(?=[{CJK}])")


_AROUND_EMPHASIS = re.compile(f"(?<=[{CJK}])(\\*\\*)?[ \\t]+(\\*\\*)?(?=[{CJK}])")


def join_lines(markdown: str) -> str:
    """``markdown`` with the line breaks between two Chinese characters of one paragraph taken out, and the spaces
    typed between two of them, bare or around bold text ("**更正。** 企业认为"), outside code."""
    return _join(markdown)


def _tidy(line: str) -> str:
    """One line's spaces between two Chinese characters (and around bold text between them) taken out, outside code."""
    parts = line.split("`")
    for i in range(0, len(parts), 2):  # the even parts are outside inline code
        parts[i] = _AROUND_EMPHASIS.sub(lambda m: (m[1] or "") + (m[2] or ""), parts[i])
    return "`".join(parts)


def _join(markdown: str) -> str:
    lines = markdown.split("\n")
    out: list[str] = []
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            out.append(line)
            continue
        if not fenced:
            line = _tidy(line)
        previous = out[-1] if out else ""
        if (not fenced and out and _ENDS.search(previous) and _STARTS.match(line) and not _BLOCK.match(line)
                and not re.match(r"^\s{0,3}#", previous) and not previous.lstrip().startswith("|")):
            out[-1] = previous + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def squeeze(text: str) -> str:
    """``text`` without spaces between two Chinese characters."""
    return _SQUEEZE.sub("", text)


# Tokens a line must not break inside: ISO and Chinese dates, codes of ten or more letters and digits (USCC, certificate
# numbers of honours), document and certificate numbers (西市监〔2025〕31号, 西知强企证〔2024〕003号).
_TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月(?:\d{1,2}日)?|(?<![0-9A-Za-z])[0-9A-Z]{10,}(?![0-9A-Za-z])"
    r"|[\u4e00-\u9fff]{1,6}[〔\[]\d{4}[〕\]][^\s<，。；、]{0,8}?\d+号"
)
_TAG = re.compile(r"(<[^>]*>)")
_RAW = ("script", "style", "pre", "code", "textarea", "title", "svg", "time")  # time: nowrap already (ipreg.css)
_OWN_NOWRAP = "ipreg-list"  # the list's table: ipreg.css keeps its date and code columns whole (no span per cell: 500 rows stay light)


def keep_tokens_whole(html: str) -> str:
    """Each date, code and number in the text of ``html`` wrapped in ``<span class="ipreg-nowrap">`` (``white-space:
    nowrap``), so that a narrow screen moves it to the next line whole; text inside scripts, styles, code (already
    unbroken), SVG, the list's table and tags' attributes is left alone. Only the page's ``<article>`` is touched."""
    start = html.find("<article")
    end = html.rfind("</article>")
    if start < 0 or end < 0:
        return html
    parts = _TAG.split(html[start:end])
    raw: list[str] = []
    spans: list[bool] = []  # for each open <span>: does it keep its text on one line already (ipreg-date, ipreg-nowrap)?
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            match = re.match(r"<(/?)([a-zA-Z0-9]+)", part)
            if match and match[2].lower() == "span":
                if match[1]:
                    if spans:
                        spans.pop()
                else:
                    spans.append(bool(re.search(r'class="[^"]*ipreg-(?:date|nowrap)', part)))
            elif match and (match[2].lower() in _RAW or (match[2].lower() == "table" and (match[1] or _OWN_NOWRAP in part))):
                if match[1]:
                    if raw and raw[-1] == match[2].lower():
                        raw.pop()
                elif not part.endswith("/>"):
                    raw.append(match[2].lower())
        elif part and not raw and not any(spans):
            text = part.replace("&#45;", "-")  # Markdown-escaped hyphens (``escape.md``) are plain text in HTML
            if _TOKEN.search(text):
                parts[i] = _TOKEN.sub(lambda m: f'<span class="ipreg-nowrap">{m[0]}</span>', text)
    return html[:start] + "".join(parts) + html[end:]
