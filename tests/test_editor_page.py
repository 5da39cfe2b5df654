"""The form editor's page in Chromium: sections labelled 必填 by what Art. 5 and 6 need for the record's category (from
the rule catalogue, ``eligibility.required_sections``), and a phone or tablet 360 px wide without sideways scrolling."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.editor.page import section_needs
from generator.rules.eligibility import ELIGIBILITY, required_sections
from generator.schema import ENTERPRISE_SCHEMA, load_schema
from tests.helpers import CASES, check_case
from tests.test_admin import _open, _select, browser, editor  # noqa: F401  (fixtures)
from tests.test_cultivation import POLICY, _context

ON = date(2025, 6, 10)  # the valid cases apply on this day with 2024 finance and training
SHOTS = Path(os.environ.get("IPREG_SHOTS", os.environ.get("TMPDIR", "/tmp")))


def test_art5_needs_its_sections_of_an_advantage_enterprise_only() -> None:
    advantage, reserve = required_sections("advantage"), required_sections("reserve")
    assert advantage["patents"] == advantage["trademarks"] == "第五条第三项"
    assert advantage["ip_management"] == "第五条第一项、第二项"
    assert advantage["finance"] == "第五条第五项" and advantage["training"] == "第五条第六项"
    assert "recommendation" not in advantage and reserve == {"recommendation": "第六条"}
    titles = section_needs(load_schema(ENTERPRISE_SCHEMA))["categories"]
    assert titles["advantage"]["专利"] == "第五条第三项" and titles["reserve"] == {"推荐理由": "第六条"}


def test_every_section_a_rule_needs_is_a_section_of_the_schema_and_optional_there() -> None:
    """A section the schema requires is never labelled 可选 by Decap; the rules' ``needs`` name real sections."""
    schema = load_schema(ENTERPRISE_SCHEMA)
    for rule in ELIGIBILITY:
        for section in rule.needs:
            assert section in schema["properties"], (rule.id, section)
            assert section not in schema["then"]["required"], (rule.id, section)


@pytest.mark.parametrize("category", ["advantage", "reserve"])
def test_a_rule_fails_without_each_section_it_needs(category: str) -> None:
    """``needs`` is what the rule does: a valid record without that section fails it (not a list kept beside the rules)."""
    record = check_case(CASES / "valid" / f"{category}.yaml").entries[0].record
    assert record is not None
    for rule in ELIGIBILITY:
        if rule.category not in (None, category):
            continue
        assert all(o.ok is not False for o in rule.check(_context(record, POLICY, ON))), rule.id
        for section in rule.needs:
            empty: Any = None if getattr(record, section) is None or not isinstance(getattr(record, section), tuple) else ()
            without = dataclasses.replace(record, **{section: empty})
            assert any(o.ok is False for o in rule.check(_context(without, POLICY, ON))), (rule.id, section)


def _label(page: Any, title: str) -> str:
    text: str = page.locator("label", has_text=title).first.inner_text()
    return text


@pytest.mark.browser
def test_a_new_record_labels_what_art5_needs_as_required(editor: tuple[Path, str], browser: Any) -> None:  # noqa: F811
    _, url = editor
    page, _ = _open(browser, url)
    page.goto(url + "#/collections/records/new")
    page.locator("label", has_text="专利").first.wait_for(timeout=15_000)
    patents = _label(page, "专利")
    assert "可选" not in patents and "必填（第五条第三项）" in patents, patents
    assert "必填（第五条第五项）" in _label(page, "财务数据") and "必填（第五条第一项、第二项）" in _label(page, "知识产权管理")
    assert "可选" in _label(page, "企业网站") and "可选" in _label(page, "推荐理由")
    page.locator("label", has_text="专利").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-required-advantage.png"))
    _select(page, "备案类别", "储备企业")
    page.wait_for_function("() => !!document.querySelector('label[data-ipreg-required=\"第六条\"]')", timeout=5_000)
    assert "必填（第六条）" in _label(page, "推荐理由") and "可选" in _label(page, "专利")
    page.close()


def _open_narrow(instance: Any, url: str, path: str) -> Any:
    page = instance.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(url)
    page.get_by_role("button").first.wait_for(timeout=15_000)
    page.get_by_role("button").first.click()  # 登录 (the local backend)
    page.get_by_text("企业备案记录").first.wait_for(timeout=15_000)
    page.goto(url + path)
    page.locator("label", has_text="企业名称").first.wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    return page


@pytest.mark.browser
def test_the_editor_fits_a_360_px_screen_without_sideways_scrolling(editor: tuple[Path, str], browser: Any) -> None:  # noqa: F811
    _, url = editor
    for name, path in (("record", "#/collections/records/entries/91411721MA45A0038J"), ("new", "#/collections/records/new")):
        page = _open_narrow(browser, url, path)
        page.screenshot(path=str(SHOTS / f"editor-360-{name}.png"))
        page.locator("label", has_text="专利").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"editor-360-{name}-patents.png"))
        width = page.evaluate("document.scrollingElement.scrollWidth")
        print(f"editor at 360 px ({name}): scrollWidth {width}")
        assert width <= 360, width
        page.close()
