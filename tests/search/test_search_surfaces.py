"""Hybrid search where readers use it: the JSON API, the search page and the CLI, on the real
pipeline-built store: one result per story, which side matched, and mode=text for words only."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.cli import cli, reading
from newsdesk.config import Settings
from newsdesk.web.app import create_app
from newsdesk.web.pages.search import search_index
from search.conftest import PARAPHRASE, Built


@pytest.fixture(scope="module")
def client(built: Built) -> Iterator[TestClient]:
    with TestClient(create_app(built.settings), follow_redirects=False) as test_client:
        yield test_client


def _api(client: TestClient, **params: object) -> dict[str, object]:
    response = client.get("/api/v1/search?" + urlencode(params))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_api_gives_one_result_per_story_and_what_matched(client: TestClient, built: Built) -> None:
    body = _api(client, q=PARAPHRASE)
    items = body["items"]
    assert isinstance(items, list) and items and body["mode"] == "hybrid"
    assert items[0]["matched"] == ["semantic"] and items[0]["similarity"] > 0.35
    assert built.events[items[0]["id"]] in {"ecb01-a", "ecb01-b"}
    stories = [i["story_id"] for i in items]
    assert len(stories) == len(set(stories)) and all(i["others"] >= 0 for i in items)
    assert _api(client, q=PARAPHRASE, mode="text")["items"] == []
    pirates = _api(client, q="pirates", mode="text")["items"]
    assert isinstance(pirates, list) and len(pirates) == 1  # four articles, one story
    assert pirates[0]["matched"] == ["text"] and pirates[0]["others"] >= 1
    assert client.get("/api/v1/search?q=x&mode=fuzzy").status_code == 422


def test_api_paging_walks_the_stories(client: TestClient) -> None:
    first = _api(client, q="rehab", limit=1)
    assert len(first["items"]) == 1 and first["next"]  # type: ignore[arg-type]
    second = _api(client, q="rehab", limit=1, offset=1)
    assert second["items"] and second["items"] != first["items"]


def test_search_page_shows_stories_and_matches(client: TestClient) -> None:
    html = client.get("/search?" + urlencode({"q": PARAPHRASE})).text
    assert "Matched by meaning" in html and re.search(r'href="/story/\d+"', html)
    assert re.search(r"\d+ more articles? in this story", html)
    words = client.get("/search?" + urlencode({"q": "pirates", "mode": "text"})).text
    assert "Matched by words" in words and "<mark>pirates</mark>" in words
    assert '<option value="text" selected>' in words
    none = client.get("/search?" + urlencode({"q": PARAPHRASE, "mode": "text"})).text
    assert "No stories match." in none


def test_cli_search_json_and_text(built: Built) -> None:
    runner = CliRunner()
    db = built.settings.db
    result = runner.invoke(cli, ["--db", db, "search", PARAPHRASE, "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and hits[0]["matched"] == ["semantic"] and "story_id" in hits[0]
    result = runner.invoke(cli, ["--db", db, "search", "pirates", "--mode", "text"])
    assert result.exit_code == 0 and "matched by words" in result.stdout
    assert runner.invoke(cli, ["--db", db, "search", "x", "--mode", "fuzzy"]).exit_code == 2


def test_search_page_answers_by_words_while_the_index_warms_up(
    built: Built, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    shutil.copy(built.folder / "news.db", db)
    settings = Settings(db=str(db), workers=1)
    index = search_index(settings)
    url = "/search?" + urlencode({"q": PARAPHRASE})
    with TestClient(create_app(settings)) as fresh:
        with index._lock:  # as while the first build reads every stored vector
            warming = fresh.get(url).text
            api = fresh.get("/api/v1/search?" + urlencode({"q": PARAPHRASE}))
        assert api.headers["cache-control"] == "no-store"  # no cache keeps a words-only answer
        assert "still warming up" in warming and "Matched by meaning" not in warming
        deadline = time.monotonic() + 30
        while not index.ready and time.monotonic() < deadline:
            time.sleep(0.05)
        ready = fresh.get(url).text  # not the answer kept from before: both sides now
        assert "Matched by meaning" in ready and "still warming up" not in ready


def test_cli_search_waits_for_the_index_and_says_why(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.db"
    shutil.copy(built.folder / "news.db", db)
    index = search_index(Settings(db=str(db), workers=1))
    monkeypatch.setattr(reading, "INDEX_NOTICE_S", 0.05)
    index._lock.acquire()  # as while a build from 10^6 stored vectors runs
    threading.Timer(1.0, index._lock.release).start()
    result = CliRunner().invoke(cli, ["--db", str(db), "search", PARAPHRASE, "--json"])
    assert result.exit_code == 0, result.output
    assert "building the vector index" in result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["matched"] == ["semantic"]  # waited for it: both sides answered
