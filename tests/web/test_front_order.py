"""One ranking: the front page, /api/v1/stories and `newsdesk stories` list the same stories in
the same order, read from one real SQLite store; undated coverage is never fresh or "ago"."""

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
# story id -> (publishers, hours since its coverage was published; None: undated)
COVERAGE: dict[int, tuple[int, float | None]] = {
    1: (2, 1.0),  # narrow, fresh: 2 + ~3
    2: (17, 24 * 900),  # the widest, years old: 17
    3: (6, None),  # wide, undated: 6, never fresh
    4: (4, 30.0),  # a day and a bit old: 4 + ~1.1
    5: (1, 0.5),  # one publisher, just in: 1 + ~3
    6: (9, 24 * 30),  # a month old: 9
}
# Two more articles, in no story: one timed from a captured page's "2 hours ago", one old page
# updated lately.
APPROX, UPDATED = 9001, 9002


@pytest.fixture(scope="module")
def ranked_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("front") / "news.db"
    now = utcnow()
    settings = Settings(db=str(db), workers=1, enrich=False)
    with build(settings) as app, app.store.transaction() as repo:
        for story_id, (width, hours) in COVERAGE.items():
            published = None if hours is None else now - hours * HOUR
            ids = []
            for n in range(width):
                article = NewArticle(
                    source=f"Publisher {n}",
                    title=f"Story {story_id} as told by publisher {n}",
                    text=f"Story {story_id}, paragraph from publisher {n}.",
                    fingerprint=Fingerprint(f"s{story_id}-p{n}", b"", ()),
                    published=published,
                    lang="en",
                )
                ids.append(repo.insert_article(article))
            # The story's own clustering dates say "now": the ranking must not read them.
            repo.upsert_story(
                StoryRow(id=ids[0], title=f"Story {story_id}", size=width, last_seen=now)
            )
            for article_id in ids:
                repo.link_article(
                    article_id, ids[0], similarity=1.0, shared_entities=(), reason="test"
                )
        for external, fields in (
            (APPROX, {"published": now - 2 * HOUR, "published_approx": True}),
            (UPDATED, {"published": now - 24 * 5000 * HOUR, "modified": now - 24 * HOUR}),
        ):
            article = NewArticle(
                source="Desk",
                title=f"Article {external}",
                text="A paragraph.",
                fingerprint=Fingerprint(f"a{external}", b"", ()),
                external_id=str(external),
                lang="en",
                **fields,  # type: ignore[arg-type]
            )
            repo.insert_article(article)
    return db


def _titles_in(html: str) -> list[str]:
    return re.findall(r'<a href="/story/\d+">(Story \d+)</a>', html)


def test_web_api_and_cli_share_one_order(ranked_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(ranked_db), workers=1))) as client:
        web = _titles_in(client.get("/").text)
        api = [s["title"] for s in client.get("/api/v1/stories?limit=20").json()["items"]]
        front = client.get("/").text
    result = CliRunner().invoke(cli, ["--db", str(ranked_db), "stories", "--json"])
    assert result.exit_code == 0, result.output
    shell = [s["title"] for s in json.loads(result.stdout)]
    expected = ["Story 2", "Story 6", "Story 3", "Story 4", "Story 1", "Story 5"]
    assert web == api == shell == expected
    # The undated story is "undated" on its card, never "updated ... ago".
    card = front.split(">Story 3</a>")[1].split("</li>")[0]
    assert "undated" in card and "ago" not in card


def test_undated_story_is_undated_in_the_api_and_the_cli(ranked_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(ranked_db), workers=1))) as client:
        items = client.get("/api/v1/stories?limit=20").json()["items"]
        undated = next(s for s in items if s["title"] == "Story 3")
        assert undated["last_seen"] is None and undated["first_seen"] is None
        detail = client.get(f"/api/v1/stories/{undated['id']}").json()
        assert detail["last_seen"] is None
        assert all(c["published"] is None for c in detail["coverage"]["items"])
        story_html = client.get(f"/story/{undated['id']}").text
        article = client.get(f"/article/{undated['id']}").text
    meta = re.search(r'<article class="story">.*?<p class="meta">(.*?)</p>', story_html, re.S)
    assert meta and "undated" in meta[1] and "ago" not in meta[1]
    assert "from 6 sources" in meta[1]  # the same breadth as its card and the API
    head = re.search(r"<header>(.*?)</header>", article, re.S)
    assert head and "undated" in head[1] and "ago" not in head[1]
    result = CliRunner().invoke(cli, ["--db", str(ranked_db), "stories"])
    line = next(x for x in result.stdout.splitlines() if "Story 3" in x)
    assert "undated" in line and "ago" not in line


def test_article_pages_say_about_and_updated(ranked_db: Path) -> None:
    with TestClient(create_app(Settings(db=str(ranked_db), workers=1))) as client:
        items = client.get("/api/v1/articles?limit=100").json()["items"]
        ids = {a["title"]: a["id"] for a in items}
        heads = {}
        for external in (APPROX, UPDATED):
            html = client.get(f"/article/{ids[f'Article {external}']}").text
            head = re.search(r"<header>(.*?)</header>", html, re.S)
            assert head
            heads[external] = head[1]
    assert "about 2 hours ago" in heads[APPROX]
    assert re.search(r"13 years ago · updated \d{4}-\d{2}-\d{2}", heads[UPDATED])
