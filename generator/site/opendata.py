"""Open data: enterprises.json, enterprises.csv, reviews.ics (icalendar), changes.xml (Atom) and policy.json (the values
of the measures over time).

All functions are pure: the same enterprises and ``today`` give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

from icalendar import Alarm, Calendar, Event

from generator.cells import spreadsheet_cell
from generator.labels import CATEGORY_ZH, DATE_ZH, DUE_KIND_ZH, EVENT_ZH
from generator.policy import Policy, PolicyHistory, default_policy
from generator.public import PublicEnterprise, honor_zh

OPEN_DATA = ("data/enterprises.json", "data/enterprises.csv", "data/enterprises-plain.csv", "data/enterprises.xlsx",
             "data/reviews.ics", "data/changes.xml")
UID_DOMAIN = "ipreg.xiping.invalid"
DEFAULT_LICENCE = {"id": "CC-BY-4.0", "name": "知识共享署名 4.0 国际许可协议（CC BY 4.0）",
                   "url": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"}


DEFAULT_ISSUER = default_policy().first.issuer  # policy.yml's issuer: the site passes its own


def licence_of(licence: Mapping[str, str] | None) -> dict[str, str]:
    """The open data licence (mkdocs.yml ``extra.ipreg_licence``), CC BY 4.0 unless configured."""
    return {key: str((licence or {}).get(key) or DEFAULT_LICENCE[key]) for key in ("id", "name", "url")}


def open_data(items: list[PublicEnterprise], today: date, site_url: str, licence: Mapping[str, str] | None = None,
              issuer: str = DEFAULT_ISSUER) -> dict[str, bytes]:
    """Every file of OPEN_DATA for the published enterprises (by USCC) on ``today``; ``issuer`` is policy.yml's."""
    return {
        "data/enterprises.json": enterprises_json(items, today, licence),
        "data/enterprises.csv": enterprises_csv(items, today),
        "data/enterprises-plain.csv": enterprises_plain_csv(items, today),
        "data/enterprises.xlsx": enterprises_xlsx(items, today),
        "data/reviews.ics": reviews_ics(items, today, site_url, issuer),
        "data/changes.xml": changes_atom(items, today, site_url, issuer, licence_of(licence)),
    }


def site_files(items: list[PublicEnterprise], today: date, site_url: str, licence: Mapping[str, str] | None = None,
               issuer: str = DEFAULT_ISSUER, synonyms: Sequence[Sequence[str]] = ()) -> dict[str, bytes]:
    """Everything the site makes on the side while MkDocs renders the pages (a forked child, ``build.OpenData``): the
    open data files, each enterprise's enterprise.json and qr.svg (a QR code of its page's address; none when the site
    has no real address, ``qr.has_address``), and the enterprise search index (``search.shard_files``)."""
    from generator import qr
    from generator.site.search import Entry, shard_files

    files = open_data(items, today, site_url, licence, issuer)
    for item in items:
        files[f"enterprises/{item.uscc}/enterprise.json"] = enterprise_json(item, today, licence)
        if item.status.listed and qr.has_address(site_url):
            files[f"enterprises/{item.uscc}/qr.svg"] = qr.svg(qr.enterprise_url(site_url, item.uscc), f"二维码：{item.name}的页面").encode(
                "utf-8"
            )
    entries = (Entry(item.uscc, item.name, item.data["industry"]["name"], tuple(item.data["main_products"]), item.status_zh,
                     item.data["industry"]["code"], tuple(e["certificate"] for e in item.data.get("events", []) if e.get("certificate")))
               for item in items)
    files.update(shard_files(entries, synonyms))
    return files


def site_file_names(items: list[PublicEnterprise], site_url: str) -> list[str]:
    """The paths ``site_files`` fills in for ``site_url`` (registered with MkDocs before they are made)."""
    from generator import qr
    from generator.site.search import file_names

    out = list(OPEN_DATA)
    for item in items:
        out.append(f"enterprises/{item.uscc}/enterprise.json")
        if item.status.listed and qr.has_address(site_url):
            out.append(f"enterprises/{item.uscc}/qr.svg")
    return out + file_names(len(items))


