"""Page budgets of the public site, measured in headless Chromium (issues 14 and 27, docs/benchmarks.md):

- the largest enterprise page (HTML with its inline SVG chart) < 40 KB;
- JavaScript an enterprise page loads < 300 KB;
- home page DOMContentLoaded with the CPU throttled 4x < 1.5 s (median of ``--repeat`` loads, cache disabled);
- on a slow phone (400 ms round trip, 400 kbit/s down and up, CPU 4x slower, cold cache), served as nginx serves the
  site with ``gzip_static on`` (the precompressed .gz beside each file): the first view of an enterprise page transfers
  at most 120 KB, and the first contentful paint of home, list, an enterprise page and /verify/ comes within 4 s
  (median of ``--repeat`` loads each);
- with the Lighthouse CLI (``--lighthouse PATH``, else ``node_modules/lighthouse/cli/index.js`` of the repository when
  it is there; ``npm install lighthouse``; not a project dependency; without it, or without node, the Lighthouse figures
  are skipped with a message): Lighthouse's mobile performance score of the same four pages at least 97. Build the site
  with today's date for it: a site older than two days shows the "可能已过期" line, which moves the page as it appears;
- the list at ``--list-rows`` enterprises (500, the default page size; issue 41 item 7), a synthetic registry
  (benchmarks/synth.py) built with today's date: its DOM elements (at most 6,000 at 500 rows), the page's size plain
  and compressed, the first contentful paint on the slow phone, and with Lighthouse its mobile performance score (at
  least 95) and total blocking time (under 200 ms).

Usage: ``.venv/bin/python -m benchmarks.pages [--site DIR] [--repeat 7] [--list-rows 500]``. Without ``--site`` it
builds the sample registry (tests/samples) on its reference date into a temporary folder; ``--list-rows 0`` skips the list.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = {"enterprise_page_kb": 40.0, "enterprise_js_kb": 300.0, "home_dcl_4x_s": 1.5, "enterprise_first_view_kb": 120.0,
           "slow_phone_fcp_s": 4.0}
AT_LEAST = {"lighthouse_min", "list_lighthouse"}  # budgets that are a floor, not a ceiling
LIST_ELEMENTS_PER_500 = 6000  # the list's DOM elements at 500 rows (about 9 a row and the page around them)
SLOW_PHONE = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


class _Quiet(SimpleHTTPRequestHandler):
    """A static server that, like nginx with ``gzip_static on``, sends ``X.gz`` with ``Content-Encoding: gzip`` when the
    browser accepts gzip and the file exists."""

    def log_message(self, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file() and packed.is_file():
            body = packed.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io

            return io.BytesIO(body)
        return super().send_head()


def build_samples(target: Path) -> Path:
    from tests.helpers import scratch_checkout

    repo = scratch_checkout(target / "repo")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--today", "2026-11-25"], cwd=repo, capture_output=True,
                            text=True, timeout=600, check=False, env={"IPREG_SITE_URL": "https://ipreg.example.gov.cn/",
                                                                      "PATH": "/usr/bin:/bin", "HOME": str(target)})
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return repo / "site"


def measure(site: Path, repeat: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    pages = sorted(site.glob("enterprises/*/index.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            scripts: dict[str, int] = {}

            def on_response(response: Any) -> None:
                if response.request.resource_type == "script" or response.url.endswith(".js"):
                    with contextlib.suppress(Exception):  # a worker script may not expose its body
                        scripts[response.url] = len(response.body())

            page.on("response", on_response)
            page.goto(base + largest.relative_to(site).parent.as_posix() + "/", wait_until="networkidle")
            js_kb = sum(scripts.values()) / 1024
            page.close()

            times = []
            for _ in range(repeat):
                page = browser.new_page()
                cdp = page.context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                page.goto(base, wait_until="domcontentloaded")
                dcl = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd / 1000")
                times.append(float(dcl))
                page.close()
            slow = {path: _slow_phone(browser, base + path, repeat) for path in
                    ("", "list/", largest.relative_to(site).parent.as_posix() + "/", "verify/")}
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    first_view = slow[largest.relative_to(site).parent.as_posix() + "/"]["kb"]
    return {"enterprise_page_kb": round(largest.stat().st_size / 1024, 1), "largest_page": largest.parent.name,
            "enterprise_js_kb": round(js_kb, 1), "scripts": sorted(Path(u).name for u in scripts),
            "home_dcl_4x_s": round(statistics.median(times), 3), "home_dcl_4x_runs": [round(t, 3) for t in times],
            "enterprise_first_view_kb": first_view, "slow_phone_fcp_s": max(v["fcp_s"] for v in slow.values()),
            "slow_phone": slow}


def _record(received: dict[str, float], event: dict[str, Any]) -> None:
    received[event["requestId"]] = event["encodedDataLength"]


def _slow_phone(browser: Any, url: str, repeat: int) -> dict[str, Any]:
    """First contentful paint (median) and bytes transferred until the network is idle, cold, on the slow phone."""
    fcps, sizes = [], []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 360, "height": 740})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_PHONE)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        received: dict[str, float] = {}
        cdp.on("Network.loadingFinished", functools.partial(_record, received))
        page.goto(url, wait_until="networkidle", timeout=120_000)
        fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime / 1000")
        fcps.append(float(fcp))
        sizes.append(sum(received.values()) / 1024)
        page.close()
    return {"fcp_s": round(statistics.median(fcps), 2), "kb": round(statistics.median(sizes), 1)}


def lighthouse(site: Path, cli: str, paths: tuple[str, ...] | None = None) -> dict[str, dict[str, int]]:
    """Lighthouse's mobile audit (its default simulated slow 4G and 4x CPU) of home, list, the largest enterprise page
    and /verify/ (or ``paths``), served with the precompressed files: performance score, total blocking time, DOM
    elements."""
    if paths is None:
        largest = max(site.glob("enterprises/*/index.html"), key=lambda p: p.stat().st_size).parent.relative_to(site).as_posix() + "/"
        paths = ("", "list/", largest, "verify/")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    found = {}
    try:
        with tempfile.TemporaryDirectory(prefix="ipreg-lighthouse-") as tmp:
            for path in paths:
                report = Path(tmp) / "report.json"
                subprocess.run(["node", cli, base + path, "--only-categories=performance", "--form-factor=mobile", "--output=json",
                                f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new --no-sandbox"],
                               env={"CHROME_PATH": chromium, "PATH": "/usr/bin:/bin", "HOME": tmp}, capture_output=True, timeout=300,
                               check=True)
                data = json.loads(report.read_text(encoding="utf-8"))
                audits = data["audits"]
                found[path or "/"] = {"score": round(data["categories"]["performance"]["score"] * 100),
                                      "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
                                      "dom": round(audits.get("dom-size", {}).get("numericValue") or 0)}
    finally:
        server.shutdown()
        server.server_close()
    return found


def lighthouse_cli(given: str | None) -> str | None:
    """The Lighthouse CLI to run: ``--lighthouse``, else the repository's node_modules; None (said on stderr) without it or node."""
    cli = given or str(ROOT / "node_modules" / "lighthouse" / "cli" / "index.js")
    if not Path(cli).is_file() or not shutil.which("node"):
        print("Lighthouse 不可用（需要 node 和 npm install lighthouse，或 --lighthouse 路径）：跳过 Lighthouse 的数字", file=sys.stderr)
        return None
    return cli


