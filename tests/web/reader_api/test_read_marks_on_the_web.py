"""What a reader marks read in their feed-reader app shows on the web pages, for them alone: an
item marked read through the Google Reader API (edit-tag, as an app sends it) carries a quiet
"Read" mark on its source and story pages, and Mark unread on the article page undoes it for
the app too, without emptying the anonymous page cache."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator

import httpx
import lxml.html
import pytest

from newsdesk.store import Store
from support.reader_apps import ReaderSite, client_login, follow, new_app_password, register

API = "/reader/api/0"
READ = "user/-/state/com.google/read"
FERRY = "https://harbour-times.example/ferry"
FISH = "https://harbour-times.example/fish"
SOURCE_PAGE = "/source/Harbour%20Times"
READERS = itertools.count(1)
WAIT_S = 10.0  # the article page's read mark is written just after the page is sent
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def reader(reader_site: ReaderSite) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """(the app, the browser) of a new reader who follows Harbour Times."""
    name = f"marks-{next(READERS)}"
    with register(reader_site, name) as web:
        password = new_app_password(web, "NetNewsWire")
        follow(reader_site, name, "source", "Harbour Times", "Harbour Times")
        with client_login(reader_site, name, password) as app:
            yield app, web


def _marked(html: str) -> set[int]:
    """The article ids on a page whose list item carries the "Read" mark (a story card's own
    "Read", whose first link is its story, is not an article's; nor is the article page's own,
    beside its Mark unread button)."""
    marked = set()
    for mark in lxml.html.fromstring(html).find_class("read-mark"):
        item = next(mark.iterancestors("li"), None)
        first = item.xpath(".//a/@href")[0] if item is not None else ""
        if re.fullmatch(r"/article/\d+", first):
            marked.add(int(first.removeprefix("/article/")))
    return marked


def _story_of(site: ReaderSite, article_id: int) -> str:
    """The path of the article's story page (read from the store: opening the article's own
    page would mark it read)."""
    with (
        Store.open(site.settings.db_url, migrate=False) as store,
        store.transaction(readonly=True) as repo,
    ):
        story = repo.story_of(article_id)
    assert story is not None, "the article has no story"
    return f"/story/{story}"


def _read_ids(app: httpx.Client) -> set[int]:
    answer = app.get(API + "/stream/items/ids", params={"s": READ, "n": "100"})
    assert answer.status_code == 200, answer.text
    return {int(ref["id"]) for ref in answer.json()["itemRefs"]}


def test_an_item_read_in_the_app_is_marked_on_the_web_for_that_reader_only(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, web = reader
    fish, ferry = reader_site.ids[FISH], reader_site.ids[FERRY]
    story = _story_of(reader_site, ferry)
    assert _marked(web.get(SOURCE_PAGE).text) == set()

    assert app.post(API + "/edit-tag", data={"i": str(fish), "a": READ}).text == "OK"
    assert _marked(web.get(SOURCE_PAGE).text) == {fish}
    fish_story = _story_of(reader_site, fish)
    assert _marked(web.get(fish_story).text) == {fish}
    assert _marked(web.get(story).text) == set()  # the ferry story: nothing of it read

    with register(reader_site, f"marks-other-{next(READERS)}") as other:
        assert _marked(other.get(SOURCE_PAGE).text) == set()
        assert _marked(other.get(fish_story).text) == set()
    with httpx.Client(base_url=reader_site.base_url, timeout=10.0) as anonymous:
        for path in (SOURCE_PAGE, fish_story):
            page = anonymous.get(path).text
            assert "read-mark" not in page and "/read/article/" not in page, path

    # Unread in the app: unmarked on the web.
    assert app.post(API + "/edit-tag", data={"i": str(fish), "r": READ}).text == "OK"
    assert _marked(web.get(SOURCE_PAGE).text) == set()


def test_mark_unread_on_the_article_page_reaches_the_app_and_keeps_the_page_cache(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, web = reader
    fish = reader_site.ids[FISH]
    page = web.get(f"/article/{fish}").text
    form = lxml.html.fromstring(page).xpath(f'//form[@action="/read/article/{fish}"]')
    assert len(form) == 1 and "Mark unread" in form[0].text_content()
    back = form[0].xpath('.//input[@name="next"]/@value')[0]
    assert back.startswith("/story/")
    deadline = time.monotonic() + WAIT_S  # opening it marked it read, just after the page
    while fish not in _read_ids(app) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fish in _read_ids(app)

    with httpx.Client(base_url=reader_site.base_url, timeout=10.0) as anonymous:
        anonymous.get(SOURCE_PAGE)
        assert anonymous.get(SOURCE_PAGE).headers["x-page-cache"] == "hit"
        refused = web.post(f"/read/article/{fish}", data={"action": "unread", "next": back})
        assert refused.status_code == 403 and fish in _read_ids(app)  # no CSRF token
        token = _CSRF.search(page)
        assert token
        data = {"action": "unread", "next": back, "csrf_token": token.group(1)}
        answer = web.post(f"/read/article/{fish}", data=data)  # a browser without JavaScript
        assert answer.status_code == 303 and answer.headers["location"] == back
        assert anonymous.get(SOURCE_PAGE).headers["x-page-cache"] == "hit"
    assert fish not in _read_ids(app)
    assert fish not in _marked(web.get(back).text)
    assert _marked(web.get(SOURCE_PAGE).text) == set()
