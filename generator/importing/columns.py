"""The one table of a list's columns: each field with the Chinese headers and synonyms a bureau's list uses.

A header is compared without spaces, full-width forms and a trailing note in brackets (``备案日期（年月日）`` is
``备案日期``). A header that is in no row of this table is reported as an unknown column and its cells are not read;
a known column that ipreg does not need (序号, 联系人 …) is listed in ``IGNORED`` and skipped without a report line.
manual/02-导入已有名单.md (the clerks' manual, day one) shows the table to the clerk.
"""

from __future__ import annotations

import re
import unicodedata

from generator.labels import CATEGORY_ZH, DECISION_WORDS_ZH, EVENT_ZH

# field -> (the header ipreg writes itself, then its synonyms); the order is the report's
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "单位名称", "企业全称", "名称", "公司名称"),
    "uscc": ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "代码"),
    "category": ("类别", "备案类别", "企业类别", "类型", "认定类别"),
    "filed": ("备案日期", "认定日期", "公布日期", "备案时间", "认定时间"),
    "document": ("文号", "发文字号", "备案文号", "文件编号", "认定文号"),
    "certificate": ("证书编号", "证书号", "证书号码"),
    "reviewed": ("复核日期", "复核时间"),
    "result": ("复核结果", "复核结论"),
    "review_document": ("复核文号", "复核发文字号"),
    "revoked": ("撤销日期", "取消日期", "取消资格日期"),
    "withdrawn": ("退出日期",),
    "decision": ("决定", "决定类型", "事项"),
    "date": ("日期", "决定日期", "发文日期"),
    "note": ("备注", "说明"),
}
IGNORED = ("序号", "编号", "行业", "所属行业", "地址", "联系人", "联系电话", "电话", "乡镇", "所在乡镇")
FIELD_HEADER = {field: names[0] for field, names in COLUMNS.items()}

# what a clerk writes in the category column -> the record's code
CATEGORY_WORDS: dict[str, str] = {
    **{label: code for code, label in CATEGORY_ZH.items()},
    "优势企业": "advantage", "知识产权强企": "advantage", "强企": "advantage", "优势": "advantage",
    "储备": "reserve", "知识产权储备企业": "reserve", "advantage": "advantage", "reserve": "reserve",
}
# what a clerk writes in a decision or result column -> the event type
DECISION_WORDS: dict[str, str] = {
    **{label: code for code, label in EVENT_ZH.items() if code != "applied"},
    **DECISION_WORDS_ZH,
    "认定": "filed", "备案确定": "filed", "确定": "filed", "通过": "review_passed", "合格": "review_passed",
    "复核合格": "review_passed", "未通过": "review_failed", "不通过": "review_failed", "不合格": "review_failed",
    "复核不通过": "review_failed", "未参加": "review_absent", "未复核": "review_absent", "取消": "revoked",
    "取消资格": "revoked", "撤销资格": "revoked", "申请退出": "withdrawn",
    **{code: code for code in EVENT_ZH if code != "applied"},
}
_NOTE = re.compile(r"[（(][^）)]*[）)]\Z")


def header_key(text: str) -> str:
    """A header as it is compared: NFKC, no white space, no trailing note in brackets, no colon or asterisk."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _NOTE.sub("", folded).strip("*：:")


_LOOKUP = {header_key(name): field for field, names in COLUMNS.items() for name in names}
_IGNORED = {header_key(name) for name in IGNORED}


def field_of(header: str) -> str | None:
    """The field a header names, ``""`` for a column ipreg skips on purpose, None for an unknown header."""
    key = header_key(header)
    if key in _LOOKUP:
        return _LOOKUP[key]
    return "" if key in _IGNORED else None


def word_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
