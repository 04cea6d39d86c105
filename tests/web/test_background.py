"""Polling while serving: the background thread polls a real feed on 127.0.0.1 into a real
SQLite store, survives a failing source, and ends on stop()."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from localserver import LocalServer, reply, running_server
from newsdesk.app import App, build
from newsdesk.config import Settings
from newsdesk.web.background import BackgroundPoller

WAIT = 10.0  # seconds a test waits for the thread before it fails


def feed(server: LocalServer, name: str) -> bytes:
    items = "".join(
        f"<item><title>{name} story {i}</title><link>{server.url(f'/{name}/{i}')}</link>"
        f"<guid>{name}-{i}</guid><description>{name} report number {i}.</description></item>"
        for i in range(3)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
        f"<link>{server.url('/')}</link>{items}</channel></rss>"
    ).encode()


def serve(server: LocalServer, path: str, status: int, body: bytes) -> None:
    def route(h: BaseHTTPRequestHandler) -> None:
        reply(h, status, body, {"Content-Type": "application/rss+xml"})

    server.routes[path] = route


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    settings = Settings(
        db=str(tmp_path / "news.db"),
        allow_private_networks=True,
        per_host_delay=0.0,
        connect_timeout=2.0,
        read_timeout=3.0,
        total_timeout=5.0,
        retries=0,
        workers=1,
        enrich=False,
        fetch_articles=False,
    )
    with build(settings) as built:
        yield built


def wait_for(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def articles(app: App) -> int:
    with app.store.transaction(readonly=True) as repo:
        return repo.stats().articles


def subscribe(app: App, url: str) -> int:
    with app.store.transaction() as repo:
        return repo.upsert_source(url, kind="feed").id


def test_polls_a_feed_into_the_store_and_stops(app: App) -> None:
    with running_server() as server:
        serve(server, "/feed.xml", 200, feed(server, "local"))
        subscribe(app, server.url("/feed.xml"))
        rounds_with_news = []
        worker = BackgroundPoller(app, every=0.1, on_new=lambda: rounds_with_news.append(1))
        worker.start()
        try:
            assert wait_for(lambda: articles(app) == 3), "the feed's articles are stored"
            assert wait_for(lambda: rounds_with_news == [1]), "told once: new articles"
            time.sleep(0.3)  # more rounds, nothing new: not told again
            assert rounds_with_news == [1]
            assert worker.alive
        finally:
            worker.stop()
    assert not worker.alive
    assert server.paths().count("/feed.xml") == 1  # a healthy feed is not due again so soon


def test_a_failing_source_is_logged_and_the_next_round_polls_a_good_one(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="newsdesk.web.poll")
    with running_server() as server:
        serve(server, "/broken.xml", 500, b"internal error")
        serve(server, "/good.xml", 200, feed(server, "good"))
        broken = subscribe(app, server.url("/broken.xml"))
        worker = BackgroundPoller(app, every=0.1)
        worker.start()
        try:
            assert wait_for(lambda: any("broken.xml" in r.getMessage() for r in caplog.records))
            with app.store.transaction(readonly=True) as repo:
                record = repo.get_source(broken)
            assert record.error_count == 1 and record.last_error
            assert "500" in record.last_error and "\n" not in record.last_error
            assert worker.alive, "a failing source does not stop the thread"

            subscribe(app, server.url("/good.xml"))  # due from the next round on
            assert wait_for(lambda: articles(app) == 3), "the good feed is polled next round"
        finally:
            worker.stop()
    assert not worker.alive
    assert server.paths().count("/broken.xml") == 1  # backed off, not hammered every round
    (logged,) = [r for r in caplog.records if "broken.xml" in r.getMessage()]
    assert logged.levelno == logging.WARNING and "500" in logged.getMessage()
