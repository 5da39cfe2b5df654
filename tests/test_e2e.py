"""End to end: serve the built site on localhost and drive headless Chromium with Playwright.

Needs Debian's chromium (``.ci/run`` installs it). Without it the tests are skipped locally and
fail in CI (CI=true), so a missing browser never passes silently there.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.sitekit import build, fixtures, scratch_repo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium is required in CI (.ci/run installs it)")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, sync_playwright

FIX = fixtures()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repo = scratch_repo(tmp_path_factory.mktemp("e2e"))
    result = build(repo)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_Quiet, directory=str(repo / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield instance
        instance.close()


def test_list_page_shows_the_listed_enterprises(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "list/")
    rows = page.locator("table.ipreg-sortable tbody tr")
    codes = sorted(rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count()))
    expected = sorted(FIX[k].uscc for k in ("machine", "hostile", "private", "conditional"))
    assert codes == expected
    first_cell = rows.locator("td").first
    assert first_cell.count() >= 1
    hostile_row = page.locator("table.ipreg-sortable tbody tr", has_text=FIX["hostile"].uscc)
    assert hostile_row.locator("td").first.inner_text() == FIX["hostile"].name
    # sorting by clicking a header reorders the rows
    page.locator("table.ipreg-sortable thead th").nth(1).click()
    after = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]
    assert after in (expected, expected[::-1])
    page.close()


def test_chinese_search_finds_the_enterprise(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url)
    box = page.locator("input.md-search__input")
    items = page.locator(".md-search-result__item")
    texts: list[str] = []
    for _ in range(20):  # the search worker loads the index in the background: ask again until it answers
        box.click(force=True)
        box.fill("机械")
        box.press("End")  # Material searches on key events
        page.wait_for_timeout(500)
        # the index holds jieba's segmentation: words separated by zero-width spaces
        texts = [t.replace("\u200b", "") for t in items.all_inner_texts()]
        if texts:
            break
    assert any("西平县测试示例机械有限公司" in t for t in texts), texts
    titles = [t.replace("\u200b", "") for t in page.locator(".md-search-result__item h1").all_inner_texts()]
    assert "西平县测试示例机械有限公司" in titles
    assert "西平县测试示例保留资格有限公司" not in titles  # 机械 does not match every enterprise page
    page.close()


OPEN_SHADOW = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
"""


def test_enterprise_page_renders_its_diagram_as_svg(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.add_init_script(OPEN_SHADOW)  # Material draws Mermaid in a closed shadow root; open it to look inside
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base_url + f"enterprises/{FIX['conditional'].uscc}/")
    svg = page.locator(".mermaid svg")
    svg.first.wait_for(timeout=20_000)
    assert svg.count() >= 1
    labels = page.locator(".mermaid svg text").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert "第1期" in labels and "保留资格" in labels
    assert [u for u in requests if not u.startswith(base_url) and not u.startswith("data:")] == []  # nothing from a CDN
    page.close()


def test_hostile_name_is_text_not_markup(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + f"enterprises/{FIX['hostile'].uscc}/")
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == FIX["hostile"].name
    assert page.title().startswith("<script>")
    page.wait_for_timeout(500)
    assert dialogs == []
    page.close()


@pytest.fixture(scope="module")
def large_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A synthetic registry large enough for a paginated list (pages of 50) and a timeline bar chart."""
    from benchmarks.run import scratch
    from tests.helpers import ROOT

    repo = scratch(tmp_path_factory.mktemp("e2e-large") / "repo", 200, 0.0)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("ipreg_list_page_size: 500", "ipreg_list_page_size: 50")
    (repo / "mkdocs.yml").unlink()
    (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_Quiet, directory=str(repo / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_paginated_list_pager_leads_to_the_next_rows(browser: Browser, large_url: str) -> None:
    page = browser.new_page()
    page.goto(large_url + "list/")
    first = page.locator("table.ipreg-table tbody tr td:nth-child(2)").all_text_contents()
    assert len(first) == 50
    page.locator("nav.ipreg-pager a", has_text="2").first.click()
    page.wait_for_url("**/list/2/")
    second = page.locator("table.ipreg-table tbody tr td:nth-child(2)").all_text_contents()
    assert 0 < len(second) <= 50 and not set(first) & set(second) and max(first) < min(second)
    assert page.locator("nav.ipreg-pager strong").first.text_content() == "2"
    page.close()


def test_large_timeline_draws_a_bar_chart(browser: Browser, large_url: str) -> None:
    page = browser.new_page()
    page.add_init_script(OPEN_SHADOW)
    page.goto(large_url + "timeline/")
    svg = page.locator(".mermaid svg")
    svg.first.wait_for(timeout=20_000)
    texts = page.locator(".mermaid svg text").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert any(t.startswith("每月届满的有效期和保留资格期") for t in texts), texts
    assert not any("Maximum text size" in t or "Syntax error" in t for t in texts)
    assert page.locator(".mermaid svg rect").count() >= 25  # a bar per month
    page.close()


@pytest.mark.parametrize("clock,stale", [("2026-11-27T23:00:00+08:00", False), ("2026-11-28T00:30:00+08:00", True)])
def test_pages_say_how_old_their_data_is(browser: Browser, base_url: str, clock: str, stale: bool) -> None:
    """Every page shows the data date; more than 2 days behind the visitor's clock it warns that it may be out of date
    (a stopped daily publish is visible to citizens)."""
    from datetime import datetime

    page = browser.new_page()
    page.clock.set_fixed_time(datetime.fromisoformat(clock))
    for path in ("", "list/", f"enterprises/{FIX['machine'].uscc}/"):
        page.goto(base_url + path)
        assert page.locator(".ipreg-data-date time").get_attribute("datetime") == "2026-11-25"
        warning = page.locator(".ipreg-stale")
        assert warning.is_visible() is stale, (path, clock)
        if stale:
            assert "可能已过期" in warning.inner_text() and "2026-11-25" in warning.inner_text()
    page.close()
