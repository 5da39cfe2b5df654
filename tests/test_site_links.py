"""Every link on every page of the built site resolves (issue 41 item 4-5, design section 6 v3 "no page requests a file
that does not exist"): a crawler over the files on disk, mapping URLs to files as MkDocs' ``use_directory_urls`` does,
counting every ``href`` and ``src`` (the table of contents included) and checking each fragment against the ids of the
page it points to. The site is built once at the root (no site address) and once under a sub-path (``/registry/``);
404.html, served at any depth, may only use paths that work there."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.helpers import scratch_checkout
from tests.sitekit import TODAY, fixtures, ipreg

pytestmark = pytest.mark.slow

SUB_PATH = "https://example.gov.cn/registry/"
EXTERNAL = ("http", "https", "mailto", "tel", "webcal", "data", "javascript")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "base" and name == "href":
                self.base = value
            elif name in ("href", "src") and value is not None:
                self.links.append(value)
            elif value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module", params=["", SUB_PATH], ids=["root", "sub-path"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample registry and the site tests' fixtures (hostile names among them), built with ``site_url``."""
    repo = scratch_checkout(tmp_path_factory.mktemp("links") / "repo")
    for fixture in fixtures().values():
        (repo / "records" / f"{fixture.uscc}.yaml").write_text(fixture.text, encoding="utf-8")
    result = ipreg(repo, "build", "--today", TODAY, "--site-dir", "site", env={"IPREG_SITE_URL": request.param})
    assert result.returncode == 0, result.stderr
    return repo / "site", request.param


