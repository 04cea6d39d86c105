"""A section lists its stories in the front page's order, on the web, in the API and in
`newsdesk stories --section`, from one real SQLite store; a country is a section too."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.app import build
from newsdesk.cli import cli
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import StoryRow
from newsdesk.web.app import create_app

HOUR = timedelta(hours=1)
# story -> (publishers, hours old, section, nation)
STORIES: dict[int, tuple[int, float, str, str | None]] = {
    1: (2, 1.0, "Sports", "United Kingdom"),
    2: (7, 24 * 300, "Sports", None),
    3: (4, 30.0, "Politics", "United States"),
    4: (5, 24 * 30, "Sports", "United States"),
    5: (1, 0.5, "Health", None),
}


@pytest.fixture(scope="module")
def filed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sections") / "news.db"
    now = utcnow()
    settings = Settings(db=str(db), workers=1, enrich=False)
    with build(settings) as app, app.store.transaction() as repo:
        for story, (width, hours, section, nation) in STORIES.items():
            ids = [
                repo.insert_article(
                    NewArticle(
                        source=f"Publisher {n}",
                        title=f"Story {story} by publisher {n}",
                        text=f"Story {story}, a paragraph from publisher {n}.",
                        fingerprint=Fingerprint(f"s{story}-p{n}", b"", ()),
                        published=now - hours * HOUR,
                        lang="en",
                    )
                )
                for n in range(width)
            ]
            repo.upsert_story(StoryRow(id=ids[0], title=f"Story {story}", size=width))
            for article_id in ids:
                repo.link_article(
                    article_id, ids[0], similarity=1.0, shared_entities=(), reason="test"
                )
            repo.set_story_section(ids[0], section, nation)
    return db


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/story/\d+">(Story \d+)</a>', html)


def test_a_section_in_the_front_page_order(filed_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(filed_db), workers=1))) as client:
        front = _titles(client.get("/").text)
        sports = _titles(client.get("/section/sports").text)
        us = _titles(client.get("/section/united-states").text)
        api = client.get("/api/v1/stories?limit=20").json()["items"]
    assert sports == [t for t in front if STORIES[int(t.split()[1])][2] == "Sports"]
    assert sports == ["Story 2", "Story 4", "Story 1"]
    assert us == ["Story 3", "Story 4"]  # 4 publishers a day old rank above 5 a month old
    assert {s["title"]: (s["section"], s["nation"]) for s in api}["Story 1"] == (
        "Sports",
        "United Kingdom",
    )
    result = CliRunner().invoke(
        cli, ["--db", str(filed_db), "stories", "--section", "sports", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert [s["title"] for s in json.loads(result.stdout)] == sports
    line = CliRunner().invoke(cli, ["--db", str(filed_db), "stories"]).stdout
    assert "Sports, United Kingdom, 2 sources" in line


def test_the_bar_lists_sections_in_order_then_countries(filed_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(filed_db), workers=1))) as client:
        html = client.get("/section/health").text
    bar = re.search(r'<nav class="section-bar".*?</nav>', html, re.S)
    assert bar is not None
    names = re.findall(r'<a href="/section/[^"]+"[^>]*>([^<]+)</a>', bar[0])
    assert names == ["Politics", "Health", "Sports", "United States", "United Kingdom"]
    assert 'href="/section/health" aria-current="page"' in bar[0]


def test_a_section_with_no_stories_yet_is_an_empty_page(filed_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(filed_db), workers=1))) as client:
        page = client.get("/section/science")
    assert page.status_code == 200
    assert "No Science stories yet." in page.text
