"""The page cache in Redis: two web processes (two apps) serve each other's pages, a write or news
through either shows in both, and Redis going away costs one warning, never a page."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.shared import SharedRedis, news_arrived
from newsdesk.shared.link import RETRY_AFTER
from newsdesk.web.app import create_app
from newsdesk.web.page_cache import PageCache
from newsdesk.web.page_cache_redis import (
    COUNTERS_EVERY,
    NEWS_GRACE,
    SharedPageCache,
    page_cache_for,
)
from support.live import free_port
from support.pages import PagesData
from support.redis_keys import REDIS_URL, fresh_prefix

from .accounts_app import add_user, log_in

pytestmark = pytest.mark.redis
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1
KEY = (b"h", b"/a", b"", b"")


@pytest.fixture
def prefix() -> Iterator[str]:
    with fresh_prefix() as fresh:
        yield fresh


@pytest.fixture
def shared(pages_data: PagesData, prefix: str) -> Settings:
    return pages_data.settings.with_(
        redis_url=REDIS_URL, redis_prefix=prefix, page_cache_backend="redis"
    )


Served = tuple[FastAPI, TestClient]


@pytest.fixture
def two_apps(shared: Settings) -> Iterator[tuple[Served, Served]]:
    """Two web processes' apps over one store and one Redis, each with a running client (its
    event loop outlives a request, as a server's does: background renders finish)."""
    one, two = create_app(shared), create_app(shared)
    with TestClient(one) as first, TestClient(two) as second:
        yield (one, first), (two, second)


def _story_path(client: TestClient) -> str:
    found = re.search(r'href="(/story/\d+)"', client.get("/").text)
    assert found
    return found.group(1)


def test_a_page_rendered_by_one_process_is_served_by_the_other(
    two_apps: tuple[Served, Served],
) -> None:
    (one, first), (_, second) = two_apps
    path = _story_path(first)
    assert first.get(path).headers["x-page-cache"] == "miss"
    other = second.get(path)
    assert other.headers["x-page-cache"] == "hit"
    token = _TOKEN.search(other.text)
    assert token and token.group(1) == second.cookies.get("newsdesk_csrf")  # their own token
    assert one.state.page_cache.placeholder.decode() not in other.text
    assert int(second.get(path, headers={"Accept-Encoding": "identity"}).headers["content-length"])
    api = first.get("/api/v1/stories")
    assert second.get("/api/v1/stories").json() == api.json()


def test_a_write_through_one_process_shows_in_the_other_within_a_tenth_of_a_second(
    two_apps: tuple[Served, Served], pages_data: PagesData
) -> None:
    (one, _), (two, _) = two_apps
    name = f"writer-{uuid.uuid4().hex[:8]}"
    add_user(one, name)
    writer = log_in(one, name)
    path = f"/article/{pages_data.seed_ids[1]}"
    anonymous = TestClient(two)
    anonymous.get(path)
    assert anonymous.get(path).headers["x-page-cache"] == "hit"
    token = _TOKEN.search(writer.get(path).text)
    assert token
    words = f"Seen on every host {uuid.uuid4().hex[:6]}"
    posted = writer.post(
        f"/comments/article/{pages_data.seed_ids[1]}",
        data={"body": words, "next": path, "csrf_token": token.group(1)},
    )
    assert posted.status_code == 200
    time.sleep(COUNTERS_EVERY)  # the other process's near copy is trusted that long at most
    fresh = anonymous.get(path)
    assert fresh.headers["x-page-cache"] == "miss"
    assert words in fresh.text


