"""Phone first: every page at 390 px (a phone) and 1366 px (a laptop) in Chromium.

On every page: nothing scrolls sideways (a wide admin table scrolls inside its own box); every
link, button and field is at least 24x24 CSS px (WCAG 2.5.8; a link inside running text is
exempt, as WCAG exempts it: an inline link in a block that also holds text of its own; a
checkbox or radio button counts with its label, which also toggles it). On the story page the
coverage chart's labels are drawn at 12 px or more and inside the chart, and the Ask box is near
the top; on the article page the brief's summary comes before the text.

The pages: the anonymous ones (front, section, story, article, search with results, tag,
entity, source, login, register, a 404), then as an admin the admin pages and every page the
logged-in header links to (account pages included), and logged in the reader pages again
(with their Follow, Save and comment forms). One browser, one page per kind of visitor, reused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from support.browser import Site

pytestmark = pytest.mark.e2e

WIDTHS = ((390, 844), (1366, 900))
TIMEOUT_MS = 10_000
MIN_TARGET = 24.0
MIN_LABEL_PX = 12.0
SLACK = 0.05  # px: layout rounds to 1/64 px

# The box of each tap target that is too small, skipping what is not shown (a closed
# <details>, the skip link parked off screen, hidden inputs) and inline links in running text.
SMALL_TARGETS = """(min) => {
  const inText = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    if (!block) return false;
    const own = Array.from(block.querySelectorAll('a, button'))
      .reduce((text, t) => text.replace(t.textContent, ''), block.textContent);
    return /[\\p{L}\\p{N}]/u.test(own);
  };
  const out = [];
  const targets = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(targets)) {
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right <= 0 || box.bottom <= 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      box = el.labels[0].getBoundingClientRect();
    }
    if (box.width >= min && box.height >= min) continue;
    if (inText(el)) continue;
    const text = (el.textContent || el.value || el.name || '').trim().slice(0, 40);
    const size = `${box.width.toFixed(1)}x${box.height.toFixed(1)}`;
    out.push(`<${el.tagName.toLowerCase()}> "${text}" ${size}`);
  }
  return out;
}"""

# Each chart label's font size as drawn (its CSS size times the SVG's scale on screen), and
# whether its box lies inside the chart's.
CHART_LABELS = """() => Array.from(document.querySelectorAll('svg.chart text')).map((t) => {
  const svg = t.ownerSVGElement.getBoundingClientRect();
  const box = t.getBoundingClientRect();
  const drawn = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
  const inside = box.left >= svg.left - 1 && box.right <= svg.right + 1
    && box.top >= svg.top - 1 && box.bottom <= svg.bottom + 1;
  return {text: t.textContent, px: drawn, inside: inside};
})"""

TOP = """(sel) => {
  const el = document.querySelector(sel);
  return el ? el.getBoundingClientRect().top + scrollY : null;
}"""


def _paths(page: Any, site: Site) -> dict[str, str]:
    """The anonymous pages, found by following links from the front page."""

    def first(selector: str) -> str:
        href = page.locator(selector).first.get_attribute("href")
        assert href, f"no link {selector} on {page.url}"
        return str(href)

    page.goto("/")
    story = first("ol.stories li.card h2 a")
    section = first("ol.stories li.card .section a")
    page.goto(story)
    article = first("main .source-group li > a[href^='/article/']")
    source = first("main .source-group h3 a")
    page.goto(article)
    tag = first("main .tags a")
    entity = first("main a[href^='/entity/']")
    word = re.findall(r"[A-Za-z]{5,}", page.inner_text("h1"))[0]
    return {
        "front": "/",
        "section": section,
        "story": story,
        "article": article,
        "search": f"/search?q={word}",
        "tag": tag,
        "entity": entity,
        "source": source,
        "login": "/login",
        "register": "/register",
        "404": "/article/999999999",
    }


def _account_paths(page: Any) -> dict[str, str]:
    """The admin pages, what a reader follows, and every other page the logged-in header links
    to."""
    found = {
        "admin-sources": "/admin/sources",
        "admin-status": "/admin/status",
        "account-following": "/following",
    }
    for href in page.eval_on_selector_all(
        ".site-header nav[aria-label=Main] a, .site-header .account a",
        "links => links.map(a => a.getAttribute('href'))",
    ):
        path = urlsplit(href).path
        if path and path.startswith("/") and path not in {*found.values(), "/", "/search"}:
            found["account" + path.replace("/", "-")] = path
    return found


@pytest.fixture(scope="module")
def visitors(browser: Any, site: Site) -> Iterator[tuple[Any, Any]]:
    """Two pages: an anonymous reader's and a logged-in admin's."""
    anon = browser.new_context(base_url=site.base_url)
    admin = browser.new_context(base_url=site.base_url)
    try:
        for context in (anon, admin):
            context.set_default_timeout(TIMEOUT_MS)
        reader, keeper = anon.new_page(), admin.new_page()
        keeper.goto("/login")
        keeper.fill("#login-name", site.admin)
        keeper.fill("#login-password", site.password)
        with keeper.expect_navigation():
            keeper.click("form[action='/login'] button[type=submit]")
        assert keeper.inner_text(".account .who") == site.admin
        yield reader, keeper
    finally:
        anon.close()
        admin.close()


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=[str(w) for w, _ in WIDTHS])
def test_every_page_fits_a_phone_and_a_laptop(
    visitors: tuple[Any, Any], site: Site, shots: Path, width: int, height: int
) -> None:
    reader, admin = visitors
    anonymous = _paths(reader, site)
    pages = [("anon", reader, name, path) for name, path in anonymous.items()]
    pages += [("admin", admin, name, path) for name, path in _account_paths(admin).items()]
    # Logged in, the same pages carry Follow, Save and comment forms.
    pages += [
        ("admin", admin, f"{name}-admin", path)
        for name, path in anonymous.items()
        if name not in {"login", "register", "404"}
    ]
    problems: list[str] = []
    seen = 0
    for who, page, name, path in pages:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(path)
        assert response is not None, path
        expected = 404 if name == "404" else 200
        if response.status != expected:
            problems.append(f"{name} {path}: HTTP {response.status}")
            continue
        seen += 1
        label = f"{name} at {width} px ({who})"
        page.screenshot(path=str(shots / f"phone-layout-{name}-{width}.png"))
        wide, window = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        if wide > window:
            problems.append(f"{label}: scrolls sideways ({wide} px wide)")
        small = page.evaluate(SMALL_TARGETS, MIN_TARGET - SLACK)
        problems += [f"{label}: tap target under 24x24: {s}" for s in small[:5]]
        if name.startswith("story"):
            labels = page.evaluate(CHART_LABELS)
            if not labels:
                problems.append(f"{label}: no coverage chart")
            for drawn in labels:
                if drawn["px"] < MIN_LABEL_PX:
                    problems.append(
                        f"{label}: chart label {drawn['text']!r} at {drawn['px']:.1f} px"
                    )
                if not drawn["inside"]:
                    problems.append(f"{label}: chart label {drawn['text']!r} is cut off")
            ask = page.evaluate(TOP, ".ask")
            # A phone shows the Ask box within two screens (after the headline and the
            # summary), a laptop within the first; before the rest of the brief either way.
            if ask is None or ask > height * (2 if width < 900 else 1):
                problems.append(f"{label}: the Ask box starts at {ask} px")
            rest = page.evaluate(TOP, ".brief-rest") or page.evaluate(TOP, ".coverage")
            if ask is not None and rest is not None and ask > rest:
                problems.append(f"{label}: the Ask box comes after the rest of the brief")
        if name.startswith("article"):
            summary = page.evaluate(TOP, ".brief-lead")
            text = page.evaluate(TOP, ".text")
            if summary is None or text is None or summary >= text:
                problems.append(
                    f"{label}: the brief's summary ({summary}) is not above the text ({text})"
                )
    assert seen >= 17, f"only {seen} pages answered"
    assert not problems, "\n".join(problems)
