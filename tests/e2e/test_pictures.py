"""Pictures in a real browser: the front page, a story and a source page at 390 and 1366 pixels,
every picture loaded from this site (no broken image, nothing asked of another host), pictures
that failed or never existed leave no box, and nothing scrolls sideways. Screenshots go to
artifacts/screenshots/pictures-*.png."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localserver import LocalServer, running_server
from newsdesk.web.app import create_app
from support.live import serving
from support.pictures import PictureSite, build_picture_site

pytestmark = pytest.mark.e2e

WIDTHS = (390, 1366)
LOAD_TIMEOUT = 15_000  # ms for every picture on a page to load
CARD_KEPT = 15.0  # seconds a story card is kept (web/derived)

_PICTURES = """() => Array.from(document.images).map(i => ({
    src: i.currentSrc, done: i.complete, natural: i.naturalWidth,
    width: i.getAttribute('width'), height: i.getAttribute('height'), alt: i.alt}))"""
_ALL_LOADED = "() => Array.from(document.images).every(i => i.complete)"


@pytest.fixture(scope="module")
def image_host() -> Iterator[LocalServer]:
    with running_server() as srv:
        yield srv


@pytest.fixture(scope="module")
def picture_site(
    tmp_path_factory: pytest.TempPathFactory, image_host: LocalServer
) -> Iterator[tuple[str, PictureSite]]:
    site = build_picture_site(tmp_path_factory.mktemp("pictures"), image_host)
    with serving(create_app(site.settings), "pictures") as base_url:
        yield base_url, site


def test_pictures_on_a_phone_and_a_laptop(
    browser: Any, picture_site: tuple[str, PictureSite], image_host: LocalServer, shots: Path
) -> None:
    base_url, site = picture_site
    pages = {
        "front": "/",
        "story": f"/story/{site.story_ids[0]}",
        "source": "/source/Reuters",
    }
    context = browser.new_context(base_url=base_url)
    asked_elsewhere: list[str] = []
    context.on(
        "request",
        lambda request: (
            None if request.url.startswith(base_url) else asked_elsewhere.append(request.url)
        ),
    )
    try:
        page = context.new_page()
        problems = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 1000})
            for label, path in pages.items():
                response = page.goto(path)
                assert response is not None and response.ok, (path, response and response.status)
                # Lazy pictures below the fold load once scrolled to.
                page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
                page.wait_for_function(_ALL_LOADED, timeout=LOAD_TIMEOUT)
                page.evaluate("() => window.scrollTo(0, 0)")
                for picture in page.evaluate(_PICTURES):
                    if not picture["src"].startswith(base_url + "/img/"):
                        problems.append(f"{label}@{width}: {picture['src']} is not the proxy's")
                    if picture["natural"] == 0:
                        problems.append(f"{label}@{width}: {picture['src']} is broken")
                    if not picture["width"] or not picture["height"]:
                        problems.append(f"{label}@{width}: {picture['src']} has no size")
                scroll, window = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll > window:
                    problems.append(f"{label}@{width}: {scroll} px wide in {window}")
                page.screenshot(path=str(shots / f"pictures-{label}-{width}.png"), full_page=True)
        assert not problems, problems
        assert not asked_elsewhere, asked_elsewhere
    finally:
        context.close()
    # The story whose image failed shows no picture to the next readers, once the cards kept
    # for CARD_KEPT seconds (web/derived) are read again.
    fresh = browser.new_context(base_url=base_url)
    try:
        page = fresh.new_page()
        storm = page.locator(f'li.card:has(a[href="/story/{site.story_ids[2]}"])')
        deadline = time.monotonic() + CARD_KEPT + 5
        while True:
            page.goto("/")
            if storm.count() == 1 and storm.locator("img").count() == 0:
                break
            assert time.monotonic() < deadline, page.evaluate(_PICTURES)
            time.sleep(1.0)
        assert len(page.evaluate(_PICTURES)) == 2  # Geneva and the rates; not the storm, the tram
    finally:
        fresh.close()
