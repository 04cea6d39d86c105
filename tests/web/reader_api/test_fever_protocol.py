"""The Fever API request by request, as its documentation gives them (httpx): auth, groups and
feeds, items by since_id / max_id / with_ids, the id lists, marks on items, feeds and groups,
and the address throttle shared with the login form."""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from newsdesk.accounts import MAX_IP_FAILURES
from newsdesk.web.app import create_app
from support.reader_apps import ReaderSite, follow, new_app_password, register

FERRY = "https://harbour-times.example/ferry"
FISH = "https://harbour-times.example/fish"
HOSTILE = "https://harbour-times.example/hostile"
VINEYARD = "https://valley-post.example/news/vineyard"
READERS = itertools.count(1)  # each test's reader is new: no test sees another's marks


def api_key(name: str, password: str) -> str:
    return hashlib.md5(f"{name}:{password}".encode(), usedforsecurity=False).hexdigest()


class Fever:
    def __init__(self, client: httpx.Client | TestClient, key: str) -> None:
        self.client, self.key = client, key

    def __call__(self, *flags: str, **values: Any) -> dict[str, Any]:
        query = "&".join(["api", *flags, *(f"{k}={v}" for k, v in values.items())])
        answer = self.client.post(f"/fever/?{query}", data={"api_key": self.key})
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        assert body["api_version"] == 3
        return body


@pytest.fixture
def fever(reader_site: ReaderSite) -> Iterator[Fever]:
    """The Fever API as a new reader following Harbour Times, a tag and Valley Post."""
    name = f"fv-{next(READERS)}"
    with register(reader_site, name) as web:
        password = new_app_password(web, "Unread")
        follow(reader_site, name, "source", "Harbour Times", "Harbour Times")
        follow(reader_site, name, "tag", "#ErikDahl", "Erik Dahl")
        follow(reader_site, name, "source", "Valley Post", "Valley Post")
        with httpx.Client(base_url=reader_site.base_url, timeout=10.0) as client:
            yield Fever(client, api_key(name, password))


def test_auth_groups_and_feeds(fever: Fever) -> None:
    assert fever()["auth"] == 1
    assert Fever(fever.client, fever.key[::-1])()["auth"] == 0
    groups = fever("groups")
    titles = {g["id"]: g["title"] for g in groups["groups"]}
    assert sorted(titles.values()) == ["Sources", "Tags"]
    feeds = fever("feeds")
    by_title = {f["title"]: f for f in feeds["feeds"]}
    assert set(by_title) == {"Harbour Times", "Erik Dahl", "Valley Post"}
    grouped = {titles[g["group_id"]]: g["feed_ids"] for g in feeds["feeds_groups"]}
    assert grouped["Tags"] == str(by_title["Erik Dahl"]["id"])
    assert fever("favicons")["favicons"] == [] and fever("links")["links"] == []


def test_items_by_since_max_and_ids(reader_site: ReaderSite, fever: Fever) -> None:
    ids = reader_site.ids
    everything = sorted({ids[FERRY], ids[FISH], ids[HOSTILE], ids[VINEYARD]})
    newest = fever("items")
    assert [i["id"] for i in newest["items"]] == everything[::-1]
    assert newest["total_items"] == len(everything)
    assert [i["id"] for i in fever("items", since_id=everything[1])["items"]] == everything[2:]
    assert [i["id"] for i in fever("items", max_id=everything[2])["items"]] == everything[1::-1]
    fish = fever("items", with_ids=f"{ids[FISH]},{ids[FERRY]}")["items"]
    assert sorted(i["id"] for i in fish) == sorted([ids[FISH], ids[FERRY]])
    first = next(i for i in fish if i["id"] == ids[FISH])
    # The fish story came through Harbour Times (the first follow that reaches it).
    feeds = {f["id"]: f["title"] for f in fever("feeds")["feeds"]}
    assert feeds[first["feed_id"]] == "Harbour Times"
    assert first["url"] == FISH and first["is_read"] == 0 and first["is_saved"] == 0
    assert first["created_on_time"] == 1748851200  # 2025-06-02T08:00Z


def test_marks_on_items_feeds_and_groups(reader_site: ReaderSite, fever: Fever) -> None:
    ids = reader_site.ids

    def unread() -> set[int]:
        listed = fever("unread_item_ids")["unread_item_ids"]
        return {int(i) for i in listed.split(",") if i}

    assert unread() == {ids[FERRY], ids[FISH], ids[HOSTILE], ids[VINEYARD]}
    marked = fever(mark="item", **{"as": "read"}, id=ids[FISH])
    assert str(ids[FISH]) not in marked["unread_item_ids"].split(",")
    saved = fever(mark="item", **{"as": "saved"}, id=ids[HOSTILE])
    assert saved["saved_item_ids"] == str(ids[HOSTILE])
    fever(mark="item", **{"as": "unread"}, id=ids[FISH])
    assert ids[FISH] in unread()
    feeds = {f["title"]: f["id"] for f in fever("feeds")["feeds"]}
    # A feed read before a time long ago: nothing changes; before now: its items are read.
    fever(mark="feed", **{"as": "read"}, id=feeds["Valley Post"], before=946684800)
    assert ids[VINEYARD] in unread()
    fever(mark="feed", **{"as": "read"}, id=feeds["Valley Post"], before=int(time.time()) + 60)
    assert unread() == {ids[FISH], ids[HOSTILE]}
    groups = {g["title"]: g["id"] for g in fever("groups")["groups"]}
    fever(mark="group", **{"as": "read"}, id=groups["Tags"], before=int(time.time()) + 60)
    assert unread() == {ids[HOSTILE]}
    fever(mark="group", **{"as": "read"}, id=0, before=int(time.time()) + 60)  # everything
    assert unread() == set()
    fever(mark="item", **{"as": "unsaved"}, id=ids[HOSTILE])
    assert fever("saved_item_ids")["saved_item_ids"] == ""


def test_an_address_that_fails_too_often_is_refused(reader_site: ReaderSite) -> None:
    """In-process, so the address is the test client's own and the live site's is untouched."""
    with register(reader_site, "fv-throttled") as web:
        key = api_key("fv-throttled", new_app_password(web, "Fiery Feeds"))
    with TestClient(create_app(reader_site.settings)) as client:
        assert Fever(client, key)()["auth"] == 1
        wrong = Fever(client, api_key("fv-throttled", "wrong"))
        for _ in range(MAX_IP_FAILURES):
            assert wrong()["auth"] == 0
        assert Fever(client, key)()["auth"] == 0  # the right key too, from this address


def test_odd_parameters_never_fail_the_server(fever: Fever) -> None:
    odd = ["", "abc", "-1", "99999999999999999999999999", "1,2,x,99999999999", "9" * 400]
    for value in odd:
        for call in (
            {"flags": ("items",), "values": {"since_id": value}},
            {"flags": ("items",), "values": {"max_id": value}},
            {"flags": ("items",), "values": {"with_ids": value}},
            {"flags": (), "values": {"mark": "item", "as": "read", "id": value}},
            {"flags": (), "values": {"mark": "feed", "as": "read", "id": value, "before": value}},
            {"flags": (), "values": {"mark": "group", "as": "read", "id": "0", "before": value}},
        ):
            body = fever(*call["flags"], **call["values"])
            assert body["auth"] == 1
