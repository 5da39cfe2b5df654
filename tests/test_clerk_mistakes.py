"""Mistakes clerks make (issue 26), each applied to a record that passes every check: the first finding a clerk reads
is on the line of the mistake and names its cause, in Chinese, with the fix. The table is the one in docs/checks.md
("常见错误"); ``line`` is the line in the valid record tests/cases/valid/advantage.yaml as changed."""

from __future__ import annotations

from datetime import date

import pytest

from generator.findings import Finding
from generator.loader import load_bytes
from generator.policy import default_policy
from generator.registry import build_registry
from tests.helpers import CASES

VALID = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8")
NAME = "records/91411721MA00000154.yaml"
TODAY = date(2026, 11, 25)

# (what the clerk did, text replaced, replacement, rule of the first finding, its line, words it must contain)
MISTAKES = [
    ("日期用斜杠", "established: 2015-03-01", "established: 2015/03/01", "schema", 6, "日期要写成 2015-03-01"),
    ("日期用点", "established: 2015-03-01", "established: 2015.3.1", "schema", 6, "日期要写成 2015-03-01"),
    ("日期写成年月日", "granted: 2022-04-12", "granted: 2022年4月12日", "schema", 22, "日期要写成 2022-04-12"),
    ("日期未补零", "established: 2015-03-01", "established: 2015-3-1", "schema", 6, "日期要写成 2015-03-01"),
    ("日期不存在", "established: 2015-03-01", "established: 2015-02-30", "schema", 6, "不存在：请核对月份和天数"),
    ("Excel 的日期序号", "established: 2015-03-01", "established: 42064", "yaml.type", 6, "Excel 的日期序号（2015-03-01）"),
    ("中文冒号", "established: 2015-03-01", "established：2015-03-01", "yaml.syntax", 6, "中文冒号"),
    ("冒号后没有空格", "name: 西平县测试示例机械有限公司", "name:西平县测试示例机械有限公司", "yaml.syntax", 5, "冒号后面少了一个空格"),
    ("全角空格缩进", "  code: C35", "\u3000\u3000code: C35", "yaml.syntax", 9, "全角空格"),
    ("从 Word 复制的不换行空格缩进", "  code: C35", "\u00a0\u00a0code: C35", "yaml.syntax", 9, "不换行空格"),
    ("多缩进一格", "name: 西平县", " name: 西平县", "yaml.syntax", 5, "缩进不对"),
    ("列表项漏写短横线", "  - 玉米脱粒机", "  玉米脱粒机", "schema", 12, "每项以“- ”开头"),
    ("流式列表用中文逗号", "[management, incentive, constraint]", "[management，incentive，constraint]", "schema", 48, "“，”改成英文的“,”"),
    ("流式列表用中文方括号", "[management, incentive, constraint]", "【management, incentive, constraint】", "schema", 48,
     "“【”改成英文的“[”"),
    ("统一代码用中文引号", '"91411721MA00000154"', "“91411721MA00000154”", "uscc.checksum", 4, "中文引号"),
    ("统一代码校验位错", '"91411721MA00000154"', '"91411721MA00000155"', "uscc.checksum", 4, "第 18 位校验码应为 4"),
    ("统一代码小写", '"91411721MA00000154"', '"91411721ma00000154"', "uscc.checksum", 4, "字母要大写"),
    ("统一代码中间有空格", '"91411721MA00000154"', '"914117 21MA00000154"', "uscc.checksum", 4, "中间有空格"),
    ("统一代码少一位", '"91411721MA00000154"', '"91411721MA0000015"', "uscc.checksum", 4, "少了 1 位"),
    ("统一代码含零宽空格", '"91411721MA00000154"', '"91411721MA\u200b00000154"', "yaml.syntax", 4, "U+200B"),
    ("类别写中文", "category: advantage", "category: 优势企业", "schema", 14, "“优势企业”请写作 advantage"),
    ("类别写储备企业", "category: advantage", "category: 储备企业", "schema", 14, "请写作 reserve"),
    ("类别后多了全角空格", "category: advantage", "category: advantage\u3000", "schema", 14, "多了空格"),
    ("专利类型写中文", "    type: invention", "    type: 发明", "schema", 20, "“发明”请写作 invention"),
    ("事件类型写中文", "    type: filed", "    type: 备案", "schema", 65, "“备案”请写作 filed"),
    ("营业收入写成万元", "revenue: 5000000", "revenue: 500万元", "schema", 55, "不写逗号、单位和引号"),
    ("营业收入带千分位", "revenue: 5000000", "revenue: 5,000,000", "schema", 55, "不写逗号、单位和引号"),
    ("经费写成万", "budget: 200000", "budget: 20万", "schema", 46, "不写逗号、单位和引号"),
    ("专利收入写成百分比", "patent_revenue: 1500000", "patent_revenue: 30%", "schema", 56, "不写逗号、单位和引号"),
    ("人数写成中文", "managers: 2", "managers: 两人", "schema", 45, "应为整数"),
    ("人数写成小数", "managers: 2", "managers: 2.5", "schema", 45, "都写整数"),
    ("全角数字", "managers: 2", "managers: ２", "schema", 45, "应为整数"),
    ("是否写成“是”", "legal_person: true", "legal_person: 是", "schema", 7, "应为 true 或 false"),
    ("是否写成“否”", "  environmental: true", "  environmental: 否", "schema", 17, "应为 true 或 false"),
    ("年份带“年”", "  - year: 2024\n    revenue", "  - year: 2024年\n    revenue", "schema", 54, "应为整数"),
    ("商标类别写成第7类", "class: 7", "class: 第7类", "schema", 31, "应为整数"),
    ("行业写成一行", "industry:\n  code: C35\n  name: 专用设备制造业", "industry: C35 专用设备制造业", "schema", 8, "映射"),
    ("键名拼错", "revenue: 5000000", "revnue: 5000000", "schema", 55, "是不是 revenue"),
    ("漏填类别", "category: advantage\n", "", "schema", 4, "缺少必填字段 category"),
    ("名称留空", "name: 西平县测试示例机械有限公司", "name:", "schema", 5, "没有填写值"),
    ("网址缺 http", "website: https://example.com/", "website: www.example.com", "schema", 13, "http:// 或 https://"),
    ("受训人数多于总数", "employees_trained: 70", "employees_trained: 170", "data.consistency", 62, "多于员工总数"),
    ("商标到期早于注册", "expires: 2029-05-13", "expires: 2018-05-13", "data.consistency", 33, "早于注册日"),
    ("同一年度财务填了两次", "    patent_revenue: 1500000\n", "    patent_revenue: 1500000\n  - year: 2024\n    revenue: 5000000\n"
     "    patent_revenue: 1500000\n", "data.consistency", 57, "重复出现"),
    ("决定日期写在未来", "  - date: 2025-06-10", "  - date: 2027-06-10", "events.future", 64, "晚于今天"),
    ("申报日期晚于备案日期", "events:\n", "events:\n  - date: 2025-07-01\n    type: applied\n", "events.order", 66, "从早到晚"),
    ("文号用方括号", "西市监〔2025〕31号", "西市监[2025]31号", "events.document", 66, "〔〕"),
]

