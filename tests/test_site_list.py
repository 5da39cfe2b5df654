"""The list at 500 rows (issue 41 item 7, design section 6, ARCHITECTURE.md section 6 "The list"): filters and sort kept
in the address (reload, share and the back button keep them), filters always over the whole list (the second page's
enterprises are found from the first through the open data), the count shown equal to the rows shown, at 360 px without
sideways scrolling in 大字 and dark, readable without JavaScript, axe clean, and a budget on the page's DOM and row markup.

A synthetic registry (benchmarks/synth.py) with a little more than 500 listed enterprises: the list's first page holds
500 (the default page size), the second the rest; served with the precompressed files as nginx ``gzip_static`` would."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.helpers import browser_path, required
from tests.sitekit import SITE_URL, build

pytestmark = pytest.mark.browser

CHROMIUM = required("Chromium or Chrome", browser_path())
ROWS = 500
ROW_ELEMENTS = 9  # tr, six cells, the name's link, the status badge
ROW_BYTES = 620  # the mean markup of a row (its name, code and industry included)
PAGE_ELEMENTS = 6000  # the whole page at 500 rows: the rows and Material's page around them
AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
VISIBLE = "table.ipreg-list tbody tr:not([hidden])"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.run import scratch

    repo = scratch(tmp_path_factory.mktemp("list") / "repo", 720, 0.0)
    result = build(repo, site_url=SITE_URL)
    assert result.returncode == 0, result.stderr
    return repo / "site"


@pytest.fixture(scope="module")
def url(site: Path) -> Iterator[str]:
    from benchmarks.pages import _Quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def listed(site: Path) -> list[dict[str, Any]]:
    """The listed enterprises of the open data, as the list shows them across its pages."""
    data = json.loads((site / "data" / "enterprises.json").read_text(encoding="utf-8"))
    return [e for e in data["enterprises"] if e["listed"]]


def _state(page: Page) -> dict[str, Any]:
    page.wait_for_function("!/正在读取/.test(document.querySelector('.ipreg-filter-count').textContent)")
    return page.evaluate("""() => ({
        count: document.querySelector('.ipreg-filter-count').textContent,
        codes: [...document.querySelectorAll('table.ipreg-list tbody tr:not([hidden]) td:nth-child(4)')].map(td => td.textContent),
        selected: [...document.querySelectorAll('select[data-filter]')].map(s => s.value),
        sorted: [...document.querySelectorAll('table.ipreg-list th[aria-sort]')]
            .map(th => th.dataset.sort + ' ' + th.getAttribute('aria-sort'))})""")


def test_the_first_page_holds_500_light_rows_within_budget(browser: Browser, url: str, site: Path, listed: list[dict[str, Any]]) -> None:
    """500 rows on the page, a second page for the rest; each row at most 9 elements and about 600 bytes, the page under
    6,000 DOM elements (it was 6,250 at 500 rows with 12 elements a row, a tooltip on each badge and Tablesort)."""
    assert len(listed) > ROWS
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(url + "list/")
    counts = page.evaluate("""() => ({rows: document.querySelectorAll('table.ipreg-list tbody tr').length,
        elements: document.getElementsByTagName('*').length,
        heaviest: Math.max(...[...document.querySelectorAll('table.ipreg-list tbody tr')]
            .map(tr => tr.querySelectorAll('*').length + 1))})""")
    page.close()
    assert counts["rows"] == ROWS and counts["heaviest"] <= ROW_ELEMENTS and counts["elements"] < PAGE_ELEMENTS, counts
    html = (site / "list" / "index.html").read_text(encoding="utf-8")
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.count("<tr") == ROWS and len(body.encode()) / ROWS < ROW_BYTES, len(body.encode()) / ROWS
    assert (site / "list" / "2" / "index.html").is_file()


def test_filter_and_sort_live_in_the_address(browser: Browser, url: str) -> None:
    """Filter and sort change the address; the address opened fresh shows the same rows in the same order; back undoes."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url + "list/")
    page.select_option('select[data-filter="status"]', "valid")
    page.wait_for_url("**/list/?status=valid")
    page.locator('th[data-sort="name"] button').click()
    page.locator('th[data-sort="name"] button').click()
    page.wait_for_url("**/list/?status=valid&sort=-name")
    shown = _state(page)
    assert shown["sorted"] == ["name descending"] and shown["selected"][0] == "valid"
    fresh = browser.new_page(viewport={"width": 360, "height": 740})
    fresh.goto(page.url)
    again = _state(fresh)
    fresh.close()
    assert again == shown and len(again["codes"]) > 20
    page.go_back()
    page.wait_for_url("**/list/?status=valid&sort=name")
    assert _state(page)["sorted"] == ["name ascending"]
    page.go_back()
    page.go_back()
    page.wait_for_url("**/list/")
    back = _state(page)
    page.close()
    assert back["selected"] == ["", "", ""] and back["sorted"] == [] and len(back["codes"]) == ROWS