def enterprises_json(items: list[PublicEnterprise], today: date, licence: Mapping[str, str] | None = None) -> bytes:
    payload = {"today": today.isoformat(), "count": len(items), "licence": licence_of(licence), "enterprises": [i.data for i in items]}
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def policy_json(history: PolicyHistory, today: date, licence: Mapping[str, str] | None = None) -> bytes:
    """data/policy.json (schemas/public-policy.schema.json): every value of policy.yml with the value in force on
    ``today``, its dated steps and each dated change (old, new, from which day, by which 文号), and the versions of the
    measures. Values as policy.yml writes them (元, 年, 天, %); ``shown`` as the guide writes them."""
    from generator.site.revisions import label, shown, state

    policy = history.on(today)
    keys = [f.name for f in fields(Policy) if f.name != "documents"]
    values = [{"key": key, "label": label(key), "value": _plain(getattr(policy, key)), "shown": shown(key, getattr(policy, key)),
               "steps": [{"from": day.isoformat() if day else None, "value": _plain(value), "shown": shown(key, value)}
                         for day, value in history.steps(key)]} for key in keys]
    changes = [{"date": c.day.isoformat(), "key": c.key, "label": label(c.key), "before": _plain(c.before), "after": _plain(c.after),
                "before_shown": shown(c.key, c.before), "after_shown": shown(c.key, c.after), "reference": c.reference,
                "in_force": state(c, today) == "in_force"} for c in history.changes()]
    measures = [{"name": m.name, "document": m.document, "issued": m.issued.isoformat() if m.issued else None,
                 "in_force": m.in_force.isoformat(), "text": m.text} for m in history.measures]
    payload = {"today": today.isoformat(), "licence": licence_of(licence), "measures": measures, "changes": changes, "values": values}
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _plain(value: Any) -> Any:
    """A policy value as JSON: a whole Fraction as an integer, another as a decimal, a date as YYYY-MM-DD, a tuple as a list."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def enterprise_json(item: PublicEnterprise, today: date, licence: Mapping[str, str] | None = None) -> bytes:
    """One enterprise's download (its page links it): the same fields as in enterprises.json."""
    payload = {"today": today.isoformat(), "licence": licence_of(licence), "enterprise": item.data}
    return (json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")  # compact: C encoder, small files


CSV_COLUMNS = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "行业名称",
    "主营产品",
    "备案类别",
    "状态",
    "列入公开名单",
    *(DATE_ZH[k] for k in ("term_start", "term_end", "review_deadline", "grace_until", "ban_until")),
    "有效发明专利",
    "有效实用新型",
    "有效外观设计",
    "有效注册商标",
    "荣誉称号",
    "地址",
    "网站",
    "数据日期",
]


def text_code(code: str) -> str:
    """A code Excel must keep as text: an all-digit USCC would become 9.14117E+17, so it is written as the formula
    ="914…", which Excel and LibreOffice show as the text itself (other codes contain letters and stay as they are)."""
    return f'="{code}"' if code.isdigit() else code


def _rows(items: list[PublicEnterprise], today: date) -> list[list[Any]]:
    """The CSV_COLUMNS of each enterprise as values (None where a date or address is absent); honours that have expired
    by ``today`` say so."""
    out = []
    for item in items:
        d = item.data
        honors = "；".join(f"{honor_zh(h['type'])}（{h['awarded']}{_expired(h, today)}）" for h in d["honors"])
        out.append([
            d["uscc"], d["name"], d["industry"]["code"], d["industry"]["name"], "；".join(d["main_products"]), CATEGORY_ZH[d["category"]],
            item.status_zh, "是" if d["listed"] else "否", d["term_start"], d["term_end"], d["review_deadline"], d["grace_until"],
            d["ban_until"], d["valid_patents"]["invention"], d["valid_patents"]["utility_model"], d["valid_patents"]["design"],
            d["valid_trademarks"], honors, d["address"], d["website"], today.isoformat(),
        ])
    return out


def _expired(honor: Mapping[str, Any], today: date) -> str:
    return "，已过期" if honor.get("expires") and honor["expires"] < today.isoformat() else ""


def enterprises_csv(items: list[PublicEnterprise], today: date) -> bytes:
    """For Excel: UTF-8 with BOM (Excel opens it as UTF-8), Chinese headers, CRLF line ends, all-digit USCCs written so
    that Excel keeps them as text, cells that would start a formula neutralised, the data date on every row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in _rows(items, today):
        writer.writerow([text_code(row[0])] + [spreadsheet_cell(v) for v in row[1:]])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def enterprises_plain_csv(items: list[PublicEnterprise], today: date) -> bytes:
    """For programs: the same columns and rows as enterprises.csv, UTF-8 without BOM, LF line ends, every value as it is
    (no ="…" around codes, no quote marks added before formula characters), empty where absent."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _rows(items, today):
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


OFFICE = default_policy().first.documents  # policy.yml's documents block: the county and organ of the workbook's title rows
LIST_TITLE = f"{OFFICE.county}知识产权强企名单"  # the title row of the workbook, as ``ipreg status --format xlsx`` writes it


def enterprises_xlsx(items: list[PublicEnterprise], today: date) -> bytes:
    """The list as a workbook (``spreadsheets``: title row, 填报单位, real dates, printable), the same bytes for the same
    data and day (the zip entries and the document properties are dated ``today``)."""
    from generator.staff.spreadsheets import to_xlsx

    rows = [["" if v is None else str(v) for v in row] for row in _rows(items, today)]
    data = to_xlsx(CSV_COLUMNS, rows, f"名单 {today}", today, LIST_TITLE, OFFICE.organ)
    return _dated_zip(data, today)


