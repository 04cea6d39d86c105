"""Kept pages for anonymous readers: each reader's own CSRF token, logged-in readers and writes
never see a stale page, and nothing unsafe is ever kept or replayed."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from newsdesk.web.app import create_app
from newsdesk.web.page_cache import PageCache, PageCacheMiddleware
from support.pages import PagesData

from .accounts_app import add_user, log_in

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(pages_data: PagesData) -> Iterator[FastAPI]:
    built = create_app(pages_data.settings)
    with TestClient(built):  # runs the lifespan: app.state.newsdesk
        yield built


def _story_path(client: TestClient) -> str:
    found = re.search(r'href="(/story/\d+)"', client.get("/").text)
    assert found
    return found.group(1)


def test_second_anonymous_read_is_kept_and_carries_the_readers_own_token(app: FastAPI) -> None:
    first, second = TestClient(app), TestClient(app)
    path = _story_path(first)
    one = first.get(path)
    again = first.get(path)
    other = second.get(path)
    assert one.headers["x-page-cache"] == "miss"
    assert again.headers["x-page-cache"] == other.headers["x-page-cache"] == "hit"
    mine, theirs = _TOKEN.search(again.text), _TOKEN.search(other.text)
    assert mine and theirs and mine.group(1) != theirs.group(1)
    assert mine.group(1) == first.cookies.get("newsdesk_csrf")
    assert theirs.group(1) == second.cookies.get("newsdesk_csrf")
    assert app.state.page_cache.placeholder.decode() not in other.text
    plain = second.get(path, headers={"Accept-Encoding": "identity"})  # the length as sent
    assert int(plain.headers["content-length"]) == len(plain.content)
    assert other.headers["content-encoding"] == "gzip"
    # The kept page's form works for the second reader: their token, their cookie.
    asked = second.post(f"{path}/ask", data={"q": "What happened?", "csrf_token": theirs.group(1)})
    assert asked.status_code == 200
    # Security headers are on kept pages too.
    assert "frame-ancestors 'none'" in other.headers["content-security-policy"]


def test_logged_in_readers_always_get_a_fresh_page(app: FastAPI) -> None:
    add_user(app, "reader")
    anonymous = TestClient(app)
    path = _story_path(anonymous)
    anonymous.get(path)
    reader = log_in(app, "reader")
    page = reader.get(path)
    assert "x-page-cache" not in page.headers
    assert "reader" in page.text  # their name in the header, not the anonymous copy


def test_a_comment_shows_at_once_to_anonymous_readers(app: FastAPI, pages_data: PagesData) -> None:
    add_user(app, "writer")
    path = f"/article/{pages_data.seed_ids[0]}"
    anonymous = TestClient(app)
    anonymous.get(path)
    assert anonymous.get(path).headers["x-page-cache"] == "hit"
    writer = log_in(app, "writer")
    token = _TOKEN.search(writer.get(path).text)
    assert token
    posted = writer.post(
        f"/comments/article/{pages_data.seed_ids[0]}",
        data={"body": "Kept pages must not hide me", "next": path, "csrf_token": token.group(1)},
    )
    assert posted.status_code == 200
    fresh = anonymous.get(path)
    assert fresh.headers["x-page-cache"] == "miss"
    assert "Kept pages must not hide me" in fresh.text


def test_a_hostile_token_cookie_is_never_pasted_into_a_kept_page(app: FastAPI) -> None:
    client = TestClient(app)
    path = _story_path(client)
    client.get(path)
    hostile = TestClient(app, headers={"cookie": "newsdesk_csrf=<script>alert(1)</script>"})
    page = hostile.get(path)
    assert "x-page-cache" not in page.headers  # rendered, escaped by the templates
    assert "<script>alert(1)</script>" not in page.text


def test_errors_credentials_and_other_paths_are_not_kept(app: FastAPI) -> None:
    client = TestClient(app)
    assert client.get("/story/999999999").headers.get("x-page-cache") == "miss"
    assert client.get("/story/999999999").headers.get("x-page-cache") == "miss"
    client.get("/login")
    login = client.get("/login")  # anonymous, but a form page: private, never kept
    assert login.headers["cache-control"] == "private, no-store"
    assert login.headers.get("x-page-cache") != "hit"
    bearer = {"Authorization": "Bearer nope"}
    assert "x-page-cache" not in client.get("/api/v1/stories", headers=bearer).headers
    client.get("/api/v1/stories")
    assert client.get("/api/v1/stories").headers["x-page-cache"] == "hit"


def test_turned_off_by_settings(pages_data: PagesData) -> None:
    built = create_app(pages_data.settings.with_(page_cache_seconds=0))
    with TestClient(built) as client:
        client.get("/")
        assert "x-page-cache" not in client.get("/").headers


def test_pages_expire_and_the_byte_budget_holds() -> None:
    now = [0.0]
    cache = PageCache(ttl=30, max_bytes=8_000, stale=0, clock=lambda: now[0])
    key = (b"h", b"/a", b"", b"")
    cache.put(key, 200, [], os.urandom(900))  # incompressible: 900 bytes kept
    assert cache.get(key) is not None
    now[0] = 30.0
    assert cache.get(key) is None  # expired
    for n in range(20):
        cache.put((b"h", f"/{n}".encode(), b"", b""), 200, [], os.urandom(900))
    assert len(cache) == 8  # 8 x ~910 bytes fit in 8,000; the oldest went first
    assert cache.get((b"h", b"/0", b"", b"")) is None
    assert cache.get((b"h", b"/19", b"", b"")) is not None
    cache.put((b"h", b"/big", b"", b""), 200, [], os.urandom(1_001))  # over 1/8 of the budget
    assert cache.get((b"h", b"/big", b"", b"")) is None


def test_readers_arriving_during_a_render_wait_for_it(app: FastAPI) -> None:
    path = _story_path(TestClient(app))

    async def burst() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            answers = await asyncio.gather(*(client.get(path) for _ in range(20)))
        assert all(a.status_code == 200 for a in answers)
        return [a.headers["x-page-cache"] for a in answers]

    app.state.page_cache.clear()
    # A thread of its own: a session-wide browser test may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        states = pool.submit(asyncio.run, burst()).result(timeout=60)
    assert states.count("miss") == 1, states  # one render served all twenty


def test_an_expired_page_is_served_once_more_while_it_renders_again(
    pages_data: PagesData,
) -> None:
    built = create_app(
        pages_data.settings.with_(page_cache_seconds=0.3, page_cache_stale_seconds=0.3)
    )
    with TestClient(built) as client:
        path = _story_path(client)
        assert client.get(path).headers["x-page-cache"] == "miss"
        time.sleep(0.4)  # past its ttl, within the stale window
        assert client.get(path).headers["x-page-cache"] == "stale"
        states = []
        for _ in range(50):  # the background render lands within a few ms
            states.append(client.get(path).headers["x-page-cache"])
            if states[-1] == "hit":
                break
            time.sleep(0.005)
        assert states[-1] == "hit", states
        time.sleep(0.7)  # past ttl + stale: rendered while the reader waits
        assert client.get(path).headers["x-page-cache"] == "miss"


def test_staleness_window() -> None:
    now = [0.0]
    cache = PageCache(ttl=10, max_bytes=8_000, stale=5, clock=lambda: now[0])
    key = (b"h", b"/a", b"", b"")
    cache.put(key, 200, [], b"page")
    assert cache.lookup(key)[1] is True
    now[0] = 12.0
    page, fresh = cache.lookup(key)
    assert page is not None and not fresh and cache.get(key) is None
    now[0] = 15.0
    assert cache.lookup(key) == (None, False)


def test_news_makes_every_kept_page_stale_at_once() -> None:
    cache = PageCache(ttl=30, max_bytes=8_000, clock=lambda: 0.0)
    key = (b"h", b"/", b"", b"")
    cache.put(key, 200, [], b"front page")
    cache.expire_all()
    page, fresh = cache.lookup(key)
    assert page is not None and not fresh  # served once more while it renders again
    cache.put(key, 200, [], b"new front page")
    assert cache.get(key) is not None


def test_pages_are_kept_compressed_and_come_back_whole() -> None:
    cache = PageCache(ttl=30, max_bytes=1 << 20)
    html = b"<p>" + b"The same wire story, word for word. " * 500 + b"</p>"
    cache.put((b"h", b"/a", b"", b""), 200, [], html)
    page = cache.get((b"h", b"/a", b"", b""))
    assert page is not None and page.content() == html
    assert len(page.body) < len(html) // 4


def test_only_answers_that_declare_themselves_public_are_kept() -> None:
    """What is kept follows the answer's Cache-Control, whatever its path."""
    inner = FastAPI()

    @inner.get("/anywhere/{n}")
    def anywhere(n: int) -> Response:
        return JSONResponse({"n": n}, headers={"Cache-Control": "public, max-age=30"})

    @inner.get("/story/{n}")
    def personal(n: int) -> Response:
        return JSONResponse({"n": n}, headers={"Cache-Control": "private, max-age=30"})

    @inner.get("/article/{n}")
    def undeclared(n: int) -> Response:
        return JSONResponse({"n": n})

    @inner.get("/feeds/{n}")
    def public_but_no_store(n: int) -> Response:
        return JSONResponse({"n": n}, headers={"Cache-Control": "public, no-store"})

    cache = PageCache(ttl=30, max_bytes=1 << 20)

    async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
        scope.setdefault("state", {}).update(user=None, csrf_secret="")
        await kept(scope, receive, send)

    kept = PageCacheMiddleware(inner, cache=cache)
    client = TestClient(with_state)
    statuses = {}
    for path in ("/anywhere/1", "/story/1", "/article/1", "/feeds/1"):
        client.get(path)
        statuses[path] = client.get(path).headers.get("x-page-cache")
    assert statuses == {
        "/anywhere/1": "hit",
        "/story/1": "miss",
        "/article/1": "miss",
        "/feeds/1": "miss",
    }
    assert len(cache) == 1


def test_reading_pages_are_public_and_personal_ones_private(app: FastAPI) -> None:
    add_user(app, "member")
    anonymous = TestClient(app)
    path = _story_path(anonymous)
    assert anonymous.get(path).headers["cache-control"] == "public, no-cache"  # form tokens
    assert anonymous.get("/api/v1/stories").headers["cache-control"] == "public, max-age=30"
    assert anonymous.get("/feeds/front.atom").headers["cache-control"].startswith("public")
    member = log_in(app, "member")
    assert member.get(path).headers["cache-control"] == "private, no-store"
    assert member.get("/admin/sources").headers["cache-control"] == "private, no-store"
    assert anonymous.get("/story/999999999").headers["cache-control"] == "private, no-store"
