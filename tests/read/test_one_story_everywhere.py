"""One story, three readers: the front page's card and the story page, the JSON API and the
CLI name the same title, the same publishers and the same times, because each builds the story
and its card from one read model (newsdesk.read). Real SQLite store, real app, real CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html
from typer.testing import CliRunner

from newsdesk.cli import cli
from support.synthetic import Built, plain_client, sqlite_stories


@dataclass(frozen=True)
class Shown:
    """What a reader is told of a story: its title, publishers and times (None: not shown)."""

    title: str
    publishers: tuple[str, ...] | None
    first_seen: datetime | None
    last_seen: datetime | None


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    return sqlite_stories(tmp_path_factory.mktemp("everywhere"))


@pytest.fixture(scope="module")
def client(store: tuple[Path, Built]) -> Iterator[TestClient]:
    with plain_client(store[0]) as test_client:
        yield test_client


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _from_json(data: dict[str, Any]) -> Shown:
    publishers = tuple(data["publishers"]) if "publishers" in data else None
    return Shown(data["title"], publishers, _when(data["first_seen"]), _when(data["last_seen"]))


def _from_html(block: html.HtmlElement, heading: str) -> Shown:
    """A card's or a story page's title, publishers ("A, B, C +2", the rest in the +2's title)
    and its <time> elements: broke (first seen), then updated (last seen) when later."""
    title = block.xpath(f"string(.//{heading})").strip()
    shown = block.xpath('.//span[@class="publishers"]')
    publishers = None
    if shown:
        first = (shown[0].text or "").strip()
        rest = shown[0].xpath("./span/@title")
        publishers = tuple(n for part in (first, *rest) for n in part.split(", ") if n)
    meta = block.xpath('.//p[@class="meta"]')[0]
    times = [_when(t.get("datetime")) for t in meta.xpath(".//time")]
    assert times, "the story is dated: its times are shown"
    return Shown(title, publishers, times[0], times[-1])


def _cli(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else result.stdout


def test_page_api_and_cli_show_one_story_alike(
    store: tuple[Path, Built], client: TestClient
) -> None:
    db, built = store
    story_id = built.story_ids[1]

    # The card: the front page, the API's list, the CLI's list.
    front = html.fromstring(client.get("/").text)
    cards = front.xpath(f'//li[contains(@class, "card")][.//a[@href="/story/{story_id}"]]')
    assert len(cards) == 1
    on_page = _from_html(cards[0], "h2")
    in_api = next(c for c in client.get("/api/v1/stories").json()["items"] if c["id"] == story_id)
    in_cli = next(c for c in _cli(db, "stories", "--json") if c["id"] == story_id)
    assert on_page == _from_json(in_api) == _from_json(in_cli)
    assert on_page.publishers is not None and len(on_page.publishers) > 3  # "+N" was read too
    assert on_page.first_seen is not None and on_page.last_seen is not None
    assert on_page.first_seen < on_page.last_seen
    assert f"#{story_id} {on_page.title} " in _cli(db, "stories")

    # The story: its page, the API, the CLI; and it is the story its card describes.
    page = html.fromstring(client.get(f"/story/{story_id}").text)
    story_page = _from_html(page.xpath('//article[@class="story"]')[0], "h1")
    story_api = client.get(f"/api/v1/stories/{story_id}").json()
    story_cli = _cli(db, "story", str(story_id), "--json")
    assert story_api == story_cli
    assert story_page == _from_json(story_api)  # a story page names no publishers
    assert (story_page.title, story_page.first_seen, story_page.last_seen) == (
        on_page.title,
        on_page.first_seen,
        on_page.last_seen,
    )
    assert story_api["articles"] == in_api["articles"]
    assert story_api["sources"] == in_api["sources"]
    assert f"story #{story_id}: {on_page.title}" in _cli(db, "story", str(story_id))
