"""404.html of a site built without its address (``qr.has_address``): MkDocs writes its paths from the site's root
("/assets/…"), because a 404 page is served at whatever depth the missing address has; under a sub-path (``/registry/``)
those paths miss and the page shows unstyled. Here they become relative to a ``<base>`` whose address a line of script
finds in the missing address: everything before the first of the site's own top-level folders (``/registry/`` of
``/registry/enterprises/X/``), else the missing address's folder. Without JavaScript the base stays "/", as before.
With a real address MkDocs already writes the sub-path into every path, and nothing here is used."""

from __future__ import annotations

import re
from collections.abc import Iterable

_ROOTED = re.compile(r'(\s(?:href|src)=")/(?!/)')
_HEAD = "<head>"


def relocatable(html: str, sections: Iterable[str]) -> str:
    """``html`` (404.html) with its root paths relative to a ``<base>`` found from the address it is served at."""
    names = "|".join(sorted({re.escape(s) for s in sections if s}))
    base = ('<base href="/"><script>(function () { var path = location.pathname, found = /^(.*?\\/)(?:' + names + ')\\//.exec(path);'
            ' document.currentScript.previousElementSibling.href = found ? found[1] : path.replace(/[^\\/]*$/, ""); })();</script>')
    start = html.find(_HEAD)
    if start < 0:
        return html
    start += len(_HEAD)
    return html[:start] + base + _ROOTED.sub(r"\1./", html[start:])
