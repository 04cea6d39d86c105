"""A story of 10,000 articles pages its coverage: its page, API answer and feed stay small while
its counts and brief still cover every article (sizes here; timings in benchmarks/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.read import COVERAGE_PAGE
from newsdesk.store import Store
from newsdesk.web.app import create_app
from support.synthetic import Built, build_stories

ARTICLES = 10_000
MAX_BYTES = 200_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Built]]:
    db = tmp_path_factory.mktemp("bigstory") / "news.db"
    with Store.open(f"sqlite:///{db}") as store, store.transaction() as repo:
        built = build_stories(repo, 1, ARTICLES, article_briefs=False)
    settings = Settings(db=str(db), workers=1, enrich=False, page_cache_seconds=0)
    with TestClient(create_app(settings)) as client:
        yield client, built


def test_the_story_page_shows_one_page_of_coverage(big: tuple[TestClient, Built]) -> None:
    client, built = big
    story = built.story_ids[0]
    page = client.get(f"/story/{story}")
    assert page.status_code == 200
    assert len(page.content) < MAX_BYTES, len(page.content)
    assert page.text.count('<li><a href="/article/') == COVERAGE_PAGE
    assert f"{ARTICLES} articles from" in page.text  # counts cover the whole story
    assert f'href="/story/{story}?page=2"' in page.text and "<svg" in page.text
    last = client.get(f"/story/{story}?page={ARTICLES // COVERAGE_PAGE}")
    assert last.status_code == 200 and 'rel="next"' not in last.text
    assert last.text.count('<li><a href="/article/') == COVERAGE_PAGE


def test_the_api_answer_pages_its_coverage(big: tuple[TestClient, Built]) -> None:
    client, built = big
    story = built.story_ids[0]
    answer = client.get(f"/api/v1/stories/{story}")
    assert answer.status_code == 200 and len(answer.content) < MAX_BYTES, len(answer.content)
    body = answer.json()
    assert body["articles"] == ARTICLES and body["brief"]["summary"]
    coverage = body["coverage"]
    assert len(coverage["items"]) == COVERAGE_PAGE and coverage["total"] == ARTICLES
    assert coverage["next_offset"] == COVERAGE_PAGE
    following = answer.links["next"]["url"]
    second = client.get(following).json()["coverage"]
    assert second["offset"] == COVERAGE_PAGE
    assert {c["id"] for c in second["items"]}.isdisjoint(c["id"] for c in coverage["items"])
    widest = client.get(f"/api/v1/stories/{story}?limit=200&offset={ARTICLES - 100}")
    assert len(widest.content) < MAX_BYTES and widest.json()["coverage"]["next_offset"] is None


def test_the_story_feed_stays_small(big: tuple[TestClient, Built]) -> None:
    client, built = big
    feed = client.get(f"/feeds/story/{built.story_ids[0]}.atom")
    assert feed.status_code == 200 and len(feed.content) < MAX_BYTES
