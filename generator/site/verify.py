"""The verification page's index (``data/verify.json``): every published enterprise, its certificates and its status
intervals, compact enough to load on a phone (under 150 bytes per certificate at 10,000 enterprises) and searched in
the browser by ``docs/assets/javascripts/verify.js``.

Shape: ``{"today": "YYYY-MM-DD", "epoch": "2000-01-01", "prefix": P, "suffix": S, "contact": "...",
"statuses": {code: [label, listed, until_label]}, "e": [[uscc, name, [cert...], [[from, to, code, until?]...], [fate...]]]}``.
Dates are days since ``epoch`` (``to`` is -1 for "to this day"; ``until`` is the date the status runs to: term end,
review deadline, end of grace, last day of a ban, left out when there is none). A certificate is ``[text, day]``:
its number is always text, never arithmetic (any format, any length of sequence), written without the
``certificate_format``'s literal prefix P and suffix S when it has both (``[text, day, 1]`` when it is written whole).
A status code is one letter.

(ARCHITECTURE.md section 6: a certificate is answered as what it is, not as its holder's status) The fifth item of a row, added after the
others, holds each certificate's own term and fate, in the order of the certificates: ``[end, fate, day?, by?]``.
``end`` is the last day of the term printed on the certificate (it runs from the certificate's day; -1 when the
record does not tell it); ``fate`` on the data date is one letter of ``FATES``: ``v`` in force, ``x`` its printed
term has ended, ``n`` replaced by a newer certificate (``day`` the newer one's date, ``by`` its position in the row's
certificates), ``r`` revoked and ``w`` recovered on the holder's withdrawal (``day`` the first day of that status;
for ``r`` and ``w`` a fourth item, when the record has it, is the day the certificate was taken back: the event's
``recovered``, Art. 8(5), design section 10; the page then says 已收回 with that day).
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
FATES = {"v": "in force", "x": "expired", "n": "replaced", "r": "revoked", "w": "withdrawn"}
IN_TERM = ("valid", "review_due")
ENDED = {"revoked": "r", "withdrawn": "w"}  # a status that ends the holding of a certificate (a renewal may follow 逾期未复核)


def _day(text: str | None) -> int:
    return -1 if text is None else (date.fromisoformat(text) - EPOCH).days


def _certificate(text: str, day: int, prefix: str, suffix: str) -> list[Any]:
    if (prefix or suffix) and len(text) > len(prefix) + len(suffix) and text.startswith(prefix) and text.endswith(suffix):
        return [text[len(prefix):len(text) - len(suffix)], day]
    return [text, day, 1]


def term_end(e: PublicEnterprise, issued: str) -> str | None:
    """The last day of the term a certificate issued on ``issued`` printed: the end of the status interval in a term
    that starts that day (the term end, or the date printed on it when the event carries one)."""
    for i, s in enumerate(e.data["status_intervals"]):
        if s["from"] == issued and s["status"] in IN_TERM and i < len(e.ends):
            return e.ends[i]
    return None


def fates(e: PublicEnterprise, today: date) -> list[list[Any]]:
    """Each certificate's ``[end, fate, day?, by?]`` on ``today`` (module docstring): replaced when a newer certificate
    comes before the holder leaves the list; revoked or withdrawn when that happens inside its printed term; expired
    when its printed term has ended first (a term ended, then a removal: the holder's status says the rest)."""
    issued = [(ev, e.recovered[i] if i < len(e.recovered) else None) for i, ev in enumerate(e.data["events"])
              if ev["certificate"] and ev["type"] in ("filed", "review_passed")]
    events = [ev for ev, _ in issued]
    out: list[list[Any]] = []
    for k, (ev, recovered) in enumerate(issued):
        end = term_end(e, ev["date"])
        stops = [(s["from"], ENDED[s["status"]]) for s in e.data["status_intervals"]
                 if s["from"] > ev["date"] and s["status"] in ENDED]
        stop = min(stops, default=None)
        newer = events[k + 1] if k + 1 < len(events) else None
        if newer and (stop is None or newer["date"] < stop[0]):
            out.append([_day(end), "n", _day(newer["date"]), k + 1])
        elif stop and (end is None or stop[0] <= end):
            out.append([_day(end), stop[1], _day(stop[0]), *([_day(recovered)] if recovered else [])])
        else:
            out.append([_day(end), "v" if end is not None and end >= today.isoformat() else "x"])
    return out


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
        rows.append([e.uscc, e.name, certs, spans, fates(e, today)])
    phone = " ".join(str(contact.get(k, "")) for k in ("office", "phone") if contact.get(k))
    payload = {"today": today.isoformat(), "epoch": EPOCH.isoformat(), "prefix": prefix, "suffix": suffix, "contact": phone,
               "statuses": {code: [STATUS_ZH[s], s in LISTED, UNTIL_ZH.get(s, "")] for s, code in CODES.items()}, "e": rows}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
