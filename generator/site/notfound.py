"""404.html of a site built without its address (``qr.has_address``): MkDocs writes its paths from the site's root
("/assets/…"), because a 404 page is served at whatever depth the missing address has; under a sub-path (``/registry/``)
those paths miss and the page shows unstyled. Here they become relative to a ``<base>`` whose address a line of script
finds in the missing address: everything before the first of the site's own top-level folders (``/registry/`` of
``/registry/enterprises/X/``), else the missing address's folder. Material's search finds its index and worker from the
page's configuration (``__config``: ``base`` "/", resolved against the address, not against ``<base>``): a second line
of script, after the page's own adjustments (overrides/main.html: the enterprise search worker) and before Material's
bundle, points both at the found base, so the search box works there too (issue 41 item 7).
Without JavaScript the base stays "/", as before.
With a real address MkDocs already writes the sub-path into every path, and nothing here is used."""

from __future__ import annotations

import re
from collections.abc import Iterable

_ROOTED = re.compile(r'(\s(?:href|src)=")/(?!/)')
_HEAD = "<head>"
_CONFIG = '<script id="__config" type="application/json">'
_SCRIPT = re.compile(r"<script\s[^>]*src=")  # Material's bundle: after the configuration and the scripts that adjust it
_SEARCH_BASE = (
    "<script>(function () { var config = document.getElementById(\"__config\"), data = JSON.parse(config.textContent),"
    " base = document.baseURI;"
    " function here(url) { return new URL(url.replace(/^\\/(?!\\/)/, \"\"), base).href; }"
    " var search = new URL(here(data.search)), material = search.searchParams.get(\"material\");"
    " if (material) search.searchParams.set(\"material\", here(new URL(material).pathname));"
    " data.base = base; data.search = search.href; config.textContent = JSON.stringify(data); })();</script>"
)


def relocatable(html: str, sections: Iterable[str]) -> str:
    """``html`` (404.html) with its root paths relative to a ``<base>`` found from the address it is served at."""
    names = "|".join(sorted({re.escape(s) for s in sections if s}))
    base = ('<base href="/"><script>(function () { var path = location.pathname, found = /^(.*?\\/)(?:' + names + ')\\//.exec(path);'
            ' document.currentScript.previousElementSibling.href = found ? found[1] : path.replace(/[^\\/]*$/, ""); })();</script>')
    start = html.find(_HEAD)
    if start < 0:
        return html
    start += len(_HEAD)
    rest = _ROOTED.sub(r"\1./", html[start:])
    config = rest.find(_CONFIG)
    bundle = _SCRIPT.search(rest, config) if config >= 0 else None
    if bundle:
        rest = rest[: bundle.start()] + _SEARCH_BASE + rest[bundle.start() :]
    return html[:start] + base + rest
