"""Escaping record text for Markdown and HTML, and the only place links are built from records.

``md()`` turns every ASCII punctuation character into a numeric character reference, so text
renders literally in Markdown paragraphs, headings, tables and raw HTML alike: it cannot start
emphasis, a link, a table cell, an attribute list, a code span or an HTML tag.
"""

from __future__ import annotations

import re
import string

from markupsafe import Markup

_REPLACE = {c: f"&#{ord(c)};" for c in string.punctuation}
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>`\\]+\Z")


def md(text: object) -> Markup:
    """Escape for Markdown and HTML: literal text, whatever it contains."""
    value = str(text).replace("\r", " ").replace("\n", " ")
    return Markup("".join(_REPLACE.get(c, c) for c in value))


def safe_url(url: str | None) -> str | None:
    """A validated http(s) URL for an href, or None. No other link is ever built from record text."""
    if url and _SAFE_URL.match(url):
        return url
    return None


def rel(from_page: str, to_page: str) -> str:
    """Relative URL between two directory-style pages, e.g. rel("list/", "enterprises/X/")."""
    depth = from_page.count("/")
    return "../" * depth + to_page
