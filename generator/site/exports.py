"""Open data: enterprises.json, enterprises.csv, reviews.ics (icalendar) and changes.xml (Atom).

All functions are pure: the same enterprises and ``today`` give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from generator.cells import spreadsheet_cell
from generator.labels import CATEGORY_ZH, EVENT_ZH
from generator.site.public import PublicEnterprise, honor_zh

OPEN_DATA = ("data/enterprises.json", "data/enterprises.csv", "data/reviews.ics", "data/changes.xml")
CST = timezone(timedelta(hours=8))
UID_DOMAIN = "ipreg.xiping.invalid"


def open_data(items: list[PublicEnterprise], today: date, site_url: str) -> dict[str, bytes]:
    """Every file of OPEN_DATA for the published enterprises (by USCC) on ``today``."""
    return {
        "data/enterprises.json": enterprises_json(items, today),
        "data/enterprises.csv": enterprises_csv(items),
        "data/reviews.ics": reviews_ics(items, today, site_url),
        "data/changes.xml": changes_atom(items, today, site_url),
    }


def enterprises_json(items: list[PublicEnterprise], today: date) -> bytes:
    payload = {"today": today.isoformat(), "count": len(items), "enterprises": [i.data for i in items]}
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


CSV_COLUMNS = ["统一社会信用代码", "企业名称", "行业代码", "行业名称", "主营产品", "备案类别", "状态", "列入公开名单", "有效期起",
               "有效期至", "保留资格至", "禁止申请至", "有效发明专利", "有效实用新型", "有效外观设计", "有效注册商标", "荣誉称号", "地址", "网站"]


def enterprises_csv(items: list[PublicEnterprise]) -> bytes:
    """UTF-8 with BOM (Excel opens it as UTF-8), Chinese headers, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        d = item.data
        honors = "；".join(f"{honor_zh(h['type'])}（{h['awarded']}）" for h in d["honors"])
        writer.writerow([spreadsheet_cell(v) for v in (
            d["uscc"], d["name"], d["industry"]["code"], d["industry"]["name"], "；".join(d["main_products"]),
            CATEGORY_ZH[d["category"]], item.status_zh, "是" if d["listed"] else "否", d["term_start"], d["term_end"],
            d["grace_until"], d["ban_until"], d["valid_patents"]["invention"], d["valid_patents"]["utility_model"],
            d["valid_patents"]["design"], d["valid_trademarks"], honors, d["address"], d["website"],
        )])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


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


def reviews_ics(items: list[PublicEnterprise], today: date, site_url: str) -> bytes:
    """One all-day event per term end and grace end of every listed enterprise (RFC 5545)."""
    cal = Calendar()
    cal.add("prodid", "-//西平县市场监管局（知识产权局）//ipreg//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "西平县知识产权强企复核时间表")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for item in items:
        if not item.status.listed:
            continue
        url = site_url + item.page
        for start, end in item.status.terms:
            cal.add_component(_event(f"term-end-{item.uscc}-{start.isoformat()}@{UID_DOMAIN}", end, f"有效期届满：{item.name}",
                                     f"{item.name}（{item.uscc}）{start} 起的有效期于 {end} 届满，需组织复核。", url, stamp))
        for start, end in item.status.graces:
            cal.add_component(_event(f"grace-end-{item.uscc}-{start.isoformat()}@{UID_DOMAIN}", end, f"保留资格期届满：{item.name}",
                                     f"{item.name}（{item.uscc}）{start} 复核未通过，保留资格至 {end}。", url, stamp))
    return bytes(cal.to_ical())


ATOM = "http://www.w3.org/2005/Atom"


def changes_atom(items: list[PublicEnterprise], today: date, site_url: str) -> bytes:
    """An Atom feed of every decision of the published enterprises, newest first."""
    ET.register_namespace("", ATOM)
    entries = [(e["date"], item, index, e) for item in items for index, e in enumerate(item.data["events"])]
    entries.sort(key=lambda x: (x[0], x[1].uscc, x[2]), reverse=True)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    sub(feed, "title", "西平县知识产权强企备案决定")
    sub(feed, "id", f"tag:{UID_DOMAIN},2024:changes")
    newest = entries[0][0] if entries else today.isoformat()
    sub(feed, "updated", f"{newest}T00:00:00+08:00")
    sub(feed, "link", href=site_url + "data/changes.xml", rel="self")
    sub(feed, "link", href=site_url)
    author = sub(feed, "author")
    sub(author, "name", "西平县市场监管局（知识产权局）")
    for day, item, index, event in entries:
        entry = sub(feed, "entry")
        sub(entry, "title", f"{EVENT_ZH[event['type']]}：{item.name}")
        sub(entry, "id", f"tag:{UID_DOMAIN},{day}:{item.uscc}/{index}/{event['type']}")
        sub(entry, "updated", f"{day}T00:00:00+08:00")
        sub(entry, "link", href=site_url + item.page)
        parts = [f"{day} {EVENT_ZH[event['type']]}", f"企业：{item.name}（{item.uscc}）"]
        if event["document"]:
            parts.append(f"文号：{event['document']}")
        if event["certificate"]:
            parts.append(f"证书编号：{event['certificate']}")
        sub(entry, "summary", "；".join(parts))
    ET.indent(feed)
    body: bytes = ET.tostring(feed, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"

