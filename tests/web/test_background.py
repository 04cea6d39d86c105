"""Polling while serving: the background thread polls a real feed on 127.0.0.1 into a real
SQLite store, survives a failing source, and ends on stop()."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from localserver import loopback_settings, rss, running_server, serve_feed
from newsdesk.app import App, build
from newsdesk.web.background import BackgroundPoller

WAIT = 10.0  # seconds a test waits for the thread before it fails


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    settings = loopback_settings(db=str(tmp_path / "news.db"), fetch_articles=False)
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
        serve_feed(server, "/feed.xml", 200, rss(server, "local"))
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
    caplog.set_level(logging.WARNING, logger="newsdesk")
    with running_server() as server:
        serve_feed(server, "/broken.xml", 500, b"internal error")
        serve_feed(server, "/good.xml", 200, rss(server, "good"))
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