# Written differently from the template but not wrong: accepted, nothing reported.
ACCEPTED = [
    ("冒号后用 Tab", "name: 西平县", "name:\t西平县"),
    ("值里有中文分号", "  leader: 副总经理", "  leader: 副总经理；"),
]


def _first(text: str) -> Finding:
    registry = build_registry([load_bytes(text.encode("utf-8"), NAME)], default_policy(), TODAY)
    shown = [f for f in registry.findings if f.severity != "info"]
    assert shown, "no finding"
    return shown[0]


@pytest.mark.parametrize(("what", "old", "new", "rule", "line", "words"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_the_first_finding_names_the_mistake_where_it_is(what: str, old: str, new: str, rule: str, line: int, words: str) -> None:
    assert old in VALID
    first = _first(VALID.replace(old, new, 1))
    assert (first.rule, first.line) == (rule, line), first
    assert words in first.message, first.message
    assert first.severity == "error" or rule == "events.document"


@pytest.mark.parametrize(("what", "old", "new"), ACCEPTED, ids=[m[0] for m in ACCEPTED])
def test_a_harmless_variant_is_accepted(what: str, old: str, new: str) -> None:
    registry = build_registry([load_bytes(VALID.replace(old, new, 1).encode("utf-8"), NAME)], default_policy(), TODAY)
    assert [f for f in registry.findings if f.severity != "info"] == []


def test_the_sweep_is_as_large_as_the_issue_asks() -> None:
    assert len(MISTAKES) >= 37
