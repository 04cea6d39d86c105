"""One read model per noun: the CLI's --json and the JSON API say the same thing about a story,
an article (canonical and near-duplicate) and the story list, read from one real SQLite store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.cli import cli
from support.synthetic import Built, plain_client, sqlite_stories


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    return sqlite_stories(tmp_path_factory.mktemp("readmodels"))


@pytest.fixture(scope="module")
def client(store: tuple[Path, Built]) -> Iterator[TestClient]:
    with plain_client(store[0]) as test_client:
        yield test_client


def _cli(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", str(db), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _api(client: TestClient, path: str) -> Any:
    answer = client.get(f"/api/v1{path}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_cli_and_api_say_the_same_about_a_story(
    store: tuple[Path, Built], client: TestClient
) -> None:
    db, built = store
    story_id = built.story_ids[1]
    from_cli = _cli(db, "story", str(story_id))
    from_api = _api(client, f"/stories/{story_id}")
    assert from_cli == from_api
    assert from_api["articles"] == 7 and from_api["sources"] >= 5
    assert from_api["brief"]["summary"] and len(from_api["coverage"]["items"]) == 7
    # A second page says the same on both sides too.
    paged_cli = _cli(db, "story", str(story_id), "--limit", "3", "--offset", "3")
    paged_api = _api(client, f"/stories/{story_id}?limit=3&offset=3")
    assert paged_cli == paged_api and paged_api["coverage"]["next_offset"] == 6


@pytest.mark.parametrize("which", ["canonical", "near-duplicate"])
def test_cli_and_api_say_the_same_about_an_article(
    store: tuple[Path, Built], client: TestClient, which: str
) -> None:
    db, built = store
    article_id = built.article_ids[0] if which == "canonical" else built.duplicate_ids[0]
    from_cli = _cli(db, "show", str(article_id))
    from_api = _api(client, f"/articles/{article_id}")
    assert from_cli == from_api
    assert from_api["story_id"] == built.story_ids[0]
    assert from_api["tags"] and from_api["entities"] and from_api["brief"]
    if which == "near-duplicate":
        assert from_api["duplicate_of"] == built.article_ids[0]


def test_story_cards_are_the_same_in_the_cli_and_the_api(
    store: tuple[Path, Built], client: TestClient
) -> None:
    db, _ = store
    assert _cli(db, "stories") == _api(client, "/stories")["items"]


def test_the_story_page_and_its_card_count_alike(
    store: tuple[Path, Built], client: TestClient
) -> None:
    _, built = store
    card = next(c for c in _api(client, "/stories")["items"] if c["id"] == built.story_ids[0])
    page = client.get(f"/story/{built.story_ids[0]}").text
    assert f"{card['articles']} articles from {card['sources']} sources" in page
