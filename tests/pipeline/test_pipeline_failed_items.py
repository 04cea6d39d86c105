"""Failed items in polling: a feed item whose page fails is recorded each poll, held back after
item_attempts failures (its page no longer asked for), cleared once it is stored, and retried
by hand through the local ingestor."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from localserver import LocalServer, reply, running_server
from newsdesk.app import App
from newsdesk.models import SourceRecord
from newsdesk.pipeline.failures import run_again
from newsdesk.pipeline.job_codec import load_job
from newsdesk.pipeline.prepare import ItemJob

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "sample" / "pages").glob("*.gz"))
PAGE, OTHER_PAGE = (gzip.decompress(p.read_bytes()) for p in SAMPLES[:2])
BROKEN = b"<html><head><title>Oops</title></head><body><p>Come back later.</p></body></html>"
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)


def _feed(server: LocalServer) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{server.url(f'/a/{i}')}</link>"
        f"<guid>story-{i}</guid><description>Teaser {i}.</description></item>"
        for i in range(2)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Local News</title>'
    return f"{head}{items}</channel></rss>".encode()


def _serve(server: LocalServer, page1: bytes | None) -> None:
    """The feed, a good page /a/0 and /a/1 as given (None: a 404)."""
    feed = _feed(server)
    server.routes["/feed.xml"] = lambda h: reply(
        h, 200, feed, {"Content-Type": "application/rss+xml"}
    )
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.routes["/a/0"] = lambda h: reply(h, 200, PAGE, html)
    if page1 is None:
        server.routes.pop("/a/1", None)
    else:

        def route(h: BaseHTTPRequestHandler, body: bytes = page1) -> None:
            reply(h, 200, body, html)

        server.routes["/a/1"] = route


def _poll(app: App, source: SourceRecord, hours: int) -> SourceRecord:
    result = app.poller.poll(source, NOW + timedelta(hours=hours))
    assert result.error is None, result.error
    return result.source


def _asked(server: LocalServer, path: str) -> int:
    return server.paths().count(path)


def test_a_page_that_fails_three_times_is_held_back_then_retried_by_hand(app: App) -> None:
    attempts = app.settings.item_attempts
    with running_server() as server:
        _serve(server, BROKEN)
        with app.store.transaction() as repo:
            source = repo.upsert_source(server.url("/feed.xml"))
        for hour in range(attempts):
            source = _poll(app, source, hour)
            with app.store.transaction(readonly=True) as repo:
                [item] = repo.failed_items()
            assert item.attempts == hour + 1
        assert item.url == server.url("/a/1") and item.source_id == source.id
        assert item.reason.startswith("extract: ") and "\n" not in item.reason
        job = load_job(item.payload)
        assert isinstance(job, ItemJob) and job.item.url == server.url("/a/1")
        asked = _asked(server, "/a/1")

        source = _poll(app, source, attempts)  # held back: its page is not asked for again
        assert _asked(server, "/a/1") == asked
        with app.store.transaction(readonly=True) as repo:
            assert repo.failed_items()[0].attempts == attempts
            assert repo.stats().articles == 1  # /a/0, stored once, nothing lost

        retried = run_again(app.poller, item)  # still broken: one more attempt, still held
        assert not retried.ok and f"failed again ({attempts + 1} attempts)" in retried.message

        _serve(server, OTHER_PAGE)
        retried = run_again(app.poller, item)
    assert retried.ok, retried.message
    assert retried.message.startswith(f"#{item.id} {item.url} stored: ")
    with app.store.transaction(readonly=True) as repo:
        assert repo.count_failed_items() == 0
        assert repo.stats().articles == 2


def test_an_item_that_succeeds_later_clears_its_record(app: App) -> None:
    with running_server() as server:
        _serve(server, BROKEN)
        with app.store.transaction() as repo:
            source = repo.upsert_source(server.url("/feed.xml"))
        source = _poll(app, source, 0)
        with app.store.transaction(readonly=True) as repo:
            assert repo.count_failed_items() == 1
        _serve(server, OTHER_PAGE)
        _poll(app, source, 1)
    with app.store.transaction(readonly=True) as repo:
        assert repo.count_failed_items() == 0
        assert repo.stats().articles == 2


def test_an_unfetchable_page_keeps_the_feed_text_and_is_recorded(app: App) -> None:
    with running_server() as server:
        _serve(server, None)  # /a/1 answers 404
        with app.store.transaction() as repo:
            source = repo.upsert_source(server.url("/feed.xml"))
        for hour in range(app.settings.item_attempts + 1):
            source = _poll(app, source, hour)
        asked = _asked(server, "/a/1")
    assert asked == app.settings.item_attempts  # then held back
    with app.store.transaction(readonly=True) as repo:
        [item] = repo.failed_items()
        texts = sorted(a.text[:9] for a, _ in repo.iter_articles())
    assert item.attempts == app.settings.item_attempts
    assert item.reason.startswith("page not fetched: ") and "404" in item.reason
    assert item.reason.endswith("the feed's text was kept")
    assert "Teaser 1." in texts  # stored from the feed on the first poll
