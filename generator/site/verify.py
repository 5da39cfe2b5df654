"""The verification page's index (``data/verify.json``): every published enterprise, its certificates and its status
intervals, compact enough to load on a phone (under 150 bytes per certificate at 10,000 enterprises) and searched in
the browser by ``docs/assets/javascripts/verify.js``.

Shape: ``{"today": "YYYY-MM-DD", "epoch": "2000-01-01", "prefix": P, "suffix": S, "contact": "...",
"statuses": {code: [label, listed, until_label]}, "e": [[uscc, name, [cert...], [[from, to, code, until?]...]]]}``.
Dates are days since ``epoch`` (``to`` is -1 for "to this day"; ``until`` is the date the status runs to: term end,
review deadline, end of grace, last day of a ban, left out when there is none). A certificate is ``[text, day]``:
its number is always text, never arithmetic (any format, any length of sequence), written without the
``certificate_format``'s literal prefix P and suffix S when it has both (``[text, day, 1]`` when it is written whole).
A status code is one letter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from generator.ids import format_affixes
from generator.labels import DATE_ZH, STATUS_ZH
from generator.public import STATUS_END, PublicEnterprise

EPOCH = date(2000, 1, 1)
CODES = {"valid": "v", "review_due": "d", "under_review": "u", "conditional": "c", "lapsed": "l", "revoked": "r", "withdrawn": "w"}
LISTED = ("valid", "review_due", "under_review", "conditional")
UNTIL_ZH = {s: DATE_ZH[field] + ("" if DATE_ZH[field].endswith("至") else "至") for s, field in STATUS_END.items()}


def _day(text: str | None) -> int:
    return -1 if text is None else (date.fromisoformat(text) - EPOCH).days


def _certificate(text: str, day: int, prefix: str, suffix: str) -> list[Any]:
    if (prefix or suffix) and len(text) > len(prefix) + len(suffix) and text.startswith(prefix) and text.endswith(suffix):
        return [text[len(prefix):len(text) - len(suffix)], day]
    return [text, day, 1]


def verify_index(items: list[PublicEnterprise], today: date, certificate_format: str, contact: Mapping[str, Any]) -> bytes:
    prefix, suffix = format_affixes(certificate_format)
    rows = []
    for e in items:
        certs = [_certificate(ev["certificate"], _day(ev["date"]), prefix, suffix)
                 for ev in e.data["events"] if ev["certificate"] and ev["type"] in ("filed", "review_passed")]
        spans = []
        for i, s in enumerate(e.data["status_intervals"]):
            span: list[Any] = [_day(s["from"]), _day(s["to"]), CODES[s["status"]]]
            if i < len(e.ends) and e.ends[i]:
                span.append(_day(e.ends[i]))
            spans.append(span)
        rows.append([e.uscc, e.name, certs, spans])
    phone = " ".join(str(contact.get(k, "")) for k in ("office", "phone") if contact.get(k))
    payload = {"today": today.isoformat(), "epoch": EPOCH.isoformat(), "prefix": prefix, "suffix": suffix, "contact": phone,
               "statuses": {code: [STATUS_ZH[s], s in LISTED, UNTIL_ZH.get(s, "")] for s, code in CODES.items()}, "e": rows}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
