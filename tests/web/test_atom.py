"""Atom feeds out: valid Atom 1.0 that feedparser reads, with every title escaped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from .apidata import HOSTILE, client_for, store_path

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(store_path(tmp_path_factory)) as c:
        yield c


def feed(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)  # well-formed XML, Atom namespace
    assert root.tag == f"{ATOM}feed"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id.startswith(("urn:", "tag:")) and parsed.feed.updated
    for entry in parsed.entries:
        assert entry.id.startswith(("urn:", "tag:"))
        assert entry.updated and entry.title and entry.link.startswith("http://testserver/")
        assert entry.summary_detail.type == "text/plain"
    return parsed


def test_front_page_feed_lists_stories(client: TestClient) -> None:
    parsed = feed(client, "/feeds/front.atom")
    stories = client.get("/api/v1/stories", params={"limit": 30}).json()["items"]
    assert [e.id for e in parsed.entries] == [f"urn:newsdesk:story:{s['id']}" for s in stories]
    assert parsed.entries[0].link == f"http://testserver/story/{stories[0]['id']}"


def test_story_feed_has_its_coverage(client: TestClient) -> None:
    story = client.get("/api/v1/stories", params={"limit": 1}).json()["items"][0]
    parsed = feed(client, f"/feeds/story/{story['id']}.atom")
    members = client.get(f"/api/v1/stories/{story['id']}").json()["coverage"]["items"]
    assert {e.id for e in parsed.entries} == {f"urn:newsdesk:article:{m['id']}" for m in members}
    missing = client.get("/feeds/story/999999.atom")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_hostile_title_is_escaped_text(client: TestClient) -> None:
    response = client.get("/feeds/tag/Lighthouse.atom")
    assert b"<script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in response.content
    parsed = feed(client, "/feeds/tag/Lighthouse.atom")
    assert [e.title for e in parsed.entries] == [HOSTILE]
    assert parsed.entries[0].author == "Raw Wire <b>"
    assert parsed.feed.title == "newsdesk: #Lighthouse"
    assert feed(client, "/feeds/tag/%23Lighthouse.atom").entries[0].title == HOSTILE


def test_search_feed(client: TestClient) -> None:
    parsed = feed(client, "/feeds/search.atom", q="lighthouse keepers")
    assert [e.title for e in parsed.entries] == [HOSTILE]
    assert "[" not in parsed.entries[0].summary
    assert feed(client, "/feeds/search.atom", q='<x> & "y"').entries == []
    assert client.get("/feeds/search.atom").status_code == 422
