"""Page budgets of the public site, measured in headless Chromium (issue 14, docs/benchmarks.md):

- the largest enterprise page (HTML with its inline SVG chart) < 40 KB;
- JavaScript an enterprise page loads < 300 KB;
- home page DOMContentLoaded with the CPU throttled 4x < 1.5 s (median of ``--repeat`` loads, cache disabled).

Usage: ``.venv/bin/python -m benchmarks.pages [--site DIR] [--repeat 7]``. Without ``--site`` it builds the sample
registry (tests/samples) on its reference date into a temporary folder.
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
BUDGETS = {"enterprise_page_kb": 40.0, "enterprise_js_kb": 300.0, "home_dcl_4x_s": 1.5}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


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
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"enterprise_page_kb": round(largest.stat().st_size / 1024, 1), "largest_page": largest.parent.name,
            "enterprise_js_kb": round(js_kb, 1), "scripts": sorted(Path(u).name for u in scripts),
            "home_dcl_4x_s": round(statistics.median(times), 3), "home_dcl_4x_runs": [round(t, 3) for t in times]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the samples)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipreg-pages-") as tmp:
        site = args.site or build_samples(Path(tmp))
        result = measure(site, args.repeat)
    result["budgets"] = BUDGETS
    result["within_budget"] = all(result[k] < v for k, v in BUDGETS.items())
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
