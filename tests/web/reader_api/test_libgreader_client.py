"""libgreader (PyPI, a Google Reader client library none of us wrote) against the Google Reader
API's JSON side: log in with ClientLogin and an app password, list the subscriptions with their
folders and unread counts, read each feed's items, mark one read and star another, mark a feed
read, subscribe by a publisher's name (and be refused a feed newsdesk does not gather); the web
shows the star. The library has Google's addresses as class constants and no setting for
another server: the test points them here, as anyone using it with another server does."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from libgreader import ClientAuthMethod, GoogleReader
from libgreader.url import ReaderUrl

from support.reader_apps import ReaderSite, follow, new_app_password, register

GOOGLE = "https://www.google.com"
FERRY = "https://harbour-times.example/ferry"
FISH = "https://harbour-times.example/fish"
HOSTILE = "https://harbour-times.example/hostile"
VINEYARD = "https://valley-post.example/news/vineyard"


@pytest.fixture
def here(reader_site: ReaderSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """libgreader's URLs (class constants) on this server for the test's length."""
    for name in dir(ReaderUrl):
        value = getattr(ReaderUrl, name)
        if isinstance(value, str) and value.startswith(GOOGLE):
            monkeypatch.setattr(ReaderUrl, name, value.replace(GOOGLE, reader_site.base_url))
    login = ClientAuthMethod.CLIENT_URL.replace(GOOGLE, reader_site.base_url)
    monkeypatch.setattr(ClientAuthMethod, "CLIENT_URL", login)
    yield


def _item_id(long_id: str) -> int:
    return int(long_id.rsplit("/", 1)[1], 16)


def test_libgreader_reads_marks_stars_and_subscribes(reader_site: ReaderSite, here: None) -> None:
    ids = reader_site.ids
    with register(reader_site, "lg-reader") as web:
        password = new_app_password(web, "libgreader")
        follow(reader_site, "lg-reader", "source", "Harbour Times", "Harbour Times")
        follow(reader_site, "lg-reader", "person", "Anna Lindqvist", "Anna Lindqvist")

        reader = GoogleReader(ClientAuthMethod("lg-reader", password))
        assert reader.getUserInfo()["userName"] == "lg-reader"
        assert reader.buildSubscriptionList()
        feeds = {feed.title: feed for feed in reader.getSubscriptionList()}
        assert set(feeds) == {"Harbour Times", "Anna Lindqvist"}
        assert [c.label for c in feeds["Anna Lindqvist"].getCategories()] == ["People"]
        assert feeds["Harbour Times"].unread == 3 and feeds["Anna Lindqvist"].unread == 1

        harbour = feeds["Harbour Times"]
        harbour.loadItems()
        items = {_item_id(item.id): item for item in harbour.getItems()}
        assert set(items) == {ids[FERRY], ids[FISH], ids[HOSTILE]}
        fish = items[ids[FISH]]
        assert fish.url == FISH and fish.isUnread() and not fish.isStarred()
        assert "Quotas" in fish.title or "quotas" in fish.title
        fish.markRead()
        items[ids[HOSTILE]].star()
        harbour.clearItems()
        harbour.loadItems(excludeRead=True)
        assert {_item_id(item.id) for item in harbour.getItems()} == {ids[FERRY], ids[HOSTILE]}

        reader.makeSpecialFeeds()
        starred = reader.getSpecialFeed(ReaderUrl.STARRED_LIST)
        starred.loadItems()
        assert [_item_id(item.id) for item in starred.getItems()] == [ids[HOSTILE]]

        # The ferry story, reached through the mayor too, is the same item there.
        anna = feeds["Anna Lindqvist"]
        anna.loadItems()
        assert [_item_id(item.id) for item in anna.getItems()] == [ids[FERRY]]
        assert anna.markAllRead()
        harbour.clearItems()
        harbour.loadItems(excludeRead=True)
        assert [_item_id(item.id) for item in harbour.getItems()] == [ids[HOSTILE]]

        assert reader.subscribe("Valley Post")
        assert not reader.subscribe("http://127.0.0.1:9/not-gathered.xml")
        reader.buildSubscriptionList()
        assert {feed.title for feed in reader.getSubscriptionList()} == {
            "Harbour Times",
            "Anna Lindqvist",
            "Valley Post",
        }

        # The web: the starred article is on the reader's Saved page.
        saved = web.get("/saved")
        assert saved.status_code == 200 and "Hostile headline" in saved.text
    with httpx.Client(base_url=reader_site.base_url) as anonymous:
        assert anonymous.get("/reader/api/0/subscription/list").status_code == 401
