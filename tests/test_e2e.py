"""End to end: serve the built site on localhost and drive headless Chromium with Playwright.

Needs a Chromium-family browser: Debian's chromium (``tools/install-test-deps`` installs it) or the Google Chrome of
GitHub's runners. Without one the tests are skipped locally and fail in CI (CI=true), so a missing browser never passes
silently there.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.helpers import browser_path, required, scratch_checkout
from tests.sitekit import HOSTILE_NAME, SITE_URL, build, fixtures, scratch_repo

pytestmark = pytest.mark.browser

CHROMIUM = required("Chromium or Chrome", browser_path())

FIX = fixtures()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(scratch_repo(tmp_path_factory.mktemp("e2e")))


@pytest.fixture(scope="module")
def samples_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site of the sample registry (tests/samples): products, industries and certificates of every kind."""
    yield from _serve(scratch_checkout(tmp_path_factory.mktemp("e2e-samples")))


@pytest.fixture(scope="module")
def revised_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The samples' site with a dated change of two values (tests/test_policy_published.py: issue 37 item 10)."""
    from tests.test_policy_published import with_dated_change

    yield from _serve(with_dated_change(scratch_checkout(tmp_path_factory.mktemp("e2e-revised"))))


def _serve(repo: Path) -> Iterator[str]:
    result = build(repo, site_url=SITE_URL)  # an address of its own: enterprise pages carry their QR
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_Quiet, directory=str(repo / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


DATA_DAY = "2026-11-25T10:00:00+08:00"  # the day the test site is built for: the visitor's clock too


class _OnDataDay:
    """The browser, with every page's clock set to the site's data day: a page test sees what a visitor sees on the
    day the data was published (no "可能已过期" banner because the real calendar moved on). A test of the banner sets
    its own clock."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser

    def new_page(self, **options: Any) -> Any:
        return self._on_data_day(self._browser.new_page(**options))

    def new_context(self, **options: Any) -> Any:
        return self._on_data_day(self._browser.new_context(**options))

    @staticmethod
    def _on_data_day(target: Any) -> Any:
        from datetime import datetime

        target.clock.set_fixed_time(datetime.fromisoformat(DATA_DAY))
        return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield _OnDataDay(instance)  # type: ignore[misc]
        instance.close()


def test_list_page_shows_the_listed_enterprises(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "list/")
    rows = page.locator("table.ipreg-list tbody tr")
    codes = sorted(rows.nth(i).locator("td").nth(3).inner_text().strip() for i in range(rows.count()))
    expected = sorted(FIX[k].uscc for k in ("machine", "hostile", "private", "conditional"))
    assert codes == expected
    first_cell = rows.locator("td").first
    assert first_cell.count() >= 1
    hostile_row = page.locator("table.ipreg-list tbody tr", has_text=FIX["hostile"].uscc)
    assert hostile_row.locator("td").first.inner_text() == FIX["hostile"].name
    # sorting by clicking a header reorders the rows
    page.locator("table.ipreg-list thead th").nth(3).click()
    after = [rows.nth(i).locator("td").nth(3).inner_text().strip() for i in range(rows.count())]
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


def test_enterprise_chart_is_svg_drawn_at_build_time(browser: Browser, base_url: str) -> None:
    """The chart is in the HTML (visible with JavaScript off), named and described in words, and nothing comes from a CDN."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base_url + f"enterprises/{FIX['conditional'].uscc}/")
    svg = page.locator("figure.ipreg-chart svg[role=img]")
    assert svg.count() == 1 and svg.first.is_visible()
    assert svg.first.bounding_box()["height"] > 60  # type: ignore[index]
    labels = page.locator("figure.ipreg-chart svg text").all_text_contents()
    assert {"有效期", "保留资格"} <= set(labels) and any(t.startswith("今天") for t in labels)
    caption = page.locator("figure.ipreg-chart figcaption").inner_text()
    assert "第 1 期有效期" in caption and "保留资格" in caption
    assert page.locator(".mermaid").count() == 0
    assert [u for u in requests if not u.startswith(base_url) and not u.startswith("data:")] == []  # nothing from a CDN
    context.close()


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
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("list_page_size: 500", "list_page_size: 50")
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
    first = page.locator("table.ipreg-table tbody tr td:nth-child(4)").all_text_contents()
    assert len(first) == 50
    page.locator("nav.ipreg-pager a", has_text="2").first.click()
    page.wait_for_url("**/list/2/")
    second = page.locator("table.ipreg-table tbody tr td:nth-child(4)").all_text_contents()
    assert 0 < len(second) <= 50 and not set(first) & set(second) and max(first) < min(second)
    assert page.locator("nav.ipreg-pager strong").first.text_content() == "2"
    page.close()


def test_large_timeline_draws_a_monthly_svg_chart(browser: Browser, large_url: str) -> None:
    page = browser.new_page()
    page.goto(large_url + "timeline/")
    svg = page.locator("figure.ipreg-chart-monthly svg")
    assert svg.count() == 1
    texts = page.locator("figure.ipreg-chart-monthly svg text").all_text_contents()
    assert sum(1 for t in texts if len(t) == 7 and t[4] == "-") == 25  # a row per month to the 24-month horizon, YYYY-MM
    assert page.locator("figure.ipreg-chart-monthly svg rect").count() >= 4
    assert "项期限" in page.locator("figure.ipreg-chart-monthly figcaption").inner_text()
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


PAGE_KINDS = ["", "list/", "timeline/", "history/", "policy/", "guide/", "data/", "subscribe/", "verify/", "statistics/", "support/",
              "privacy/", "sitemap/",
              "404.html"]


def _page_kinds() -> list[str]:
    return PAGE_KINDS + [f"enterprises/{FIX[k].uscc}/" for k in ("machine", "hostile", "conditional", "revoked")]


def test_every_page_kind_fits_a_360_px_phone(browser: Browser, base_url: str) -> None:
    """No sideways scrolling at 360 px; ISO dates never break inside."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    for path in _page_kinds():
        page.goto(base_url + path)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], (path, width)
        broken = page.evaluate("""() => [...document.querySelectorAll('.ipreg-date, time')]
            .filter(e => e.getClientRects().length > 1).map(e => e.textContent)""")
        assert broken == [], (path, broken)
    page.close()


AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["policy/", "guide/"])
def test_a_published_change_reads_on_a_phone(browser: Browser, revised_url: str, path: str) -> None:
    """The change's note on the policy page and the guide: at 360 px without sideways scrolling, its 文号 and dates whole,
    and no serious or critical axe-core violation."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(revised_url + path)
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width
    note = page.locator("ul", has_text="西市监〔2026〕40号").first
    assert note.is_visible() and "3 年 → 5 年" in note.inner_text() and "300 万元 → 500 万元" in note.inner_text()
    broken = page.evaluate("""() => [...document.querySelectorAll('.ipreg-nowrap, time')]
        .filter(e => e.getClientRects().length > 1).map(e => e.textContent)""")
    assert broken == []
    page.add_script_tag(content=AXE)
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)""")
    assert violations == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1366, 360])
def test_axe_finds_no_serious_or_critical_violation(browser: Browser, base_url: str, scheme: str, width: int) -> None:
    """axe-core (tests/vendor/axe.min.js) on every page kind, light and dark, desktop and phone."""
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    found = {}
    for path in _page_kinds():
        page.goto(base_url + path)
        scheme_now = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme_now == ("slate" if scheme == "dark" else "default"), scheme_now
        page.add_script_tag(content=AXE)
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")
        if violations:
            found[path] = violations
    page.close()
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1366, 360])
def test_the_support_page_reads_on_a_phone_and_a_desktop(browser: Browser, base_url: str, scheme: str, width: int) -> None:
    """服务与支持 (issue 39): no sideways scrolling, axe-core clean, its tables captioned, and a year without services said
    in a visible sentence, not shown as an empty table."""
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(base_url + "support/")
    width_now = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width_now[0] <= width_now[1], width_now
    for sentence in ("2024年没有登记服务或优先支持。", "2026年（截至 2026-11-25）尚未登记服务。"):
        assert page.get_by_text(sentence, exact=True).is_visible(), sentence
    after = page.evaluate("""() => [...document.querySelectorAll('article table')].filter(t =>
        document.getElementById('y2024').compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING).length""")
    assert after == 0  # 2024 and 2023, the oldest years, have no entries: sentences, no table
    captions = page.locator("table.ipreg-table caption").all_inner_texts()
    assert [c.replace("\u200b", "") for c in captions] == ["2026年（截至 2026-11-25）的优先支持（按项目和结果）", "2025年的服务（按类别）"]
    assert page.locator("table.ipreg-table caption").first.is_visible()
    page.add_script_tag(content=AXE)
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)""")
    assert violations == []
    page.close()