def test_news_from_any_process_turns_every_kept_page_stale(
    two_apps: tuple[Served, Served], shared: Settings
) -> None:
    (_, first), (_, second) = two_apps
    path = _story_path(first)
    first.get(path)
    assert second.get(path).headers["x-page-cache"] == "hit"
    time.sleep(NEWS_GRACE)  # a page younger than that stays fresh through news
    news_arrived(shared)  # what an ingest in a worker process calls after its commit
    time.sleep(COUNTERS_EVERY)
    assert second.get(path).headers["x-page-cache"] == "stale"  # and it renders again
    states = []
    for _ in range(500):  # the background render lands within a few ms (5 s on a loaded box)
        states.append(first.get(path).headers["x-page-cache"])
        if states[-1] == "hit":
            break
        time.sleep(0.01)
    assert states[-1] == "hit", states  # the other process's new copy


def test_the_shared_cache_keeps_the_memory_caches_windows(prefix: str) -> None:
    now = [1000.0]
    link = SharedRedis(Settings(redis_url=REDIS_URL, redis_prefix=prefix), "page cache")
    cache = SharedPageCache(link, ttl=10, max_bytes=8_000, stale=5, clock=lambda: now[0])
    try:
        cache.put(KEY, 200, [(b"content-type", b"text/html")], b"page")
        page, fresh = cache.lookup(KEY)
        assert fresh and page is not None and page.content() == b"page"
        assert page.headers == ((b"content-type", b"text/html"),)
        now[0] = 1012.0
        page, fresh = cache.lookup(KEY)
        assert page is not None and not fresh  # past its ttl: served while it renders again
        now[0] = 1015.0
        assert cache.lookup(KEY) == (None, False)
        cache.put(KEY, 200, [], b"page")
        cache.expire_all()
        assert cache.lookup(KEY)[1]  # just rendered: news waits for the next render
        now[0] += NEWS_GRACE
        page, fresh = cache.lookup(KEY)
        assert page is not None and not fresh
        cache.clear()
        assert cache.lookup(KEY) == (None, False)
        cache.put((b"h", b"/big", b"", b""), 200, [], os.urandom(1_100))  # over 1/8: not kept
        assert cache.lookup((b"h", b"/big", b"", b"")) == (None, False)
        link.client.set(cache._key(KEY), b"not a page")  # another version's value
        assert cache.lookup(KEY) == (None, False)
    finally:
        link.close()


def test_near_copies_are_served_while_the_counters_are_recent(prefix: str) -> None:
    settings = Settings(redis_url=REDIS_URL, redis_prefix=prefix)
    links = [SharedRedis(settings, "page cache") for _ in range(2)]
    one, two = (
        SharedPageCache(link, ttl=30, max_bytes=1 << 20, counters_every=1.0) for link in links
    )
    try:
        one.put(KEY, 200, [], b"page")
        assert two.lookup(KEY)[1] and len(two.near) == 1  # read from Redis, kept near
        one.clear()  # a write in the first process: its own view changes at once
        assert one.lookup(KEY) == (None, False)
        page, fresh = two.lookup(KEY)  # the second trusts what it read a moment ago
        assert fresh and page is not None and page.content() == b"page"
        time.sleep(1.0)
        assert two.lookup(KEY) == (None, False)  # then reads the counters again
        assert len(two.near) == 0
    finally:
        for link in links:
            link.close()


def test_a_refresh_takes_the_copy_another_process_rendered(prefix: str) -> None:
    now = [1000.0]
    settings = Settings(redis_url=REDIS_URL, redis_prefix=prefix)
    links = [SharedRedis(settings, "page cache") for _ in range(2)]
    one, two = (
        SharedPageCache(link, ttl=30, max_bytes=1 << 20, clock=lambda: now[0]) for link in links
    )
    try:
        one.put(KEY, 200, [], b"old page")
        assert two.lookup(KEY)[1]
        now[0] += NEWS_GRACE
        one.expire_all()  # news: both copies are stale now
        assert two.renewed(KEY) is None  # nothing newer yet: the refresh renders it
        one.put(KEY, 200, [], b"new page")  # the first process rendered it again
        page = two.renewed(KEY)
        assert page is not None and page.content() == b"new page"  # no render needed here
        assert two.near.get(KEY) is not None
        assert PageCache(30, 1 << 20).renewed(KEY) is None  # one process: always render
    finally:
        for link in links:
            link.close()


