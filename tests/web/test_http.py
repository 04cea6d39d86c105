"""HTTP as a client sees it: compressed answers, fingerprinted static files kept for a year,
conditional GETs of the feeds, Retry-After on every 429 and 503, and a 503 (not a hang) when
every store connection is busy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from newsdesk.accounts import hash_password, token_hash
from newsdesk.dates import utcnow
from newsdesk.store import dialect
from newsdesk.web.app import create_app
from newsdesk.web.comments import RATE_LIMIT
from newsdesk.web.static_files import IMMUTABLE, STATIC_DIR
from newsdesk.web.store_slots import slots_of
from support.pages import PagesData

from .accounts_app import PASSWORD

TOKEN = "http-test-token-0123456789abcdef"
_STYLESHEET = re.compile(r'href="(/static/site\.([0-9a-f]{12})\.css)"')


@pytest.fixture
def app(pages_data: PagesData) -> Iterator[FastAPI]:
    built = create_app(pages_data.settings)
    with TestClient(built):
        yield built


def test_pages_api_and_feeds_are_compressed(app: FastAPI, pages_data: PagesData) -> None:
    client = TestClient(app)
    for path in ("/", f"/article/{pages_data.seed_ids[0]}", "/api/v1/stories", "/feeds/front.atom"):
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        packed = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert plain.status_code == packed.status_code == 200, path
        assert "content-encoding" not in plain.headers
        assert packed.headers["content-encoding"] == "gzip", path
        assert "accept-encoding" in packed.headers["vary"].lower()
        sent = int(packed.headers["content-length"])
        assert sent < len(plain.content) / 2, (path, sent, len(plain.content))
        assert packed.content == plain.content or path == "/"  # the front page has a token


def test_static_files_have_fingerprinted_names_kept_a_year(app: FastAPI) -> None:
    client = TestClient(app)
    found = _STYLESHEET.search(client.get("/").text)
    assert found, "the page links its stylesheet by a fingerprinted name"
    css = client.get(found.group(1))
    assert css.status_code == 200
    assert css.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert css.content == (STATIC_DIR / "site.css").read_bytes()
    assert '"/static/site.css"' not in client.get("/").text
    assert re.search(r'src="/static/htmx\.min\.[0-9a-f]{12}\.js"', client.get("/").text)
    # An old fingerprint still gets the file, but no promise that it never changes.
    stale = client.get("/static/site.000000000000.css")
    assert stale.status_code == 200 and stale.headers["cache-control"] == "public, no-cache"
    assert client.get("/static/site.css").headers["cache-control"] == "public, no-cache"
    assert client.get("/static/nothing.000000000000.css").status_code == 404


@pytest.mark.parametrize("path", ["/feeds/front.atom", "/feeds/tag/Ukraine.atom"])
def test_feeds_answer_conditional_gets(app: FastAPI, path: str) -> None:
    client = TestClient(app)
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"')
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        for _ in range(2):  # rendered, then served from the page cache
            again = client.get(path, headers=headers)
            assert again.status_code == 304, headers
            assert again.content == b""
            assert again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(path, headers={"If-Modified-Since": old}).status_code == 200
    # If-None-Match decides when both are sent.
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(path, headers=both).status_code == 200


def test_every_429_says_when_to_come_back(app: FastAPI, pages_data: PagesData) -> None:
    with app.state.newsdesk.store.transaction() as repo:
        user = repo.create_user("talker", hash_password(PASSWORD), "member", utcnow())
        repo.create_api_token(token_hash(TOKEN), user.id, "test", utcnow())
    client = TestClient(app)
    comment = {"kind": "article", "target_id": pages_data.seed_ids[0], "body": "Noted."}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answers = [client.post("/api/v1/comments", json=comment, headers=auth) for _ in range(6)]
    assert [a.status_code for a in answers] == [201] * RATE_LIMIT + [429]
    assert int(answers[-1].headers["retry-after"]) >= 1
    for _ in range(12):  # wrong passwords until the account name is locked
        login = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        assert token
        answer = client.post(
            "/login", data={"name": "talker", "password": "wrong", "csrf_token": token.group(1)}
        )
        if answer.status_code == 429:
            break
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) >= 1


def test_an_exhausted_pool_answers_503_not_a_hang(
    pages_data: PagesData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small pool that gives up quickly: every connection held, a request waits 0.3 s.
    monkeypatch.setitem(dialect.POOL, "pool_size", 2)
    monkeypatch.setitem(dialect.POOL, "max_overflow", 0)
    monkeypatch.setitem(dialect.POOL, "pool_timeout", 0.3)
    built = create_app(pages_data.settings.with_(page_cache_seconds=0))
    with TestClient(built) as client:
        engine = built.state.newsdesk.store.engine
        held = [engine.connect() for _ in range(2)]
        try:
            api = client.get("/api/v1/stories")
            page = client.get("/")
        finally:
            for conn in held:
                conn.close()
        assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
        assert page.status_code == 503
        assert int(api.headers["retry-after"]) >= 1 and int(page.headers["retry-after"]) >= 1
        assert client.get("/api/v1/stories").status_code == 200  # and serves again at once


def test_requests_hold_no_more_connections_than_the_pool_keeps(app: FastAPI) -> None:
    """Under load the requests reuse kept connections: a request holding an overflow one would
    open and close a connection every time (as many as the overflow stay for writers)."""
    with TestClient(app):
        slots = slots_of(app)
        assert slots.size == dialect.POOL["pool_size"]
        assert slots.size + dialect.POOL_OVERFLOW == app.state.newsdesk.store.max_connections