def _dated_zip(data: bytes, day: date) -> bytes:
    """``data`` (a zip: .xlsx) with every entry and the core properties dated ``day``: a rebuild writes the same bytes."""
    import re
    import zipfile

    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z", stamp, body)
            entry = zipfile.ZipInfo(info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, body)
    return out.getvalue()


def _event(uid: str, day: date, summary: str, description: str, url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    for days in (30, 7):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{days} 天后：{summary}")
        alarm.add("trigger", timedelta(days=-days))
        event.add_component(alarm)
    return event


def reviews_ics(items: list[PublicEnterprise], today: date, site_url: str, issuer: str = DEFAULT_ISSUER) -> bytes:
    """One all-day event per upcoming deadline of every listed enterprise: term ends, review deadlines of 复核中 and
    grace ends, from ``today`` on (RFC 5545). Past deadlines are not in the calendar."""
    cal = Calendar()
    cal.add("prodid", f"-//{issuer}//ipreg//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{OFFICE.county}知识产权强企复核时间表")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})  # calendar apps fetch it daily
    cal.add("x-published-ttl", "P1D")
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for item in items:
        st = item.status
        if not st.listed:
            continue
        url = site_url + item.page
        for start, end in st.terms:
            if end >= today:
                cal.add_component(
                    _event(
                        f"term-end-{item.uscc}-{start.isoformat()}@{UID_DOMAIN}",
                        end,
                        f"有效期届满：{item.name}",
                        f"{item.name}（{item.uscc}）{start} 起的有效期于 {end} 届满，需组织复核。",
                        url,
                        stamp,
                    )
                )
        if st.status == "under_review" and st.review_deadline and st.review_deadline >= today and st.term_start:
            cal.add_component(
                _event(
                    f"review-deadline-{item.uscc}-{st.term_start.isoformat()}@{UID_DOMAIN}",
                    st.review_deadline,
                    f"{DUE_KIND_ZH['review_deadline']}：{item.name}",
                    f"{item.name}（{item.uscc}）有效期已于 {st.term_end} 届满，复核期限至 {st.review_deadline}。",
                    url,
                    stamp,
                )
            )
        for start, end in st.graces:
            if end >= today:
                cal.add_component(
                    _event(
                        f"grace-end-{item.uscc}-{start.isoformat()}@{UID_DOMAIN}",
                        end,
                        f"保留资格期届满：{item.name}",
                        f"{item.name}（{item.uscc}）{start} 复核未通过，保留资格至 {end}。",
                        url,
                        stamp,
                    )
                )
    return bytes(cal.to_ical())


ATOM = "http://www.w3.org/2005/Atom"


def changes_atom(items: list[PublicEnterprise], today: date, site_url: str, issuer: str = DEFAULT_ISSUER,
                 licence: Mapping[str, str] | None = None) -> bytes:
    """An Atom feed of every decision of the published enterprises, newest first."""
    ET.register_namespace("", ATOM)
    entries = [(e["date"], item, index, e) for item in items for index, e in enumerate(item.data["events"])]
    # removals nobody decided (a review deadline or grace year ran out): listed too, so the feed shows every exit
    entries += [
        (
            item.status.ended_on.isoformat(),
            item,
            len(item.data["events"]),
            {"type": "lapsed", "document": None, "certificate": None, "cause": item.cause_zh},
        )
        for item in items
        if item.status.status == "lapsed" and item.status.ended_on and item.status.ended_on <= today
    ]
    entries.sort(key=lambda x: (x[0], x[1].uscc, x[2]), reverse=True)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    sub(feed, "title", f"{OFFICE.county}知识产权强企备案决定")
    sub(feed, "id", f"tag:{UID_DOMAIN},2024:changes")
    newest = entries[0][0] if entries else today.isoformat()
    sub(feed, "updated", f"{newest}T00:00:00+08:00")
    sub(feed, "link", href=site_url + "data/changes.xml", rel="self")
    sub(feed, "link", href=site_url)
    author = sub(feed, "author")
    sub(author, "name", issuer)
    terms = licence_of(licence)
    sub(feed, "rights", f"{issuer}发布，按{terms['name']}许可使用（{terms['url']}）")
    for day, item, index, event in entries:
        entry = sub(feed, "entry")
        what = EVENT_ZH.get(event["type"]) or f"移出名单（{event.get('cause') or '无复核结果'}，无决定）"
        sub(entry, "title", f"{what}：{item.name}")
        sub(entry, "id", f"tag:{UID_DOMAIN},{day}:{item.uscc}/{index}/{event['type']}")
        sub(entry, "updated", f"{day}T00:00:00+08:00")
        sub(entry, "link", href=site_url + item.page)
        parts = [f"{day} {what}", f"企业：{item.name}（{item.uscc}）"]
        if event["document"]:
            parts.append(f"文号：{event['document']}")
        if event["certificate"]:
            parts.append(f"证书编号：{event['certificate']}")
        sub(entry, "summary", "；".join(parts))
    ET.indent(feed)
    body: bytes = ET.tostring(feed, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"