def _target(site: Path, url_path: str) -> Path | None:
    """The file MkDocs (``use_directory_urls``) serves for the site-relative ``url_path``, or None."""
    candidate = site / unquote(url_path)
    if url_path in ("", ".") or url_path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def crawl(site: Path, prefix: str, addressed: bool) -> tuple[int, list[str]]:
    """(links checked, broken links) over every HTML file of ``site``; ``prefix`` is the site's URL path ("/registry/"),
    ``addressed`` whether the build knew it (else 404.html finds its base as it is served: notfound.py)."""
    parsed = {page: _parse(page) for page in sorted(site.rglob("*.html"))}
    ids = {page: parser.ids for page, parser in parsed.items()}
    checked, broken = 0, []
    for page, parser in parsed.items():
        rel = page.relative_to(site).as_posix()
        page_url = prefix + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        if rel == "404.html" and not addressed:
            assert parser.base == "/", parser.base  # a script sets it to the site's path as the page is served
            page_url = prefix
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in EXTERNAL or parts.netloc:
                continue
            checked += 1
            if rel == "404.html" and parts.path and (not parts.path.startswith(prefix) if addressed else parts.path.startswith("/")):
                broken.append(f"{rel}: {link} (404.html is served at any depth: only paths under the site's base work)")
                continue
            absolute = urlsplit(urljoin("https://site.invalid" + page_url, link)).path
            if not absolute.startswith(prefix) and absolute != prefix.rstrip("/"):
                broken.append(f"{rel}: {link} (leaves the site's path {prefix})")
                continue
            target = _target(site, absolute[len(prefix):])
            if target is None:
                broken.append(f"{rel}: {link} (no file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids.get(target, set()):
                broken.append(f"{rel}: {link} (no id {unquote(parts.fragment)!r} on the target)")
    return checked, broken


def test_every_link_and_fragment_resolves(built: tuple[Path, str]) -> None:
    site, site_url = built
    prefix = urlsplit(site_url).path or "/"
    checked, broken = crawl(site, prefix, bool(site_url))
    assert checked > 1000, checked  # every page's navigation, footer, tables and table of contents
    assert not broken, f"{len(broken)} of {checked} links go nowhere:\n" + "\n".join(broken[:40])


def test_list_downloads_and_timeline_months(built: tuple[Path, str]) -> None:
    """The two defects issue 41 found: the list's downloads relative to list/, the months' TOC links with a stash key."""
    site, _ = built
    listing = _parse(site / "list" / "index.html").links
    downloads = {f"../data/enterprises{name}" for name in (".xlsx", ".csv", "-plain.csv", ".json")}
    assert downloads <= set(listing), listing
    timeline = _parse(site / "timeline" / "index.html")
    months = [link for link in timeline.links if link.startswith("#m20")]
    assert months and all(link[1:] in timeline.ids for link in months), months
    assert not any("\x02" in link or "wzxhzdk" in link for link in timeline.links)


def test_search_snippets_read_as_text(built: tuple[Path, str]) -> None:
    """Material's index holds each page's text, its snippet the start of it: a chart's drawn labels (years and counts
    run together) are left out, its caption says the same facts in words (issue 41 item 6: 年度统计 read "2018120190…")."""
    site, _ = built
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    runs = {d["location"]: re.findall(r"\d{12,}", d["text"].replace("\u200b", "")) for d in docs}
    assert not {location: found for location, found in runs.items() if found}
    statistics = next(d["text"].replace("\u200b", "") for d in docs if d["location"] == "statistics/")
    assert re.search(r"\d{4}年：(备案\d+项|没有决定)", statistics), statistics[:300]


@pytest.mark.browser
def test_404_is_styled_under_a_sub_path_without_a_site_address(built: tuple[Path, str], tmp_path: Path) -> None:
    """The site of a build without an address, served under /registry/ as nginx's ``error_page 404`` would: the missing
    address's page is 404.html, its styles and links found under /registry/ (issue 41 item 8)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    from tests.helpers import browser_path, required

    site, site_url = built
    if site_url:
        pytest.skip("with an address MkDocs writes the sub-path into 404.html (test_every_link_and_fragment_resolves)")
    (tmp_path / "registry").symlink_to(site)
    missing = tmp_path / "registry" / "enterprises" / "91411721MA00000000"
    missing.mkdir()
    try:
        (missing / "index.html").write_bytes((site / "404.html").read_bytes())
        handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
        handler.log_message = lambda *args: None  # type: ignore[method-assign]
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        failed: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=required("Chromium or Chrome", browser_path()), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/registry/enterprises/91411721MA00000000/")
            state = page.evaluate("""() => ({
                sheets: [...document.styleSheets].filter((s) => s.href && s.cssRules.length).map((s) => s.href),
                home: document.querySelector('article a').href,
                header: getComputedStyle(document.querySelector('.md-header')).position})""")
            page.screenshot(path=str(tmp_path / "404.png"))
            browser.close()
        server.shutdown()
        server.server_close()
    finally:
        for child in missing.iterdir():
            child.unlink()
        missing.rmdir()
    assert all("/registry/assets/" in sheet for sheet in state["sheets"]) and len(state["sheets"]) >= 2, state
    assert state["home"].endswith("/registry/") and state["header"] in ("sticky", "fixed"), state
    # the browser's preload scanner may fetch the stylesheets from the static base ("/") before the script moves it:
    # those misses are the price of a sub-path the build was not told (it warns); the page itself uses /registry/
    assert [url for url in failed if "/registry/assets/" in url] == [], failed


@pytest.mark.browser
def test_404_search_finds_an_enterprise_under_a_sub_path_without_a_site_address(built: tuple[Path, str], tmp_path: Path) -> None:
    """Served under /registry/ with 404.html as the answer to every missing address (nginx ``error_page 404``), the search
    box of a missing enterprise address finds an enterprise: the index, the worker and the enterprise shards come from
    /registry/ (notfound.py points Material's configuration at the base it found), the result links under /registry/
    (issue 41 item 7)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    from tests.helpers import browser_path, required

    site, site_url = built
    if site_url:
        pytest.skip("with an address MkDocs writes the sub-path into 404.html")
    (tmp_path / "registry").symlink_to(site)
    missing_page = (site / "404.html").read_bytes()

    class _ErrorPage(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404 or not self.path.startswith("/registry/"):
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(missing_page)))
            self.end_headers()
            self.wfile.write(missing_page)

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_ErrorPage, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    requested: list[tuple[int, str]] = []
    titles: list[str] = []
    links: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=required("Chromium or Chrome", browser_path()), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.on("response", lambda r: requested.append((r.status, r.url)))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/registry/enterprises/91411721MA00000000/")
            assert "找不到这个页面" in page.locator("article").inner_text()
            page.locator("label[for='__search']").first.click()
            box = page.locator("input.md-search__input")
            for _ in range(20):  # the index and the worker load when the search opens: ask again until it answers
                box.fill("嫘祖")
                box.press("End")
                page.wait_for_timeout(500)
                titles = [t.replace("\u200b", "") for t in page.locator(".md-search-result__item h1").all_inner_texts()]
                if titles:
                    break
            links = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert any("嫘祖" in t for t in titles), titles
    assert links and all("/registry/" in link for link in links), links
    search = [url for status, url in requested if "search" in url]
    assert search and all("/registry/" in url for url in search), search  # the index and the workers: none from the root
    assert [url for status, url in requested if status >= 400 and "search" in url] == []
