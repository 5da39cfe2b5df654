"""Open data of services (Art. 11) and priority support (Art. 13): data/support.json (schemas/public-support.schema.json)
and data/support.csv, aggregates per year only (design section 10; ``staff.support.public_support``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from generator.labels import SUPPORT_OUTCOME_ZH
from generator.site.opendata import licence_of
from generator.staff.support import MIN_ENTERPRISES, SupportEntry, public_support, support_years

SUPPORT_CSV_COLUMNS = ["年份", "类型", "事项", "条款", "项数", "企业数", "金额（元）", *SUPPORT_OUTCOME_ZH.values()]


def support_figures(entries: Sequence[SupportEntry], first: int | None, today: date) -> list[dict[str, Any]]:
    """The years of data/support.json: from the first entry or public decision (``first``) to the data date's year."""
    return public_support(entries, support_years(entries, first, today), today)


def support_json(years: list[dict[str, Any]], today: date, licence: Mapping[str, str] | None = None) -> bytes:
    payload = {"today": today.isoformat(), "licence": licence_of(licence), "min_enterprises": MIN_ENTERPRISES, "years": years}
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def support_csv(years: list[dict[str, Any]]) -> bytes:
    """For Excel (UTF-8 with BOM, CRLF, like enterprises.csv): one row per year and kind of service or programme of
    priority support; a year without any has one row saying so."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUPPORT_CSV_COLUMNS)
    blank = [""] * len(SUPPORT_OUTCOME_ZH)
    for y in years:
        for k in y["by_kind"]:
            amount = "" if k.get("amount", "") is None else k.get("amount", "")
            writer.writerow([y["year"], "服务", k["label"], k["article"], k["count"], k["enterprises"], amount, *blank])
        for p in y["by_programme"]:
            writer.writerow([y["year"], "优先支持", p["label"], p["article"], p["count"], "", "", *p["outcomes"].values()])
        if not y["by_kind"] and not y["by_programme"]:
            writer.writerow([y["year"], "无", "本年度没有登记服务或优先支持", "", 0, 0, "", *blank])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
