"""The verification page's index (``data/verify.json``): every published enterprise, its certificates and its status
intervals, compact enough to load on a phone (well under 150 bytes per certificate) and searched in the browser.

Shape: ``{"today": "YYYY-MM-DD", "epoch": "2000-01-01", "format": certificate_format, "contact": "...",
"statuses": {code: [label, listed]}, "e": [[uscc, name, [cert...], [[from, to, code]...]]]}`` where dates are days since
``epoch`` (``to`` is -1 for "to this day"), a certificate is ``[year*1000+seq, day]`` when it follows ``format`` or
``[text, day]`` otherwise, and a status code is one letter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from generator.decide import certificate_pattern
from generator.labels import STATUS_ZH
from generator.site.public import PublicEnterprise

EPOCH = date(2000, 1, 1)
CODES = {"valid": "v", "review_due": "d", "under_review": "u", "conditional": "c", "lapsed": "l", "revoked": "r", "withdrawn": "w"}
LISTED = ("valid", "review_due", "under_review", "conditional")


def _day(text: str | None) -> int:
    return -1 if text is None else (date.fromisoformat(text) - EPOCH).days


def verify_index(items: list[PublicEnterprise], today: date, certificate_format: str, contact: Mapping[str, Any]) -> bytes:
    pattern = certificate_pattern(certificate_format)
    simple = "{year}" in certificate_format and certificate_format.count("{") == 2
    rows = []
    for e in items:
        certs: list[list[Any]] = []
        for ev in e.data["events"]:
            if ev["certificate"] and ev["type"] in ("filed", "review_passed"):
                match = pattern.match(ev["certificate"])
                if simple and match and f"{certificate_format.format(year=int(match['year']), seq=int(match['seq']))}" == ev["certificate"]:
                    certs.append([int(match["year"]) * 1000 + int(match["seq"]), _day(ev["date"])])
                else:
                    certs.append([ev["certificate"], _day(ev["date"])])
        spans = [[_day(s["from"]), _day(s["to"]), CODES[s["status"]]] for s in e.data["status_intervals"]]
        rows.append([e.uscc, e.name, certs, spans])
    phone = " ".join(str(contact.get(k, "")) for k in ("office", "phone") if contact.get(k))
    payload = {"today": today.isoformat(), "epoch": EPOCH.isoformat(), "format": certificate_format, "contact": phone,
               "statuses": {code: [STATUS_ZH[s], s in LISTED] for s, code in CODES.items()}, "e": rows}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
