"""The section bar on a phone (390 px) and a laptop (1366 px): every section link is reachable
and at least 24 px tall, and the bar never widens the page (it scrolls inside itself)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from support.browser import Site

pytestmark = pytest.mark.e2e

WIDTHS = (390, 1366)


def test_the_section_bar_fits_a_phone(browser: Any, site: Site, shots: Path) -> None:
    context = browser.new_context(base_url=site.base_url)
    try:
        page = context.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto("/")
            assert response is not None and response.ok
            links = page.locator("nav.section-bar a")
            assert links.count() >= 1, "no section bar"
            heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
            assert min(heights) >= 24, heights
            scroll, window = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll <= window, f"the page is {scroll} px wide at {width} px"
            page.screenshot(path=str(shots / f"section-bar-{width}.png"))
            first = links.first.get_attribute("href")
            assert first is not None
            response = page.goto(first)
            assert response is not None and response.ok
            page.screenshot(path=str(shots / f"section-page-{width}.png"))
    finally:
        context.close()
