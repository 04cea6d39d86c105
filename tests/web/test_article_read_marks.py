"""Article read marks on the web pages through the whole app (auth, CSRF, page cache, a real
SQLite file): the quiet "Read" mark on every list of articles a logged-in reader sees, read in
one query per page and none at all for an anonymous reader, and Mark unread on the article page
(htmx and a browser without JavaScript)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from newsdesk.accounts import hash_password
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.store import Store
from newsdesk.web.app import create_app
from support.store import statements_sent
from support.synthetic import ENTITY, Built, build_stories

PASSWORD = "correct horse battery"
HX = {"HX-Request": "true"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Site:
    app: FastAPI
    built: Built
    read: list[int]  # the articles ada has read: two of the first story's, one of the second's


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    db = tmp_path / "marks.db"
    with Store.open(f"sqlite:///{db}") as store, store.transaction() as repo:
        built = build_stories(repo, 3, 4)
        for name in ("ada", "bob"):
            repo.create_user(name, hash_password(PASSWORD), "member", utcnow())
        ada = repo.user_by_name("ada")
        assert ada is not None
        read = [built.article_ids[0], built.article_ids[2], built.article_ids[5]]
        repo.mark_articles_read(ada.id, read, utcnow())
    app = create_app(Settings(db=str(db), workers=1, enrich=False))
    with TestClient(app):  # runs the lifespan: the store is open
        yield Site(app, built, read)


def _client(site: Site, name: str | None = None) -> TestClient:
    client = TestClient(site.app, follow_redirects=False)
    if name is not None:
        token = _CSRF.search(client.get("/login").text)
        assert token
        form = {"name": name, "password": PASSWORD, "csrf_token": token.group(1)}
        assert client.post("/login", data=form).status_code == 303
    return client


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


def _pages(built: Built) -> list[str]:
    return [
        f"/story/{built.story_ids[0]}",
        f"/source/{built.source.replace(' ', '%20')}",
        "/tag/Bridge",
        f"/entity/{ENTITY}",
        "/search?q=bridge",
        f"/article/{built.article_ids[0]}",  # its related articles; last: opening it reads it
    ]


def _statements(app: FastAPI) -> AbstractContextManager[list[str]]:
    return statements_sent(app.state.newsdesk.store.engine)


def _reads_marks(statements: list[str]) -> int:
    return sum("FROM article_reads" in s for s in statements)


def test_read_articles_are_marked_for_their_reader_only(site: Site) -> None:
    ada, bob, anonymous = _client(site, "ada"), _client(site, "bob"), _client(site)
    read = set(site.read)
    for path in _pages(site.built):
        page = ada.get(path)
        assert page.status_code == 200, path
        shown = {int(i) for i in re.findall(r'href="/article/(\d+)"', page.text)}
        assert _marked(page.text) == read & shown, path
        assert _marked(bob.get(path).text) == set(), path
        assert "read-mark" not in anonymous.get(path).text, path
    # the story page lists the first story's articles: two of them read
    assert len(_marked(ada.get(f"/story/{site.built.story_ids[0]}").text)) == 2
    # a saved article read is marked on /saved too
    token = _CSRF.search(ada.get("/").text)
    assert token
    for article_id in (site.read[0], site.built.article_ids[1]):
        saved = ada.post(f"/saved/article/{article_id}", data={"csrf_token": token.group(1)})
        assert saved.status_code == 303
    assert _marked(ada.get("/saved").text) == {site.read[0]}


def test_one_query_for_the_marks_of_a_page_and_none_when_anonymous(site: Site) -> None:
    ada, anonymous = _client(site, "ada"), _client(site)
    for path in _pages(site.built):
        anonymous.get(path)  # warm what every reader shares (ranking, derived views)
        with _statements(site.app) as seen:
            assert anonymous.get(path).status_code == 200
        assert _reads_marks(seen) == 0, (path, seen)
        with _statements(site.app) as seen:
            assert ada.get(path).status_code == 200
        # the article page reads one more: opening it marks it read (after the page is sent)
        wanted = 2 if path.startswith("/article/") else 1
        assert _reads_marks(seen) == wanted, (path, [s for s in seen if "article_reads" in s])


def test_mark_unread_and_read_again_from_the_article_page(site: Site) -> None:
    ada = _client(site, "ada")
    article, story = site.built.article_ids[1], site.built.story_ids[0]
    page = ada.get(f"/article/{article}").text  # opening it reads it
    form = lxml.html.fromstring(page).xpath(f'//form[@action="/read/article/{article}"]')
    assert len(form) == 1 and "Mark unread" in form[0].text_content()
    assert form[0].get("hx-post") == f"/read/article/{article}"
    assert form[0].xpath('.//input[@name="next"]/@value') == [f"/story/{story}"]
    assert article in _marked(ada.get(f"/story/{story}").text)
    token = _CSRF.search(page)
    assert token
    path = f"/read/article/{article}"

    refused = ada.post(path, data={"action": "unread"})
    assert refused.status_code == 403  # no CSRF token: nothing changes
    assert article in _marked(ada.get(f"/story/{story}").text)

    data = {"action": "unread", "next": f"/story/{story}", "csrf_token": token.group(1)}
    swapped = ada.post(path, data=data, headers=HX)  # htmx: the form comes back, flipped
    assert swapped.status_code == 200 and "<html" not in swapped.text
    assert 'value="read"' in swapped.text and ">Mark read</button>" in swapped.text
    assert article not in _marked(ada.get(f"/story/{story}").text)
    again = ada.post(path, data={**data, "action": "read"}, headers=HX)
    assert ">Mark unread</button>" in again.text
    assert article in _marked(ada.get(f"/story/{story}").text)

    plain = ada.post(path, data=data)  # without JavaScript: back to the story, not the article
    assert plain.status_code == 303 and plain.headers["location"] == f"/story/{story}"
    assert article not in _marked(ada.get(f"/story/{story}").text)
    hostile = ada.post(path, data={**data, "next": "https://elsewhere.example/"})
    assert hostile.headers["location"] == "/"

    assert ada.post(path, data={**data, "action": "star"}).status_code == 422
    assert ada.post("/read/article/999999", data=data).status_code == 404
    anonymous = _client(site)
    anonymous_page = anonymous.get(f"/article/{article}").text
    assert "/read/article/" not in anonymous_page
    anonymous_token = _CSRF.search(anonymous.get("/login").text)
    assert anonymous_token
    anonymous_data = {**data, "csrf_token": anonymous_token.group(1)}
    assert anonymous.post(path, data=anonymous_data).status_code == 401


def test_marking_unread_keeps_the_anonymous_page_cache(site: Site) -> None:
    ada, anonymous = _client(site, "ada"), _client(site)
    story = f"/story/{site.built.story_ids[0]}"
    anonymous.get(story)
    assert anonymous.get(story).headers["x-page-cache"] == "hit"
    token = _CSRF.search(ada.get(story).text)
    assert token
    data = {"action": "unread", "next": story, "csrf_token": token.group(1)}
    assert ada.post(f"/read/article/{site.read[0]}", data=data).status_code == 303
    assert anonymous.get(story).headers["x-page-cache"] == "hit"
    answer = ada.get(story)
    assert "x-page-cache" not in answer.headers
    assert answer.headers["cache-control"] == "private, no-store"
