"""The site's search in Chromium (issue 41 item 6): results follow text that arrives without a key event (paste, voice
input: Playwright's ``fill``) and an input method's commit (a composition sequence through the DevTools protocol), and
the count above the results is what the list shows, all of it rendered without scrolling."""

from __future__ import annotations

import json
import re
import urllib.request
from collections import Counter
from typing import Any

import pytest

from tests.test_e2e import CHROMIUM, browser, large_url, samples_url

pytestmark = pytest.mark.browser

assert CHROMIUM and browser and large_url and samples_url  # fixtures of tests/test_e2e.py, used here by name


def _open_search(page: Any, url: str) -> Any:
    page.goto(url)
    page.locator("label.md-header__button[for='__search']").first.click()  # the search button in the phone header
    return page.locator("input.md-search__input")


def _shown(page: Any) -> tuple[str, int, list[str]]:
    """The count line, the number of results rendered, their titles."""
    meta = page.locator(".md-search-result__meta").inner_text()
    titles = [t.replace("\u200b", "") for t in page.locator(".md-search-result__item h1").all_inner_texts()]
    return meta, page.locator(".md-search-result__item").count(), titles


def _wait_for_results(page: Any) -> tuple[str, int, list[str]]:
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=15_000)
    page.wait_for_timeout(300)  # the worker's answer and the count line settle
    return _shown(page)


def test_text_put_in_without_key_events_is_searched(browser: Any, samples_url: str) -> None:
    """``fill`` sets the value and fires ``input`` only, as a paste from the menu or voice input does."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    box = _open_search(page, samples_url)
    box.fill("装备")
    meta, count, titles = _wait_for_results(page)
    page.close()
    assert any("装备" in t for t in titles), titles
    assert "键入以开始搜索" not in meta and meta == f"{count} 个符合条件的结果", (meta, count)


def test_an_input_method_commit_is_searched(browser: Any, samples_url: str) -> None:
    """Pinyin composed and committed (compositionstart, input while composing, compositionend): the committed words are
    searched, with no key event after the commit."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    box = _open_search(page, samples_url)
    box.focus()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "zhuangbei", "selectionStart": 9, "selectionEnd": 9})
    cdp.send("Input.insertText", {"text": "装备"})  # commits the composition
    assert box.input_value() == "装备"
    meta, count, titles = _wait_for_results(page)
    page.close()
    assert any("装备" in t for t in titles), titles
    assert meta == f"{count} 个符合条件的结果", (meta, count)


def test_the_count_is_what_the_list_shows(browser: Any, large_url: str) -> None:
    """A word in many enterprises: ten results rendered at once, the tenth a line saying how many more match (linked to
    the list), and the count line says the same ("显示前 9 个结果，另有 M 个"); nothing waits for scrolling."""
    with urllib.request.urlopen(large_url + "data/enterprises.json") as response:  # noqa: S310 (the test's own server)
        data = json.loads(response.read())
    industries = Counter(e["industry"]["name"] for e in data["enterprises"] if e["industry"]["name"])
    word, matching = industries.most_common(1)[0]
    assert matching > 10, industries
    page = browser.new_page(viewport={"width": 360, "height": 740})
    box = _open_search(page, large_url)
    box.fill(word)
    meta, count, titles = _wait_for_results(page)
    more = page.locator(".md-search-result__item").last
    more_text, more_link = more.inner_text().replace("\u200b", ""), more.locator("a").first.get_attribute("href") or ""
    page.close()
    assert count == 10, (count, titles)
    assert meta.startswith("显示前 9 个结果，另有 ") and meta.endswith(" 个"), meta
    hidden = int(meta.removeprefix("显示前 9 个结果，另有 ").removesuffix(" 个"))
    assert hidden >= matching - 9, (hidden, matching)
    assert f"另有 {hidden} 个结果没有列出" in more_text and re.search(r"/list/(\?[^#]*)?#list$", more_link), (more_text, more_link)