def build_list(target: Path, rows: int) -> Path:
    """A synthetic registry with more than ``rows`` listed enterprises, its list's first page holding ``rows``
    (``list_page_size``), built with today's date (no "可能已过期" line) and a site address."""
    from benchmarks.run import scratch

    repo = scratch(target / "list-repo", rows * 3 // 2 + 20, 0.0)  # about 73 % of synthetic records are listed
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("list_page_size: 500", f"list_page_size: {rows}")
    (repo / "mkdocs.yml").unlink()
    (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=repo, capture_output=True, text=True, timeout=1200,
                            check=False, env={"IPREG_SITE_URL": "https://ipreg.example.gov.cn/", "PATH": "/usr/bin:/bin",
                                              "HOME": str(target)})
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return repo / "site"


def measure_list(site: Path, repeat: int) -> dict[str, Any]:
    """The list page at 360 px: rows, DOM elements, its HTML plain and compressed, first contentful paint on the slow phone."""
    from playwright.sync_api import sync_playwright

    page_file = site / "list" / "index.html"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or shutil.which("chromium-browser"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.goto(base + "list/")
            rows, elements = page.evaluate("[document.querySelectorAll('table.ipreg-list tbody tr').length, "
                                           "document.getElementsByTagName('*').length]")
            page.close()
            slow = _slow_phone(browser, base + "list/", repeat)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    packed = page_file.with_name("index.html.gz")
    return {"list_rows": rows, "list_dom": elements, "list_html_kb": round(page_file.stat().st_size / 1024, 1),
            "list_html_gz_kb": round(packed.stat().st_size / 1024, 1) if packed.is_file() else None, "list_slow_phone": slow}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the samples)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--lighthouse", help="the Lighthouse CLI (default: node_modules/lighthouse/cli/index.js when it is there)")
    parser.add_argument("--list-rows", type=int, default=500, help="rows of the synthetic list measured beside the pages (0: none)")
    args = parser.parse_args()
    cli = lighthouse_cli(args.lighthouse)
    with tempfile.TemporaryDirectory(prefix="ipreg-pages-") as tmp:
        site = args.site or build_samples(Path(tmp))
        result = measure(site, args.repeat)
        if cli:
            result["lighthouse"] = lighthouse(site, cli)
            result["lighthouse_min"] = min(v["score"] for v in result["lighthouse"].values())
            BUDGETS["lighthouse_min"] = 97
        if args.list_rows:
            listed = build_list(Path(tmp), args.list_rows)
            result.update(measure_list(listed, args.repeat))
            BUDGETS["list_dom"] = LIST_ELEMENTS_PER_500 * args.list_rows / 500
            if cli:
                found = lighthouse(listed, cli, ("list/",))["list/"]
                result.update(list_lighthouse=found["score"], list_tbt_ms=found["tbt_ms"])
                BUDGETS.update(list_lighthouse=95, list_tbt_ms=200)
    result["budgets"] = BUDGETS
    result["within_budget"] = all(result[k] >= v if k in AT_LEAST else result[k] < v for k, v in BUDGETS.items())
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
