"""A reader's own pages through the whole app (auth, CSRF, page cache, a real SQLite file):
follow and mute, /for-you, save for later, read state and "new since you read"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from newsdesk.accounts import hash_password
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import Repo, StoryRow
from newsdesk.web.app import create_app

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HX = {"HX-Request": "true"}


@dataclass
class Site:
    app: FastAPI
    engine: int  # story ids
    floods: int
    cup: int
    article: int  # the first article of the engine story


def _article(repo: Repo, title: str, source: str, n: int) -> int:
    return repo.insert_article(
        NewArticle(
            source=source,
            title=title,
            text=f"{title}: what happened, told by {source}.",
            fingerprint=Fingerprint(f"h-{title}-{source}-{n}", b"", ()),
            published=utcnow() - timedelta(hours=n),
            lang="en",
        )
    )


def _story(repo: Repo, title: str, sources: list[str], *, tags: tuple[str, ...] = ()) -> int:
    ids = [_article(repo, title, source, n) for n, source in enumerate(sources)]
    repo.upsert_story(StoryRow(id=ids[0], title=title, size=len(ids)))
    for article_id in ids:
        repo.link_article(article_id, ids[0], similarity=1.0, shared_entities=(), reason="t")
        repo.save_tags(article_id, tags, [("Ada Lovelace", "PERSON")] if "Engine" in title else [])
    return ids[0]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    app = create_app(Settings(db=str(tmp_path / "personal.db"), workers=1, enrich=False))
    with TestClient(app):  # runs the lifespan: the store is open
        store = app.state.newsdesk.store
        with store.transaction() as repo:
            engine = _story(repo, "Engine built", ["AP", "BBC", "NPR"], tags=("#Science",))
            floods = _story(repo, "Floods in the valley", ["AP", "DW"], tags=("#Climate",))
            cup = _story(repo, "Cup final tonight", ["Muted Daily"])
            repo.set_story_section(floods, "World", None)
            repo.set_story_section(cup, "World", None)
            for name in ("ada", "bob"):
                repo.create_user(name, hash_password(PASSWORD), "member", utcnow())
        yield Site(app, engine, floods, cup, engine)


def _client(site: Site, name: str | None = None) -> TestClient:
    client = TestClient(site.app, follow_redirects=False)
    if name is not None:
        answer = client.post(
            "/login", data={"name": name, "password": PASSWORD, "csrf_token": _token(client)}
        )
        assert answer.status_code == 303, answer.text
    return client


def _token(client: TestClient, path: str = "/login") -> str:
    found = _CSRF.search(client.get(path).text)
    assert found, f"no form on {path}"
    return found.group(1)


def _follow(client: TestClient, kind: str, value: str, action: str = "follow") -> None:
    data = {"kind": kind, "value": value, "label": value, "action": action, "next": "/"}
    answer = client.post("/follow", data={**data, "csrf_token": _token(client, "/")})
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/story/\d+">([^<]+)</a>', html)


def test_follow_from_an_entity_page_fills_for_you_and_unfollow_empties_it(site: Site) -> None:
    anonymous = _client(site)
    page = anonymous.get("/entity/Ada Lovelace").text
    assert "Log in to follow" in page and "/login?next=/entity/Ada%20Lovelace" in page
    assert anonymous.get("/for-you").headers["location"] == "/login?next=/for-you"

    ada = _client(site, "ada")
    assert "Follow what matters to you" in ada.get("/for-you").text  # the empty state
    page = ada.get("/entity/Ada Lovelace").text
    assert 'name="kind" value="person"' in page and 'value="follow"' in page
    # without the token: refused, nothing followed
    refused = ada.post("/follow", data={"kind": "person", "value": "Ada Lovelace"})
    assert refused.status_code == 403
    assert _titles(ada.get("/for-you").text) == []
    # htmx: the buttons come back pressed
    form = {"kind": "person", "value": "Ada Lovelace", "label": "Ada Lovelace", "next": "/"}
    token = _token(ada, "/entity/Ada Lovelace")
    swapped = ada.post(
        "/follow", data={**form, "action": "follow", "csrf_token": token}, headers=HX
    )
    assert swapped.status_code == 200 and 'aria-pressed="true"' in swapped.text
    assert ">Following</button>" in swapped.text and "<html" not in swapped.text
    _follow(ada, "tag", "Climate")
    assert _titles(ada.get("/for-you").text) == ["Engine built", "Floods in the valley"]
    assert "/entity/Ada%20Lovelace" in ada.get("/following").text
    _follow(ada, "person", "Ada Lovelace", "unfollow")
    assert _titles(ada.get("/for-you").text) == ["Floods in the valley"]
    # bob follows nothing: his own page is still empty
    assert "Follow what matters to you" in _client(site, "bob").get("/for-you").text


def test_a_mute_hides_stories_from_that_reader_only(site: Site) -> None:
    ada, anonymous = _client(site, "ada"), _client(site)
    assert "Cup final tonight" in anonymous.get("/").text
    _follow(ada, "source", "Muted Daily", "mute")
    _follow(ada, "section", "World")
    front = ada.get("/")
    assert "Cup final tonight" not in front.text and "Engine built" in front.text
    assert front.headers["cache-control"] == "private, no-store"
    assert "Cup final tonight" not in ada.get("/section/world").text
    assert _titles(ada.get("/for-you").text) == ["Floods in the valley"]
    assert "Cup final tonight" in anonymous.get("/").text
    assert "Cup final tonight" in anonymous.get("/section/world").text
    assert "Muted Daily" in ada.get("/following").text.split('id="fg-muted"')[1]
    _follow(ada, "source", "Muted Daily", "unfollow")  # unmuted
    assert "Cup final tonight" in ada.get("/").text


def test_a_reader_s_writes_keep_the_anonymous_page_cache(site: Site) -> None:
    anonymous, ada = _client(site), _client(site, "ada")
    assert anonymous.get("/").headers["x-page-cache"] == "miss"
    assert anonymous.get("/").headers["x-page-cache"] == "hit"
    _follow(ada, "tag", "Climate")
    token = _token(ada, "/")
    ada.post(f"/saved/story/{site.floods}", data={"csrf_token": token, "next": "/"})
    assert anonymous.get("/").headers["x-page-cache"] == "hit"
    assert "x-page-cache" not in ada.get("/").headers  # never from the cache, never kept


def test_save_for_later_from_cards_and_pages(site: Site) -> None:
    ada = _client(site, "ada")
    assert "Nothing saved yet" in ada.get("/saved").text
    refused = ada.post(f"/saved/story/{site.engine}", data={"action": "save"})
    assert refused.status_code == 403
    token = _token(ada, "/")
    saved = ada.post(
        f"/saved/story/{site.engine}", data={"csrf_token": token, "next": "/"}, headers=HX
    )
    assert saved.status_code == 200 and ">Saved</button>" in saved.text
    answer = ada.post(f"/saved/article/{site.floods}", data={"csrf_token": token, "next": "/x"})
    assert answer.status_code == 303 and answer.headers["location"] == "/x"
    assert ada.post("/saved/story/999999", data={"csrf_token": token}).status_code == 404
    page = ada.get("/saved").text
    # newest first: the article saved last, then the story
    assert page.index(f'href="/article/{site.floods}"') < page.index(f'href="/story/{site.engine}"')
    assert ">Saved</button>" in ada.get(f"/story/{site.engine}").text
    assert ">Saved</button>" in ada.get(f"/article/{site.floods}").text
    ada.post(f"/saved/story/{site.engine}", data={"csrf_token": token, "action": "unsave"})
    assert f'href="/story/{site.engine}"' not in ada.get("/saved").text
    # anonymous pages carry no Save button
    assert "/saved/story/" not in _client(site).get(f"/story/{site.engine}").text


def test_read_marks_and_new_since_you_read(site: Site) -> None:
    ada = _client(site, "ada")
    assert "read-mark" not in ada.get("/").text
    assert ada.get(f"/story/{site.engine}").status_code == 200
    ada.get(f"/article/{site.article}")
    front = ada.get("/").text
    assert front.count('class="read-mark"') == 1 and "new since you read" not in front
    assert 'class="read-mark"' in ada.get("/entity/Ada Lovelace").text  # its cards too
    store = site.app.state.newsdesk.store
    with store.transaction(readonly=True) as repo:
        user = repo.user_by_name("ada")
        assert user is not None
        assert repo.read_article_ids(user.id, [site.article]) == {site.article}
    with store.transaction() as repo:  # the story gains coverage after she read it
        late = _article(repo, "Engine built", "Reuters", 0)
        repo.link_article(late, site.engine, similarity=1.0, shared_entities=(), reason="t")
    site.app.state.ranking.expire()  # as news arriving does
    site.app.state.derived.expire()
    front = ada.get("/").text
    assert "1 new since you read" in front and 'class="read-mark"' not in front
    assert "new since you read" not in _client(site, "bob").get("/").text
    ada.get(f"/story/{site.engine}")  # read again: caught up
    assert "new since you read" not in ada.get("/").text


def test_pages_of_a_ranking_stay_whole_around_mutes(site: Site) -> None:
    with site.app.state.newsdesk.store.transaction() as repo:
        for n in range(24):
            _story(repo, f"Filler {n:02}", ["Muted Daily" if n % 6 == 0 else "Wire"])
    site.app.state.ranking.expire()
    anonymous, ada = _client(site), _client(site, "ada")
    everything = _titles(anonymous.get("/").text) + _titles(anonymous.get("/?page=2").text)
    assert len(everything) == 27
    _follow(ada, "source", "Muted Daily", "mute")
    first, second = _titles(ada.get("/").text), _titles(ada.get("/?page=2").text)
    assert len(first) == 20 and 'rel="next"' in ada.get("/").text
    muted = {"Cup final tonight"} | {f"Filler {n:02}" for n in range(0, 24, 6)}
    assert len(second) == 2 and first + second == [t for t in everything if t not in muted]


def test_follow_buttons_on_tag_source_section_and_search_pages(site: Site) -> None:
    ada, anonymous = _client(site, "ada"), _client(site)
    for path, kind, value in (
        ("/tag/Climate", "tag", "Climate"),
        ("/source/DW", "source", "DW"),
        ("/section/world", "section", "World"),
        ("/search?q=valley", "search", "valley"),
    ):
        page = ada.get(path).text
        assert f'name="kind" value="{kind}"' in page, path
        assert f'name="value" value="{value}"' in page, path
        assert "Log in to follow" in anonymous.get(path).text, path
    assert "Log in to follow" not in anonymous.get("/search").text  # no query, nothing to follow
