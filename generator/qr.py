"""QR codes (segno) for certificates and enterprise pages: inline SVG for the site, PNG for Word documents.

segno chooses the best of eight masks, which is most of its time; a registry of 10,000 pages would spend a minute on
it, so the mask is fixed (any mask gives a valid code, the choice only tunes readability) and the SVG is written as one
run-length path here. Tests decode the codes back with zxing-cpp.
"""

from __future__ import annotations

import io
from urllib.parse import quote, urlsplit

import segno

PLACEHOLDER_SITE = "https://ipreg.xiping.invalid/"
PAGE_QR_PX = 132  # the enterprise page's QR image: 33 modules + border at 3 px each


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", mask=2, micro=False, boost_error=False)


def svg(url: str, title: str, scale: int = 3, border: int = 4) -> str:
    """An SVG (one path, dark modules on a white square, so it prints and scans in dark mode too)."""
    matrix = _code(url).matrix
    size = len(matrix) + 2 * border
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return (f'<svg class="ipreg-qr" role="img" aria-label="{escaped}" viewBox="0 0 {size} {size}" width="{size * scale}" '
            f'height="{size * scale}" xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{"".join(parts)}"/></svg>')


def png(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def has_address(site_url: str | None) -> bool:
    """Whether ``site_url`` is a real address a printed QR code may point at: not empty, not a reserved ``.invalid``
    host such as the placeholder mkdocs.yml falls back to (RFC 2606)."""
    host = urlsplit(site_url or "").hostname or ""
    return bool(host) and host != "invalid" and not host.endswith(".invalid")


def enterprise_url(site_url: str, uscc: str) -> str:
    return f"{site_url}enterprises/{uscc}/"


def verify_url(site_url: str, certificate: str, uscc: str) -> str:
    """The verification page answering for one certificate and its holder (what a certificate's QR code opens). Never
    ``?q=``: Material's search reads it and covers the page with its own results."""
    return f"{site_url}verify/?cert={quote(certificate, safe='')}&uscc={quote(uscc, safe='')}"
