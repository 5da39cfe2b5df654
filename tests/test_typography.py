"""Chinese typesetting of the site's Markdown (generator/site/typography.py): no space between two Chinese characters
from a line break or a typing habit; code, headings, lists and tables untouched."""

from __future__ import annotations

from generator.site.typography import join_lines, squeeze


def test_a_hard_wrapped_chinese_paragraph_reads_as_one_line() -> None:
    assert join_lines("本站由登记簿生成。\n本站每天更新。") == "本站由登记簿生成。本站每天更新。"
    assert join_lines("依据：\n<a href='x'>第八条</a>") == "依据：<a href='x'>第八条</a>"
    assert join_lines("查看\n[那一天](day.md)的名单") == "查看[那一天](day.md)的名单"


def test_typed_spaces_between_chinese_characters_go_also_around_bold_text() -> None:
    assert join_lines("**更正。** 企业认为有误的") == "**更正。**企业认为有误的"
    assert join_lines("工作日 上午 8:30") == "工作日上午 8:30"  # a space next to a digit stays
    assert join_lines("写 `中 文` 时") == "写 `中 文` 时"  # inline code keeps its spaces; a space next to code stays


def test_blocks_keep_their_line_breaks() -> None:
    kept = ["# 标题\n正文", "- 第一项\n- 第二项", "| 甲 |\n| 乙 |", "```\n代码\n代码\n```", "段落\n\n段落", "<div>\n中文</div>",
            "中文\n[注]: https://example.com/"]
    for text in kept:
        assert join_lines(text) == text, text
    assert join_lines("- 第一项\n  续行") == "- 第一项续行"


def test_squeeze() -> None:
    assert squeeze("有效专利拥有 量在 2024 年") == "有效专利拥有量在 2024 年"
