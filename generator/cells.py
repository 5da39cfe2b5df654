"""Record text placed in a table cell of another format: one place for each format's escaping."""

from __future__ import annotations

import re
from typing import Any

_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]+")


def markdown_cell(value: Any) -> str:
    """A cell of a Markdown table (the CI job summary, ``ipreg diff --format markdown``): one line, no new cell,
    no HTML, and a backslash cannot escape the cell's end."""
    text = _LINE_BREAKS.sub(" ", str(value))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def spreadsheet_cell(value: Any) -> str:
    """A CSV cell for Excel: a leading = + - @ (or tab, CR) would start a formula, so the text is quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
