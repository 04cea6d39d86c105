"""A long unbroken word never widens a page: an article whose title, text, source and hashtag
hold a 5,000-character word, on a phone (390 px) and a laptop (1366 px) window."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.pipeline import collect
from newsdesk.web.app import create_app
from support.live import serving
from support.pages import NOW

pytestmark = pytest.mark.e2e

WORD = "Supercalifragilistic" * 250  # 5,000 characters, no break opportunity
WIDTHS = (390, 1366)


@pytest.fixture(scope="module")
def long_word_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    """A server over a store holding one article full of the word: (base URL, article, story)."""
    folder = tmp_path_factory.mktemp("layout")
    record = {
        "url": "https://wide.example/long",
        "title": f"Lighthouse {WORD} headline",
        "text": f"Lighthouse keepers met in Portland. {WORD} was said twice.\n\n{WORD}",
        "published": "2025-06-02T10:00:00+00:00",
        "source": f"Wide {WORD[:300]} Wire",
        "lang": "en",
    }
    (folder / "wide.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    settings = Settings(db=str(folder / "wide.db"), workers=1)
    with build(settings) as app:
        batch = collect([folder / "wide.jsonl"], NOW)
        report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
        assert not report.failures, report.failures
        article_id = report.new_ids[0]
        with app.store.transaction() as repo:
            repo.save_tags(article_id, [f"#{WORD}"], [(WORD[:400], "PERSON")])
            story_id = repo.story_of(article_id)
    assert story_id is not None
    with serving(create_app(settings), "layout") as base_url:
        yield base_url, article_id, story_id


def test_a_long_word_never_widens_a_page(
    browser: Any, long_word_site: tuple[str, int, int], shots: Path
) -> None:
    base_url, article_id, story_id = long_word_site
    pages = {
        "article": f"/article/{article_id}",
        "story": f"/story/{story_id}",
        "front": "/",
        "tag": f"/tag/{WORD}",
        "search": "/search?q=Lighthouse",
    }
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        too_wide = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for label, path in pages.items():
                response = page.goto(path)
                assert response is not None and response.ok, (path, response and response.status)
                assert WORD[:50] in page.content(), f"{label}: the word is not on the page"
                scroll, window = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                page.screenshot(path=str(shots / f"layout-{label}-{width}.png"))
                if scroll > window:
                    too_wide.append(f"{label} at {width} px: {scroll} px wide")
        assert not too_wide, too_wide
    finally:
        context.close()
