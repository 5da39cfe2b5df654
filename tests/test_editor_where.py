"""Where a finding is, for the form editor: the field's Chinese title, the section and item it is in, and its path."""

from __future__ import annotations

from generator.editor.where import field_words


def test_field_words_name_the_field_and_the_item_it_is_in() -> None:
    assert field_words(("patents", 2, "granted")) == ("授权公告日", "专利 第 3 项")
    assert field_words(("events", 0, "assessment", "date")) == ("审核日期", "备案事件 第 1 项 · 审核意见")
    assert field_words(("uscc",)) == ("统一社会信用代码", "")
    assert field_words(("services", 1)) == ("服务记录 第 2 项", "")
    assert field_words(()) == ("整条记录", "")


def test_a_finding_for_the_form_carries_its_path_and_the_titles_on_it() -> None:
    """The page finds the field's box by the path (section, item, field) and the titles of the fields on it."""
    from generator.editor.where import described
    from generator.findings import Finding
    from generator.loader import load_bytes
    from tests.helpers import SAMPLES

    sample = (SAMPLES / "records" / "91411721MA45A0046D.yaml").read_text(encoding="utf-8")
    raw = sample.replace("granted: 2020-01-12", "granted: 2020-02-30")
    line = raw.splitlines().index("    granted: 2020-02-30") + 1
    loaded = load_bytes(raw.encode("utf-8"), "records/91411721MA45A0046D.yaml")
    finding = Finding(loaded.file, line, 14, "error", "schema", "授权公告日 的日期 2020-02-30 不存在")
    assert described(finding, loaded) == {
        "field": "授权公告日",
        "where": "专利 第 3 项",
        "message": finding.message,
        "path": ["patents", 2, "granted"],
        "titles": ["专利", "授权公告日"],
    }
    assert described(finding, None) == {"field": "整条记录", "where": "", "message": finding.message, "path": [], "titles": []}


def test_a_finding_for_the_form_says_its_place_in_chinese_only() -> None:
    """Issue 40: no English in the form: the record file's path in a message, （patents[2].granted） or （training）,
    is left out (the field and its item are named in Chinese beside it); other text in brackets stays."""
    from generator.editor.where import described
    from generator.findings import Finding

    said = [described(Finding("x.yaml", 1, 1, "error", "schema", text), None)["message"] for text in (
        "授权公告日（patents[2].granted）的日期 2020-02-30 不存在",
        "缺少 2025 年培训数据（training），无法核对",
        "专利申请号 1 格式不对：应为 12 位数字（如 202010566088.9）",
    )]
    assert said == ["授权公告日的日期 2020-02-30 不存在", "缺少 2025 年培训数据，无法核对",
                    "专利申请号 1 格式不对：应为 12 位数字（如 202010566088.9）"]


def test_a_finding_at_the_key_of_a_group_names_the_group() -> None:
    """A finding at the key of a mapping (an 审核意见 on an event that may not carry one) is on the key's line, its value
    on the next: the form names the group in its item, not 整条记录."""
    from generator.editor.where import described
    from generator.loader import load_bytes
    from generator.schema import schema_findings
    from tests.helpers import SAMPLES

    sample = (SAMPLES / "records" / "91411721MA45A0046D.yaml").read_text(encoding="utf-8")
    raw = sample.replace("保留资格一年\n", "保留资格一年\n    assessment:\n      by: 科员\n      opinion: 同意\n      date: 2026-02-01\n")
    loaded = load_bytes(raw.encode("utf-8"), "records/91411721MA45A0046D.yaml")
    [finding] = schema_findings(loaded)
    shown = described(finding, loaded)
    assert (shown["field"], shown["where"], shown["path"]) == ("审核意见", "备案事件 第 2 项", ["events", 1, "assessment"]), shown
