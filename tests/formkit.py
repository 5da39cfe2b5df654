"""An applicant's workbook filled as an enterprise would fill it (openpyxl), for the tests of ipreg form and import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

USCC = "91411721MA00000154"
RECEIVED = "2025-06-10"
TODAY = "2025-07-01"
GOOD: dict[str, Any] = {
    "uscc": USCC, "name": "西平县测试示例机械有限公司", "established": date(2015, 3, 1), "legal_person": "是",
    "industry.code": "C35", "industry.name": "专用设备制造业", "website": "https://example.com/", "category": "知识产权优势企业",
    "compliance.industrial_policy": "是", "compliance.environmental": "是", "trade_secret_measures": "是",
    "industry_standing.scope": "本地区（县内）", "industry_standing.basis": "县内同行业发明专利授权量第一（2024 年统计）",
    "ip_management.leader": "副总经理", "ip_management.managers": 2, "ip_management.budget": 200000,
    "ip_management.standard.version": "2023", "ip_management.standard.status": "已实施",
    "ip_management.standard.since": date(2024, 6, 1),
}
TABLES: dict[str, list[list[Any]]] = {
    "main_products": [["玉米脱粒机"]],
    "patents": [["ZL202010566088.9", "发明", "一种脱粒滚筒", date(2022, 4, 12), None, "是"],
                ["ZL202322865413.3", "实用新型", "一种筛网", date(2024, 1, 9)]],
    "trademarks": [["12345678", "测试牌", 7, date(2019, 5, 14), date(2029, 5, 13), "是"]],
    "ip_management.agencies": [["西平县测试知识产权代理事务所"]],
    "ip_management.policies": [["管理"], ["激励"], ["约束"]],
    "finance": [[2024, 5000000, 1500000]],
    "training": [[2024, 20, 18, 100, 70]],
}


def where(book: Path) -> dict[str, tuple[str, int]]:
    """Field key -> (sheet, row of its value); table key -> (sheet, its first data row)."""
    wb = load_workbook(book, read_only=True)
    found = {}
    for ws in wb.worksheets:
        for n, (key,) in enumerate(ws.iter_rows(max_col=1, values_only=True), start=1):
            if isinstance(key, str) and key.startswith("table:"):
                found[key.split(":")[1]] = (ws.title, n + 1)
            elif isinstance(key, str) and key:
                found[key] = (ws.title, n)
    return found


def fill(form: Path, out: Path, fields: Mapping[str, Any] = GOOD, tables: Mapping[str, Sequence[Sequence[Any]]] = TABLES,
         gaps: int = 0) -> Path:
    """``form`` filled with ``fields`` (column C) and ``tables`` (one row per item; ``gaps`` blank rows between the
    patents and between the trademarks, the tables with room for them)."""
    places = where(form)
    wb = load_workbook(form)
    for key, value in fields.items():
        sheet, row = places[key]
        wb[sheet].cell(row=row, column=3, value=value)
    for key, rows in tables.items():
        sheet, first = places[key]
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                step = 1 + (gaps if key in ("patents", "trademarks") else 0)
                wb[sheet].cell(row=first + i * step, column=2 + j, value=value)
    wb.save(out)
    return out
