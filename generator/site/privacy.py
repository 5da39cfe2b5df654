"""The site's privacy guard: no hand-written page may show a record's non-public value or a pending applicant.

Generated pages are made from the allow-list (``public``) alone. Hand-written text (docs/ pages and
the hand-written pages) is searched before it is rendered for every distinctive
non-public value of every record: text of six characters or more that has a digit or a Latin letter
(identifiers, certificate numbers, titles with a model number), plain Chinese text of twelve characters
or more (notes, the reasons for a recommendation; shorter phrases are as often the guide's own words)
and amounts of five digits or more with at least three significant
digits (as written and with thousands separators; a round 3,000,000 is an example in any guide), and for the name and
code of every record that is not published (申报中). Short words,
enumerated values and dates are not searched: they are not distinctive and would stop the build for
nothing. The search costs the length of the hand-written text times the number of distinct needle
lengths, however many records there are.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from generator.model import Record

MIN_TEXT = 6  # text with a digit or a Latin letter: identifiers, certificate and document numbers, titles with models
MIN_PROSE = 12  # plain Chinese: shorter phrases ("重大违法违规，取消资格") are the guide's own words as often as a record's
MIN_AMOUNT = 10_000
MAX_NEEDLE = 32  # a longer value is searched by its first 32 characters
_PUBLIC = frozenset(
    {"file", "positions", "uscc", "name", "industry_code", "industry_name", "main_products", "address", "website", "category"}
)
_PUBLIC_IN = {
    "events": frozenset({"index", "date", "type", "document", "certificate", "category", "recovered"}),
    "honors": frozenset({"index", "type", "awarded", "expires"}),
}
_ENUM = re.compile(r"[a-z_0-9]+")
_MARKED = re.compile(r"[0-9A-Za-z]")
_DIGITS = re.compile(r"[0-9][0-9,]*[0-9]|[0-9]")

Secret = tuple[str, str]  # (needle, where: "file: field")


def secrets(record: Record, published: bool) -> tuple[Secret, ...]:
    """The distinctive non-public values of one record, and its name and code when it is not published (an applicant
    whose record never had a decision)."""
    out: list[Secret] = []
    if not published:
        out += [(record.name, f"{record.file}: 申报中企业的名称"), (record.uscc, f"{record.file}: 申报中企业的代码")]
    for field, value in _private_leaves(record):
        if isinstance(value, bool) or value is None or isinstance(value, date):
            continue
        if isinstance(value, int):
            if abs(value) >= MIN_AMOUNT and len(str(abs(value)).rstrip("0")) >= 3:  # 2,478,000 is distinctive, 3,000,000 is not
                out.append((str(abs(value)), f"{record.file}: {field}"))
        elif isinstance(value, str):
            text = value.strip()
            if len(text) >= (MIN_TEXT if _MARKED.search(text) else MIN_PROSE) and not _ENUM.fullmatch(text):
                out.append((text[:MAX_NEEDLE], f"{record.file}: {field}"))
    return tuple(dict.fromkeys(out))


def _private_leaves(record: Record) -> Iterator[tuple[str, Any]]:
    for field in dataclasses.fields(record):
        if field.name in _PUBLIC:
            continue
        yield from _leaves(field.name, getattr(record, field.name), _PUBLIC_IN.get(field.name, frozenset()))


def _leaves(path: str, value: Any, public: frozenset[str]) -> Iterator[tuple[str, Any]]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type) or hasattr(value, "_fields"):  # or a named tuple
        names = value._fields if hasattr(value, "_fields") else [field.name for field in dataclasses.fields(value)]
        for name in names:
            if name not in public and name != "index":
                yield from _leaves(f"{path}.{name}", getattr(value, name), frozenset())
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _leaves(f"{path}[{i}]", item, public)
    else:
        yield path, value


def find(text: str, needles: Mapping[str, str]) -> list[Secret]:
    """Which needles occur in ``text`` (amounts also with thousands separators), with where they come from."""
    found: dict[str, str] = {}
    for run in _DIGITS.findall(text):
        plain = run.replace(",", "")
        if plain in needles and plain.isdigit():
            found[plain] = needles[plain]
    for length in sorted({len(n) for n in needles if not n.isdigit()}):
        for i in range(len(text) - length + 1):
            piece = text[i : i + length]
            if piece in needles and not piece.isdigit():
                found[piece] = needles[piece]
    return sorted(found.items())
