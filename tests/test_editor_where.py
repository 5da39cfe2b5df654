"""Where a finding is, for the form editor: the field's Chinese title, the section and item it is in, and its path."""

from __future__ import annotations

from generator.editor.where import field_words


def test_field_words_name_the_field_and_the_item_it_is_in() -> None:
    assert field_words(("patents", 2, "granted")) == ("授权公告日", "专利 第 3 项")
    assert field_words(("events", 0, "assessment", "date")) == ("审核日期", "备案事件 第 1 项 · 审核意见")
    assert field_words(("uscc",)) == ("统一社会信用代码", "")
    assert field_words(("services", 1)) == ("服务记录 第 2 项", "")
    assert field_words(()) == ("整条记录", "")
