"""The anchor for the enterprise search: what Pagefind fetches for the same queries on the same site.

    python -m benchmarks.pagefind_anchor SITE_DIR [--pagefind "python -m pagefind"]

SITE_DIR is a site built by ``ipreg build`` (a scratch copy: Pagefind writes its index into SITE_DIR/pagefind). Pagefind
(PyPI ``pagefind[extended]``, whose build segments Chinese; not a dependency of the project, install it in a separate
environment) indexes the enterprise pages only; then, in headless Chromium, each query of ``run.search_queries`` runs in a
fresh browser context through Pagefind's JavaScript API, loading the data of the first 20 results (what our search lists),
and the bytes of every response under /pagefind/ are added up. Our own figure for the same queries comes from
``benchmarks/search_probe.js`` (``run.search_probe``); both are printed.
"""

from __future__ import annotations

import argparse
import functools
import json
import shlex
import shutil
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.run import search_probe, search_queries


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def _count(sizes: list[int], request: Any) -> None:
    if "/pagefind/" in request.url:
        sizes.append((request.sizes() or {}).get("responseBodySize", 0))


def pagefind_bytes(site: Path, queries: list[str]) -> dict[str, tuple[int, int]]:
    """query -> (bytes fetched under /pagefind/, results found)."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    out: dict[str, tuple[int, int]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                sizes: list[int] = []
                page.on("requestfinished", functools.partial(_count, sizes))
                page.goto(base + "404.html")
                found = page.evaluate("""async (q) => {
                    const pagefind = await import("/pagefind/pagefind.js");
                    const search = await pagefind.search(q);
                    await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
                    return search.results.length;
                }""", query)
                page.wait_for_timeout(200)
                out[query] = (sum(sizes), int(found))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--pagefind", default="python -m pagefind", help="how to run Pagefind")
    args = parser.parse_args()
    started = time.perf_counter()
    subprocess.run([*shlex.split(args.pagefind), "--site", str(args.site), "--glob", "enterprises/*/index.html"], check=True,
                   stdout=subprocess.DEVNULL)
    index_s = time.perf_counter() - started
    queries = search_queries(args.site)
    theirs = pagefind_bytes(args.site, queries)
    ours = search_probe(args.site)
    sizes = sorted(b for b, _ in theirs.values())
    print(json.dumps({"pagefind_index_s": round(index_s, 1), "pagefind_kb_median": sizes[len(sizes) // 2] / 1024,
                      "pagefind_kb_max": sizes[-1] / 1024, "ours": ours,
                      "per_query": {q: {"pagefind_kb": b / 1024, "pagefind_results": n} for q, (b, n) in theirs.items()}},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
