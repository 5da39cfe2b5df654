"""The verification index at 10,000 enterprises: bytes per certificate, and lookup time in Chromium (median of 9).

usage: .venv/bin/python -m benchmarks.verify SITE_DIR      (a built site: ipreg build --site-dir SITE_DIR)
"""

from __future__ import annotations

import functools
import statistics
import sys
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from generator.lifecycle import Status
from generator.public import PublicEnterprise
from generator.site.verify import verify_index
from tests.helpers import browser_path

QUERIES = ["西知强企证〔2025〕9999号", "2025-5000", "[2025]1号", "91411721MA00009999", "00009999", "第9999号机械"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def index(n: int = 10_000) -> bytes:
    items = []
    for i in range(n):
        data = {"uscc": f"91411721MA{i:08d}", "name": f"西平县测试第{i}号机械制造有限公司",
                "events": [{"date": "2025-06-10", "type": "filed", "document": "x", "certificate": f"西知强企证〔2025〕{i + 1:03d}号"}],
                "status_intervals": [{"from": "2025-06-10", "to": None, "status": "valid", "listed": True}]}
        items.append(PublicEnterprise(data, Status("valid", True), ("2028-06-09",)))
    return verify_index(items, date(2026, 11, 25), "西知强企证〔{year}〕{seq:03d}号", {})


def main() -> int:
    from playwright.sync_api import sync_playwright

    payload = index()
    print(f"verify.json at 10,000 enterprises: {len(payload):,} bytes, {len(payload) / 10_000:.1f} bytes per certificate")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=sys.argv[1]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path(), args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/data/verify.json", lambda route: route.fulfill(body=payload, content_type="application/json"))
        page.goto(base + "verify/?cert=2025-1")
        page.wait_for_selector(".ipreg-verdict")
        for query in QUERIES:
            page.fill("#ipreg-verify-q", query)
            times = [
                page.evaluate("""() => { const t0 = performance.now();
                document.querySelector('form#ipreg-verify button[type=submit]').click(); return performance.now() - t0; }""")
                for _ in range(9)
            ]
            print(f"lookup {query}: median {statistics.median(times):.1f} ms")
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