def test_kept_pages_expire_in_redis_after_ttl_plus_stale(prefix: str) -> None:
    link = SharedRedis(Settings(redis_url=REDIS_URL, redis_prefix=prefix), "page cache")
    cache = SharedPageCache(link, ttl=30, max_bytes=1 << 20, stale=300)
    try:
        cache.put(KEY, 200, [], b"page")
        assert 329_000 < link.client.pttl(cache._key(KEY)) <= 330_000
    finally:
        link.close()


def test_settings_choose_the_cache_and_say_what_is_wrong() -> None:
    assert isinstance(page_cache_for(Settings()), PageCache)
    with pytest.raises(ConfigError, match="NEWSDESK_PAGE_CACHE_BACKEND='disk' is not one of"):
        page_cache_for(Settings(page_cache_backend="disk"))
    with pytest.raises(ConfigError, match="needs NEWSDESK_REDIS_URL"):
        page_cache_for(Settings(page_cache_backend="redis"))
    with pytest.raises(ConfigError, match=r"NEWSDESK_REDIS_URL='http://x:\*\*\*@h'") as err:
        page_cache_for(Settings(page_cache_backend="redis", redis_url="http://x:secret@h"))
    assert "\n" not in str(err.value) and "secret" not in str(err.value)


def test_redis_down_costs_one_warning_and_pages_are_kept_per_process(
    pages_data: PagesData, caplog: pytest.LogCaptureFixture
) -> None:
    settings = pages_data.settings.with_(redis_url=NOWHERE, page_cache_backend="redis")
    with (
        caplog.at_level(logging.WARNING, logger="newsdesk.shared"),
        TestClient(create_app(settings)) as client,
    ):
        path = _story_path(client)
        states = [client.get(path).headers["x-page-cache"] for _ in range(3)]
    assert states[-1] == "hit"  # this process's own memory meanwhile
    warnings = [r.getMessage() for r in caplog.records if r.name == "newsdesk.shared"]
    assert len(warnings) == 1, warnings
    assert "redis://127.0.0.1:1/0 failed" in warnings[0] and "page cache" in warnings[0]


def _redis_server(port: int, folder: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise AssertionError("redis-server did not start within 5 s")


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server program")
def test_an_outage_falls_back_and_what_it_missed_is_passed_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A Redis of the test's own, stopped and started again: the pages meanwhile are this
    process's, and a write seen meanwhile drops every kept page once Redis is back."""
    port = free_port()
    now = [0.0]
    settings = Settings(redis_url=f"redis://127.0.0.1:{port}/0")
    link = SharedRedis(settings, "page cache", timeout=0.5, clock=lambda: now[0])
    cache = SharedPageCache(link, ttl=30, max_bytes=1 << 20)
    server = _redis_server(port, tmp_path)
    try:
        cache.put(KEY, 200, [], b"shared page")
        assert cache.lookup(KEY)[1]
        server.terminate()
        server.wait(10)
        time.sleep(COUNTERS_EVERY)  # past the near copy's trust
        with caplog.at_level(logging.WARNING, logger="newsdesk.shared"):
            assert cache.lookup(KEY) == (None, False)  # the local cache is empty
            cache.clear()  # a write meanwhile
            cache.put(KEY, 200, [], b"local page")
            page, fresh = cache.lookup(KEY)
            assert fresh and page is not None and page.content() == b"local page"
            server = _redis_server(port, tmp_path)  # empty: nothing was saved
            now[0] += RETRY_AFTER
            assert cache.lookup(KEY) == (None, False)  # Redis again: the shared (empty) one
        assert link.client.get(link.key("pages:epoch")) == b"1"  # the write, passed on
        messages = [r.getMessage() for r in caplog.records if r.name == "newsdesk.shared"]
        assert len(messages) == 2 and "failed" in messages[0] and "answers again" in messages[1]
    finally:
        link.close()
        server.terminate()
        server.wait(10)