def test_a_filter_covers_the_whole_list(browser: Browser, url: str, listed: list[dict[str, Any]]) -> None:
    """On the first page, an industry's filter also finds its enterprises of the second page (from the open data), and
    its rows below the first screen are there and readable; the count equals the rows shown."""
    beyond = listed[-1]  # the last in USCC order: on the second page
    industry = beyond["industry"]["code"]
    expected = sorted(e["uscc"] for e in listed if e["industry"]["code"] == industry)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(url + f"list/?industry={industry}")
    shown = _state(page)
    assert sorted(shown["codes"]) == expected and beyond["uscc"] in shown["codes"]
    assert shown["count"].startswith(f"显示 {len(expected)} 家"), shown["count"]
    last = page.locator(VISIBLE).last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box is not None and box["y"] >= 0 and last.inner_text().strip().startswith("西平县")
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * 740  # the matches reach beyond the first screen
    page.close()


@pytest.mark.parametrize("status", ["", "valid", "review_due", "under_review"])
def test_the_count_equals_the_rows_shown(browser: Browser, url: str, status: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(url + "list/" + (f"?status={status}" if status else ""))
    shown = _state(page)
    visible = page.evaluate("[...document.querySelectorAll('table.ipreg-list tbody tr')].filter(tr => tr.getClientRects().length).length")
    page.close()
    assert shown["count"].startswith(f"显示 {len(shown['codes'])} 家") or shown["count"].startswith(f"本页 {len(shown['codes'])} 家")
    assert visible == len(shown["codes"]) > 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_at_360_px_in_large_text_nothing_scrolls_sideways_and_axe_is_clean(browser: Browser, url: str, scheme: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740}, color_scheme=scheme)  # type: ignore[arg-type]
    page.add_init_script("localStorage.setItem('ipreg-large', '1')")
    page.goto(url + "list/?status=under_review&sort=date")
    _state(page)
    assert page.evaluate("document.documentElement.classList.contains('ipreg-large')")
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width
    page.add_script_tag(content=AXE)
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes[0].target.join(' '))""")
    page.close()
    assert violations == []


def test_without_javascript_the_whole_page_is_readable(browser: Browser, url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url + "list/?status=valid")
    rows = page.locator("table.ipreg-list tbody tr")
    assert rows.count() == ROWS
    last = rows.nth(ROWS - 1)
    last.scroll_into_view_if_needed()  # drawn when it comes near the screen (content-visibility: auto), in a later frame
    for _ in range(30):  # without JavaScript no script asks for frames: a screenshot makes one
        page.screenshot()
        if last.evaluate("row => row.innerText.trim()").startswith("西平县"):
            break
    else:
        raise AssertionError("the last row is not drawn when scrolled to")
    assert last.is_visible()
    assert not page.locator("form.ipreg-filters").is_visible() or page.evaluate(
        "getComputedStyle(document.querySelector('form.ipreg-filters')).visibility") == "hidden"
    context.close()