def test_no_staff_page_in_the_site(browser: Browser, base_url: str) -> None:
    """CONTRIBUTING, the rules catalogue and benchmarks stay in the repository: not a page, not in search, not in the sitemap."""
    page = browser.new_page()
    for path in ("checks/", "benchmarks/", "contributing/"):
        response = page.goto(base_url + path)
        assert response is not None and response.status == 404, path
    index = page.goto(base_url + "search/search_index.json")
    assert index is not None
    text = index.text()
    for staff in ("ipreg check", "pull request", "合并请求", "art5.revenue", "benchmarks", "records/"):
        assert staff not in text, staff
    sitemap = page.goto(base_url + "sitemap.xml")
    assert sitemap is not None and "checks" not in sitemap.text() and "benchmarks" not in sitemap.text()
    page.close()


def _search(page: Any, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    titles: list[str] = []
    for _ in range(20):  # the search worker loads the index in the background: ask again until it answers
        box.click(force=True)
        box.fill(query)
        box.press("End")
        page.wait_for_timeout(300)
        titles = [t.replace("\u200b", "") for t in page.locator(".md-search-result__item h1").all_inner_texts()]
        if titles or page.locator(".md-search-result__meta").inner_text().strip().startswith("没有"):
            break
    return titles


def test_search_finds_every_public_word_of_the_records(browser: Browser, base_url: str) -> None:
    """Queries derived from the listed records' public fields (product and industry words, 4+ character USCC fragments)
    find their enterprise, and enterprise pages rank before other pages."""
    import jieba  # type: ignore[import-untyped]
    import yaml

    split = re.compile(r"[\s\-，。、；：！？（）《》“”‘’「」【】·/()\[\],.;:!?]+")  # the query words, made here, not by the site's code
    page = browser.new_page()
    page.goto(base_url)
    misses = []
    for key in ("machine", "conditional", "private"):
        fixture = FIX[key]
        data = yaml.safe_load(fixture.text)
        products, industry = data["main_products"][:2], data["industry"]["name"]
        words = {w for part in [*products, industry] for piece in split.split(part) for w in jieba.cut_for_search(piece) if len(w) >= 2}
        queries = sorted(words)[:6] + [fixture.uscc[-6:], fixture.uscc[4:10]]
        for query in queries:
            titles = _search(page, query)
            if fixture.name not in titles:
                misses.append((query, fixture.name, titles[:3]))
            elif titles and not any(t == f.name for f in FIX.values() for t in titles[:1]):
                misses.append((query, "not first", titles[:3]))
    page.close()
    assert misses == []


def test_search_index_stays_small(base_url: str) -> None:
    """Material's index holds the other pages only; enterprises are in the sharded index (a few files per query)."""
    import json as json_module
    import urllib.request

    with urllib.request.urlopen(base_url + "search/search_index.json") as response:
        payload = response.read()
    assert len(payload) < 150_000, len(payload)  # the policy text, the guide, home and the data pages
    locations = [d["location"] for d in json_module.loads(payload)["docs"]]
    assert not [loc for loc in locations if re.match(r"enterprises/[0-9A-Z]{18}/|list/\d+/", loc)]
    with urllib.request.urlopen(base_url + "search/enterprises/meta.json") as response:
        meta = json_module.loads(response.read())
    assert meta["count"] == len(FIX) - 1 and meta["buckets"] >= 1  # every fixture but the pending one has a page


def test_one_query_fetches_a_few_small_files(browser: Browser, base_url: str) -> None:
    """What a query costs: Material's index of the other pages once, then the buckets of the query's grams and the
    document shards of the results (benchmarks/ measures it at 50,000 enterprises)."""
    page = browser.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(base_url)
    assert FIX["machine"].name in _search(page, "机械")
    shards = [u for u in fetched if "/search/enterprises/" in u]
    assert any(u.endswith("/meta.json") for u in shards) and any("/t/" in u for u in shards) and any("/d/" in u for u in shards)
    assert not any(u.endswith(".yaml") for u in fetched)
    page.close()


def test_search_results_show_names_as_text(browser: Browser, base_url: str) -> None:
    """A name with markup is shown as written, never run or rendered (the worker escapes what it puts in the list)."""
    page = browser.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(base_url)
    titles = _search(page, "强调")
    assert HOSTILE_NAME.replace("  ", " ") in [t.replace("  ", " ") for t in titles], titles
    assert page.locator(".md-search-result__item script, .md-search-result__item b").count() == 0
    assert alerts == []
    page.close()


def _verify(page: Any, base_url: str, query: str, day: str = "") -> str:
    page.goto(base_url + "verify/")
    page.fill("#ipreg-verify-q", query)
    if day:
        page.fill("#ipreg-verify-day", day)
    page.click("form#ipreg-verify button[type=submit]")
    page.wait_for_function(
        "document.getElementById('ipreg-verify-result').textContent.length > 10 && "
        "!document.getElementById('ipreg-verify-result').textContent.startsWith('正在')"
    )
    return str(page.inner_text("#ipreg-verify-result"))


def test_verify_page_checks_certificates_codes_names_and_dates(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    real = _verify(page, base_url, "西知强企证〔2025〕001号")
    assert "证书有效" in real and "西知强企证〔2025〕001号" in real and FIX["machine"].name in real and "在公开名单中" in real
    assert "有效期至 2028-06-09" in real  # when the status ends
    fake = _verify(page, base_url, "西知强企证〔2025〕999号")
    assert "未找到" in fake and "请联系" in fake
    on_day = _verify(page, base_url, FIX["revoked"].uscc, "2025-12-01")
    assert "已撤销，不在公开名单中，禁止申请至 2029-01-14" in on_day and "2025-12-01：有效，在公开名单中，有效期至 2028-06-09" in on_day
    before = _verify(page, base_url, FIX["revoked"].uscc, "2025-01-01")
    assert "该日尚未备案" in before
    later = _verify(page, base_url, "西知强企证〔2025〕001号", "2030-01-01")
    assert "2030-01-01：该日期晚于数据日期 2026-11-25，届时的状态以那时公布的为准" in later and "2030-01-01：有效" not in later
    assert _verify(page, base_url, "测试示例机械").count(FIX["machine"].uscc) == 1  # a name fragment
    assert _verify(page, base_url, FIX["pending"].uscc).startswith("未找到")  # an applicant is never shown
    page.close()


@pytest.mark.parametrize(
    "query",
    [
        "西知强企证〔2025〕001号",
        "西知强企证[2025]001号",
        "西知强企证（2025）001号",
        "西知强企证(2025)001号",
        "西知强企证【2025】001号",
        "〔2025〕1号",
        "[2025]1号",
        "(2025)001号",
        "（2025）001号",
        "【2025】001号",
        "2025001",
        "2025-1",
        "2025-0001",
        " 2025 - 001 ",
        "西知强企证〔2025〕0001号",
    ],
)
def test_verify_accepts_every_way_of_writing_a_certificate_number(browser: Browser, base_url: str, query: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    answer = _verify(page, base_url, query)
    assert "证书有效" in answer and FIX["machine"].uscc in answer, (query, answer)
    page.close()


@pytest.mark.parametrize("query", [FIX["machine"].uscc, FIX["machine"].uscc[-6:], FIX["machine"].uscc[-10:].lower(), "示例机械"])
def test_verify_finds_an_enterprise_by_code_its_last_characters_or_a_name_fragment(browser: Browser, base_url: str, query: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    answer = _verify(page, base_url, query)
    assert FIX["machine"].name in answer and "有效期至 2028-06-09" in answer and "西知强企证〔2025〕001号" in answer, answer
    page.close()


def _answer_on_top(page: Any) -> dict[str, Any]:
    """Where the answer is, as a person sees it: inside the first screen, and the element at its centre is the answer
    itself (no search overlay or anything else on top)."""
    return dict(
        page.evaluate("""() => {
        const box = document.querySelector('#ipreg-verify-result .ipreg-verdict');
        if (!box) return {found: false};
        const title = box.querySelector('.ipreg-verdict-title').getBoundingClientRect();
        const r = box.getBoundingClientRect();
        const x = title.left + title.width / 2, y = title.top + title.height / 2;
        const hit = document.elementFromPoint(x, y);
        const lines = [...box.querySelectorAll('p')].map(p => p.getBoundingClientRect().bottom);
        return {found: true, top: r.top, status_bottom: Math.max(...lines.slice(0, 4)), height: innerHeight, on_top: box.contains(hit),
                search_open: document.querySelector('[data-md-toggle=search]').checked,
                title: box.querySelector('.ipreg-verdict-title').innerText,
                text: box.innerText};
    }""")
    )


@pytest.mark.parametrize("width,height", [(360, 740), (1366, 900)])
def test_qr_code_url_shows_the_answer_on_the_first_screen(browser: Browser, base_url: str, width: int, height: int) -> None:
    """What a bank officer sees after scanning a certificate: genuine, the holder's name and code, today's status and
    until when, on the first screen with nothing over it."""
    from generator.qr import verify_url

    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(verify_url(base_url, "西知强企证〔2025〕001号", FIX["machine"].uscc))
    page.wait_for_selector("#ipreg-verify-result .ipreg-verdict")
    where = _answer_on_top(page)
    assert where["on_top"] and not where["search_open"], where
    assert where["top"] >= 0 and where["status_bottom"] <= where["height"], where
    assert where["title"] == "证书有效"
    for fact in (FIX["machine"].name, FIX["machine"].uscc, "有效，在公开名单中", "有效期至 2028-06-09"):
        assert fact in where["text"], fact
    # the QR of a genuine certificate shown by another enterprise
    page.goto(verify_url(base_url, "西知强企证〔2025〕001号", FIX["conditional"].uscc))
    page.wait_for_selector("#ipreg-verify-result .ipreg-verdict")
    where = _answer_on_top(page)
    assert where["on_top"] and where["title"] == "证书属于另一家企业" and FIX["conditional"].uscc in where["text"], where
    assert FIX["machine"].name in where["text"]
    if os.environ.get("IPREG_SHOTS"):  # screenshots to look at: IPREG_SHOTS=folder
        page.screenshot(path=str(Path(os.environ["IPREG_SHOTS"]) / f"verify-qr-{width}.png"))
    page.close()


def test_no_page_requests_a_missing_file_or_another_host(browser: Browser, base_url: str) -> None:
    """Every page kind, the 404 page and the verification page opened from a QR code: every response below 400, every
    request to this server (an Atom link read as a language version asked for /data/sitemap.xml)."""
    from generator.qr import verify_url

    page = browser.new_page(viewport={"width": 360, "height": 740})
    bad: list[str] = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/no-such-page/") else None)
    page.on(
        "request",
        lambda r: bad.append(f"other host: {r.url}") if not r.url.startswith(base_url) and not r.url.startswith("data:") else None,
    )
    for path in [*_page_kinds(), "no-such-page/"]:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    page.goto(verify_url(base_url, "西知强企证〔2025〕001号", FIX["machine"].uscc))
    page.wait_for_load_state("networkidle")
    page.close()
    assert bad == []


def test_verify_lookup_is_fast_at_10000_enterprises(browser: Browser, base_url: str) -> None:
    """The index format at 10,000 enterprises: < 150 bytes per certificate, a lookup < 50 ms in Chromium."""
    from datetime import date as _date

    from generator.site.verify import verify_index

    items = []
    from generator.lifecycle import Status
    from generator.public import PublicEnterprise

    for i in range(10_000):
        data = {
            "uscc": f"91411721MA{i:08d}",
            "name": f"西平县测试第{i}号机械制造有限公司",
            "events": [{"date": "2025-06-10", "type": "filed", "document": "x", "certificate": f"西知强企证〔2025〕{i + 1:03d}号"}],
            "status_intervals": [{"from": "2025-06-10", "to": None, "status": "valid", "listed": True}],
        }
        items.append(PublicEnterprise(data, Status("valid", True), ("2028-06-09",)))
    payload = verify_index(items, _date(2026, 11, 25), "西知强企证〔{year}〕{seq:03d}号", {})
    assert len(payload) / 10_000 < 150, len(payload) / 10_000
    page = browser.new_page()
    page.route("**/data/verify.json", lambda route: route.fulfill(body=payload, content_type="application/json"))
    _verify(page, base_url, "西知强企证〔2025〕9999号")  # loads the index once (numbers past 999 are text like any other)
    elapsed = page.evaluate("""() => { const t0 = performance.now();
        document.querySelector('form#ipreg-verify button[type=submit]').click(); return performance.now() - t0; }""")
    assert "证书有效" in page.inner_text("#ipreg-verify-result") and elapsed < 50, elapsed
    page.close()


def test_enterprise_page_qr_decodes_to_its_own_url(browser: Browser, base_url: str) -> None:
    import io

    import zxingcpp
    from PIL import Image

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base_url + f"enterprises/{FIX['machine'].uscc}/")
    png = page.locator("img.ipreg-qr").screenshot()
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert code.text.endswith(f"enterprises/{FIX['machine'].uscc}/")
    page.close()


def test_page_tests_see_the_data_day(browser: Browser, base_url: str) -> None:
    """Every page test runs on the site's data day: no stale-data banner covers what they look at."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    for path in _page_kinds():
        page.goto(base_url + path)
        assert not page.locator(".ipreg-stale").is_visible(), path
    page.close()


SEARCHES = {  # issue 27: what citizens type -> the enterprise it must find first
    "丝": "91411721MA45A002XJ", "油": "91411721MA45A0150H", "C13": None, "西知强企证〔2024〕007号": "91411721MA45A01186",
    "絲綢": "91411721MA45A002XJ", "芝麻油": "91411721MA45A0150H", "香油": "91411721MA45A0150H",
}


@pytest.mark.parametrize("query", list(SEARCHES))
def test_a_phone_search_finds_short_words_codes_certificates_variants_and_says_the_status(browser: Browser, samples_url: str,
                                                                                         query: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(samples_url)
    page.locator("label.md-header__button[for='__search']").first.click()  # the search button in the phone header
    box = page.locator("input.md-search__input")
    links: list[str] = []
    texts: list[str] = []
    for _ in range(20):  # the worker loads in the background: ask again until it answers
        box.fill(query)
        box.press("End")
        page.wait_for_timeout(300)
        links = page.locator(".md-search-result__item > a").evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
        texts = page.locator(".md-search-result__item").all_inner_texts()
        if links:
            break
    visible = bool(links) and page.locator(".md-search-result__item").first.is_visible()
    page.close()
    assert links and visible, query
    wanted = SEARCHES[query]
    if wanted:
        assert f"enterprises/{wanted}/" in links[0], (query, links[:3])
    else:
        assert all("enterprises/" in link for link in links[:3]), links
    assert "状态：" in texts[0], texts[0]


def test_the_large_text_switch_enlarges_every_page_and_is_remembered(browser: Browser, base_url: str) -> None:
    """Issue 27 (适老化): 大字 makes the text at least 1.25 times larger on every page kind, the choice is kept from page
    to page, no page scrolls sideways at 360 px, the site name in the header is not cut (a long page title, shown there
    on scrolling, keeps two lines), and 还原字号 undoes it."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base_url)
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    page.locator(".ipreg-large-toggle").first.click()
    for path in _page_kinds():
        page.goto(base_url + path)
        state = page.evaluate("""() => ({
            size: parseFloat(getComputedStyle(document.querySelector('.md-typeset p, .md-typeset li, .md-typeset h1')).fontSize),
            pressed: document.querySelector('.ipreg-large-toggle').getAttribute('aria-pressed'),
            width: [document.documentElement.scrollWidth, innerWidth],
            cut: [...document.querySelectorAll('.md-header__topic:first-child .md-ellipsis')]
                 .some((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)})""")
        assert state["pressed"] == "true", path
        assert state["width"][0] <= state["width"][1], (path, state)
        assert not state["cut"], path
        if path == "":
            assert state["size"] >= 1.25 * before, (before, state)
    page.locator(".ipreg-large-toggle").first.click()
    page.goto(base_url)
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    context.close()
    assert after == before


def test_the_home_page_has_a_search_box_on_a_phone(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(base_url)
    box = page.locator(".ipreg-home-search")
    assert box.is_visible() and box.bounding_box()["y"] < 740  # type: ignore[index]  # on the first screen
    box.click()
    page.wait_for_timeout(300)
    focused = page.evaluate("document.activeElement && document.activeElement.classList.contains('md-search__input')")
    opened = page.locator("input.md-search__input").is_visible()
    page.close()
    assert opened and focused


TOKENS = r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|[0-9A-Z]{18}|[\u4e00-\u9fff]{2,5}〔\d{4}〕\d+号"


@pytest.mark.parametrize("large", [False, True])
def test_dates_codes_and_numbers_are_never_broken_on_a_phone(browser: Browser, base_url: str, large: bool) -> None:
    """Issue 27: every date, USCC, certificate and document number in the text of every page kind sits on one line at
    360 px, in normal and in large text (a Range over each occurrence has boxes of one line only)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base_url)
    if large:
        page.locator(".ipreg-large-toggle").first.click()
    broken: list[tuple[str, str]] = []
    for path in _page_kinds():
        page.goto(base_url + path)
        found = page.evaluate("""(pattern) => {
            const re = new RegExp(pattern, "g"), out = [];
            const root = document.querySelector("article") || document.body;
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!node.parentElement || !node.parentElement.offsetParent) continue;  // hidden text is not read
                for (const m of node.data.matchAll(re)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
                    if (tops.size > 1) out.push(m[0] + " in " + node.parentElement.outerHTML.slice(0, 160));
                }
            }
            return out;
        }""", TOKENS)
        broken += [(path, token) for token in found]
    context.close()
    assert broken == []


def test_no_stray_space_between_chinese_characters_on_any_page(browser: Browser, base_url: str, samples_url: str) -> None:
    """Issue 27: the rendered text of every page kind (the test registry's and the samples', with the measures, the
    guide and the privacy notice) has no space between two Chinese characters ("管理。 本站", "查看 那一天")."""
    cjk = "\u4e00-\u9fff\u3000-\u303f\uff01-\uff60"
    pattern = re.compile(f"[{cjk}][ \u00a0]+[{cjk}]")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    stray = []
    for base, paths in ((base_url, _page_kinds()), (samples_url, ["", "enterprises/91411721MA45A0038J/", "statistics/"])):
        for path in paths:
            page.goto(base + path)
            text = page.evaluate("[...document.querySelectorAll('article, footer')].map((e) => e.innerText).join('\\n')")
            stray += [(path, text[max(0, m.start() - 8):m.end() + 8]) for m in pattern.finditer(text)]
    page.close()
    assert stray == [], stray[:20]


@pytest.mark.parametrize("width", [360, 683])  # a phone; a 1366 px laptop at 200 % zoom
def test_tab_never_stops_on_something_off_screen(browser: Browser, base_url: str, width: int) -> None:
    """Issue 27: the closed navigation drawer, the closed search box and the table headers hidden on a phone take no
    keyboard focus; every focus stop is on the screen (the palette switch's input shows its focus on its label)."""
    page = browser.new_page(viewport={"width": width, "height": 740})
    off: list[tuple[str, list[object]]] = []
    for path in ("", "list/", f"enterprises/{FIX['machine'].uscc}/"):
        page.goto(base_url + path)
        page.wait_for_timeout(200)
        for _ in range(120):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => { const e = document.activeElement;
                if (!e || e === document.body) return null;
                if (e.matches('input.md-option')) return ['palette'];
                const r = e.getBoundingClientRect();
                return [e.tagName, (e.textContent || '').trim().slice(0, 12), r.left, r.right, r.width, r.height]; }""")
            if info is None:
                break
            if info[0] != "palette" and (info[3] <= 0 or info[2] >= width or info[4] < 1 or info[5] < 1):  # type: ignore[operator]
                off.append((path, info))
    page.close()
    assert off == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1366, 360])
def test_axe_with_the_search_open_and_results_shown(browser: Browser, samples_url: str, scheme: str, width: int) -> None:
    """Issue 27: axe also with the search box open and results listed (the hint and the summaries pass 4.5:1)."""
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(samples_url)
    page.locator(".ipreg-home-search").click()
    box = page.locator("input.md-search__input")
    for _ in range(20):
        box.fill("西平")
        box.press("End")  # Material searches on key presses
        page.wait_for_timeout(300)
        if page.locator(".md-search-result__item").count():
            break
    page.locator(".md-search-result__item a").first.hover()
    page.add_script_tag(content=AXE)
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => [v.id, v.nodes.map((n) => n.target.join(' '))])""")
    page.close()
    assert violations == []


CONTRAST = """(element) => {
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const lum = (c) => { const [r, g, b] = rgb(c).slice(0, 3).map(linear); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const layers = [];  // the backgrounds behind the text, nearest first, down to an opaque one; then blended
    for (let n = element; n; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor), alpha = c.length === 4 ? c[3] : 1;
        if (alpha > 0) layers.push([c[0], c[1], c[2], alpha]);
        if (alpha === 1) break;
    }
    let back = [255, 255, 255];
    for (const [r, g, b, alpha] of layers.reverse()) back = [r * alpha + back[0] * (1 - alpha), g * alpha + back[1] * (1 - alpha),
                                                             b * alpha + back[2] * (1 - alpha)];
    const [a, b] = [lum(getComputedStyle(element).color), lum(`rgb(${back.join(',')})`)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_interactive_state_keeps_its_contrast(browser: Browser, base_url: str, scheme: str) -> None:
    """Issue 27: hover and focus of the 核验 button, the home search box and the 大字 switch keep text at 4.5:1 (the
    dark 核验 button on hover was 1.82:1)."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    low = []
    for path, selector in (("verify/", "button.md-button--primary"), ("", ".ipreg-home-search"), ("", ".ipreg-large-toggle")):
        page.goto(base_url + path)
        target = page.locator(selector).first
        for state in ("hover", "focus"):
            target.hover() if state == "hover" else target.focus()
            page.wait_for_timeout(250)  # past the transitions
            ratio = target.evaluate(CONTRAST)
            if ratio < 4.5:
                low.append((path, selector, state, round(ratio, 2)))
            page.mouse.move(0, 0)
    page.close()
    assert low == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_read_on_a_phone_in_every_size_and_scheme(browser: Browser, base_url: str, scheme: str) -> None:
    """Issue 27: chart text at least 12 px on a 360 px phone and larger with 大字; every year on an enterprise's axis;
    each colour at 3:1 against the background; the revoked enterprise's chart marks the day it left; on a desktop the
    monthly timeline chart fits in one screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    measure = """() => [...document.querySelectorAll('figure.ipreg-chart svg')].map((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const texts = [...svg.querySelectorAll('text')];
        const years = texts.filter((t) => t.classList.contains('ipreg-c-year')).map((t) => Number(t.textContent));
        return {size: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)), years,
                fills: [...new Set([...svg.querySelectorAll('rect')].map((r) => getComputedStyle(r).fill))],
                end: svg.querySelectorAll('.ipreg-c-end').length};
    })"""
    pages = ["statistics/", "timeline/", f"enterprises/{FIX['revoked'].uscc}/", f"enterprises/{FIX['machine'].uscc}/"]
    sizes = {}
    for large in (False, True):
        page.goto(base_url)
        if large:
            page.locator(".ipreg-large-toggle").first.click()
        for path in pages:
            page.goto(base_url + path)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            for chart in page.evaluate(measure):
                sizes.setdefault(large, []).append(chart["size"])
                if chart["years"]:
                    assert chart["years"] == list(range(chart["years"][0], chart["years"][-1] + 1)), (path, chart["years"])
                for fill in chart["fills"]:
                    assert _contrast(fill, background) >= 3, (path, fill, background)
                if path.startswith(f"enterprises/{FIX['revoked'].uscc}"):
                    assert chart["end"] == 1
    desktop = browser.new_page(viewport={"width": 1366, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    desktop.goto(base_url + "timeline/")
    height = desktop.evaluate("document.querySelector('figure.ipreg-chart-monthly svg').getBoundingClientRect().height")
    desktop.close()
    context.close()
    assert min(sizes[False]) >= 12 and min(sizes[True]) >= 1.2 * min(sizes[False]), sizes
    assert height <= 900, height


def _contrast(first: str, second: str) -> float:
    def luminance(css: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_the_list_filters_sorts_by_pinyin_and_offers_downloads(browser: Browser, samples_url: str) -> None:
    """Issue 27: filters by status, category and industry (JavaScript only hides rows: without it the whole list shows),
    names sorted by pinyin, downloads of the whole list as .xlsx and CSV, and no "click the header" hint on a phone."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(samples_url + "list/")
    rows = page.locator("table.ipreg-table tbody tr")
    total = rows.count()
    page.locator("select[data-filter=status]").select_option("valid")
    valid = page.locator("table.ipreg-table tbody tr:not([hidden])").count()
    statuses = page.locator("table.ipreg-table tbody tr:not([hidden]) .ipreg-badge").all_inner_texts()
    page.locator("select[data-filter=status]").select_option("")
    page.locator("table.ipreg-table th").first.click()
    names = page.locator("table.ipreg-table tbody tr td.ipreg-primary").all_inner_texts()
    downloads = page.locator(".ipreg-downloads a").evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
    page.close()
    assert 0 < valid < total and set(statuses) == {"有效"}
    assert [name[5:7] for name in names[:4]] == ["家居", "精密", "嫘祖", "牧原"]  # jia, jing, lei, mu
    assert any(d.endswith("data/enterprises.xlsx") for d in downloads) and any(d.endswith("data/enterprises.csv") for d in downloads)
    phone = browser.new_page(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    phone.goto(samples_url + "list/")
    shown = phone.locator("table.ipreg-table tbody tr").count()
    hint = phone.get_by_text("点击表头可排序").first.is_visible() if phone.get_by_text("点击表头可排序").count() else False
    phone.close()
    assert shown == total and not hint


def test_the_search_index_loads_when_the_search_opens_not_with_every_page(browser: Browser, base_url: str) -> None:
    """Issue 27 (a slow phone): a page asks for no search index and starts no search worker until the reader opens the
    search; then both come, and the search answers."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(base_url + "list/", wait_until="networkidle")
    before = [url for url in asked if "search" in url]
    page.locator("label.md-header__button[for='__search']").first.click()
    titles = _search(page, "机械")
    after = [url for url in asked if "search" in url]
    page.close()
    assert before == []
    assert any("search_index.json" in url for url in after) and any("ipreg-search.js" in url for url in after)
    assert titles


def test_every_page_kind_fits_a_phone_at_200_percent_zoom(browser: Browser, base_url: str) -> None:
    """Issue 27: 200 % text zoom on a 360 px phone is a 180 px wide layout: no page scrolls sideways, and the facts of an
    enterprise stack label over value (the label keeps its words on a line)."""
    page = browser.new_page(viewport={"width": 180, "height": 370})
    wide = []
    for path in _page_kinds():
        page.goto(base_url + path)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide.append((path, width))
    page.goto(base_url + f"enterprises/{FIX['machine'].uscc}/")
    stacked = page.evaluate("""() => { const th = document.querySelector('table.ipreg-facts th'), td = th.nextElementSibling;
        return [getComputedStyle(th).display, th.getBoundingClientRect().bottom <= td.getBoundingClientRect().top + 1]; }""")
    page.close()
    assert wide == []
    assert stacked == ["block", True]
