"""The verification page in Chromium, as a bank officer sees it after scanning a certificate (ARCHITECTURE.md section 6,
issue 41 items 1-3): the headline says what the certificate is (有效 / 已失效 naming the newer certificate / 已撤销 or
已收回 with the date / 未找到 / 属于另一家企业), in words and colour; the holder, the certificate's own printed term and the
holder's status today follow, all inside the first screen with nothing on top, at 360 × 640 and 1366 × 768, in 大字 and
in light and dark mode, with no serious axe-core finding in the answer. IPREG_SHOTS=folder keeps a screenshot of every answer to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from generator.qr import verify_url
from tests.helpers import browser_path, required
from tests.sitekit import certificate_fixtures, fixtures, scratch_repo
from tests.test_e2e import AXE, _OnDataDay, _serve

pytestmark = pytest.mark.browser

CHROMIUM = required("Chromium or Chrome", browser_path())
FIX = certificate_fixtures()
CONDITIONAL = fixtures()["conditional"]

# kind: (certificate, the USCC in the QR, headline, colour of the verdict, facts the answer states)
KINDS: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "valid": ("西知强企证〔2025〕001号", FIX["valid"].uscc, "证书有效", "ok",
              ("有效期 2025-06-10 至 2028-06-09", "有效，在公开名单中，有效期至 2028-06-09")),
    "replaced": ("西知强企证〔2023〕1019号", FIX["replaced"].uscc, "证书已失效：已换发新证书 西知强企证〔2026〕018号", "ended",
                 ("有效期 2023-06-19 至 2026-06-18", "2026-06-20 已换发新证书", "有效，在公开名单中，有效期至 2029-06-19")),
    "expired": ("西知强企证〔2023〕005号", FIX["expired"].uscc, "证书已失效：有效期已满", "ended",
                ("有效期 2023-01-10 至 2026-01-09，已期满", "保留资格，在公开名单中")),
    "revoked": ("西知强企证〔2024〕032号", FIX["revoked"].uscc, "证书已撤销（2026-08-15）", "bad",
                ("有效期 2024-06-10 至 2027-06-09", "2026-08-15 起撤销资格", "已撤销，不在公开名单中，禁止申请至 2029-08-14")),
    "withdrawn": ("西知强企证〔2025〕040号", FIX["withdrawn"].uscc, "证书已收回（2026-03-01）", "bad",
                  ("有效期 2025-06-10 至 2028-06-09", "2026-03-01 起收回", "已退出，不在公开名单中")),
    "not_found": ("西知强企证〔2025〕999号", "", "未找到证书“西知强企证〔2025〕999号”", "bad", ("请联系",)),
    # a revoked enterprise shows another enterprise's genuine certificate
    "wrong_holder": ("西知强企证〔2025〕001号", FIX["revoked"].uscc, "证书属于另一家企业", "bad",
                     (FIX["valid"].name, "本证书有效", "有效期 2025-06-10 至 2028-06-09",
                      f"二维码中的统一社会信用代码 {FIX['revoked'].uscc} 与持证企业不符")),
}
PARTS = (".ipreg-verdict-title", ".ipreg-verify-holder", ".ipreg-verify-term", ".ipreg-verify-status")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(scratch_repo(tmp_path_factory.mktemp("verify"), {**FIX, "conditional": CONDITIONAL}))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield _OnDataDay(instance)  # type: ignore[misc]
        instance.close()


def _seen(page: Any) -> dict[str, Any]:
    """Each part of the answer as a person sees it: its box inside the viewport and the element at its centre the part
    itself or inside it (nothing on top); the headline's words, colour class and text contrast."""
    return dict(page.evaluate("""(parts) => {
        const box = document.querySelector('#ipreg-verify-result .ipreg-verdict'), out = {parts: {}};
        out.kind = ['ok', 'ended', 'bad'].find(k => box.classList.contains('ipreg-verdict-' + k)) || '';
        out.text = box.innerText;
        for (const selector of parts) {
            const el = box.querySelector(selector);
            if (!el) { out.parts[selector] = null; continue; }
            const r = el.getBoundingClientRect(), hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            out.parts[selector] = {inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0,
                                   on_top: el === hit || el.contains(hit), box: [r.left, r.top, r.right, r.bottom]};
        }
        const title = box.querySelector('.ipreg-verdict-title'), style = getComputedStyle(title);
        out.title = title.innerText.replace(/\\s+/g, ' ').trim();
        out.colours = [style.color, style.backgroundColor];
        out.search_open = document.querySelector('[data-md-toggle=search]').checked;
        out.height = innerHeight;
        return out;
    }""", list(PARTS)))


def _luminance(css: str) -> float:
    channels = [int(v) / 255 for v in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width,height", [(360, 640), (1366, 768)])
def test_every_answer_is_on_the_first_screen_in_large_text(browser: Browser, site_url: str, width: int, height: int, scheme: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    page.add_init_script("try { localStorage.setItem('ipreg-large', '1'); } catch (e) {}")  # 大字, as the reader's switch leaves it
    shots = os.environ.get("IPREG_SHOTS")
    for kind, (cert, uscc, headline, colour, facts) in KINDS.items():
        page.goto(verify_url(site_url, cert, uscc) if uscc else f"{site_url}verify/?cert={cert}")
        page.wait_for_selector("#ipreg-verify-result .ipreg-verdict")
        assert page.evaluate("document.documentElement.classList.contains('ipreg-large')")
        seen = _seen(page)
        if shots:
            page.screenshot(path=str(Path(shots) / f"verify-{kind}-{width}-{scheme}.png"))
        assert seen["title"] == headline, (kind, seen["title"])
        assert seen["kind"] == colour and not seen["search_open"], (kind, seen)
        assert _contrast(*seen["colours"]) >= 4.5, (kind, scheme, seen["colours"])  # WCAG AA for the headline's words
        for fact in facts:
            assert fact in seen["text"].replace("\n", ""), (kind, fact, seen["text"])
        parts = PARTS[:1] if kind == "not_found" else PARTS
        for selector in parts:
            where = seen["parts"][selector]
            assert where and where["inside"] and where["on_top"], (kind, width, scheme, selector, where, seen["height"])
        page.add_script_tag(content=AXE)
        violations = page.evaluate("""async () => (await axe.run('#ipreg-verify-result', {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)""")
        assert violations == [], (kind, scheme, violations)  # color-contrast among them
    page.close()


def test_no_answer_about_an_ended_certificate_reads_genuine_in_green(browser: Browser, site_url: str) -> None:
    """Item 1 of issue 41: the first line of a revoked, recovered, expired or replaced certificate never says 真实 or 有效 on
    green; the holder's new term is never given as this certificate's."""
    page = browser.new_page(viewport={"width": 360, "height": 640})
    for kind in ("replaced", "expired", "revoked", "withdrawn"):
        cert, uscc, *_ = KINDS[kind]
        page.goto(verify_url(site_url, cert, uscc))
        page.wait_for_selector("#ipreg-verify-result .ipreg-verdict")
        seen = _seen(page)
        assert seen["kind"] != "ok" and "真实" not in seen["title"] and "有效" not in seen["title"].replace("有效期", ""), (kind, seen)
        term = page.inner_text("#ipreg-verify-result .ipreg-verify-term")
        assert "2029-06-19" not in term, term  # the renewed term is the holder's, on the status line
    page.close()
