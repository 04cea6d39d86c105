"""Polling a feed from a real server on 127.0.0.1: teaser pages fetched, 304s, errors recorded."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from localserver import LocalServer, reply, running_server
from newsdesk.app import App

PAGES = sorted((Path(__file__).resolve().parents[2] / "data" / "sample" / "pages").glob("*.gz"))
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)


def feed_xml(server: LocalServer, n: int) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{server.url(f'/a/{i}')}</link>"
        f"<guid>story-{i}</guid><description>Teaser {i}.</description>"
        f"<pubDate>Tue, 03 Jun 2025 0{i}:00:00 GMT</pubDate></item>"
        for i in range(n)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local News</title>'
        f"<link>{server.url('/')}</link>{items}</channel></rss>"
    ).encode()


def serve_feed(server: LocalServer, body: bytes, etag: str | None) -> None:
    def route(h: BaseHTTPRequestHandler) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            reply(h, 304, b"", {"ETag": etag})
            return
        headers = {"Content-Type": "application/rss+xml"}
        if etag:
            headers["ETag"] = etag
        reply(h, 200, body, headers)

    server.routes["/feed.xml"] = route


def serve_pages(server: LocalServer, n: int) -> None:
    for i in range(n):
        html = gzip.decompress(PAGES[i].read_bytes())

        def route(h: BaseHTTPRequestHandler, html: bytes = html) -> None:
            reply(h, 200, html, {"Content-Type": "text/html; charset=utf-8"})

        server.routes[f"/a/{i}"] = route


def test_poll_fetches_pages_then_304_then_error_keeps_articles(app: App) -> None:
    with running_server() as server:
        serve_feed(server, feed_xml(server, 3), etag='"v1"')
        serve_pages(server, 3)
        with app.store.transaction() as repo:
            source = repo.upsert_source(server.url("/feed.xml"), kind="feed")
        poller = app.poller

        first = poller.poll(source, NOW)
        assert first.error is None, first.error
        assert first.report.counts["new"] == 3
        assert first.source.etag == '"v1"' and first.source.error_count == 0
        assert first.source.title == "Local News"
        assert {"/a/0", "/a/1", "/a/2"} <= set(server.paths())
        with app.store.transaction() as repo:
            texts = [a.text for a, _ in repo.iter_articles()]
        assert all(len(t.split()) > 50 for t in texts), "full pages, not teasers"

        second = poller.poll(first.source, NOW + timedelta(hours=1))
        assert second.not_modified and second.report.counts["new"] == 0

        serve_feed(server, b"<html><body>maintenance</body></html>", etag=None)
        third = poller.poll(second.source, NOW + timedelta(hours=2))
        assert third.error and "\n" not in third.error
        assert third.source.error_count == 1
        assert third.source.last_error == third.error
        assert third.source.next_check and third.source.next_check > NOW + timedelta(hours=2)
        with app.store.transaction() as repo:
            assert repo.stats().articles == 3


def test_unreachable_article_page_keeps_feed_text(app: App) -> None:
    with running_server() as server:
        serve_feed(server, feed_xml(server, 2), etag=None)  # no /a/* routes: 404s
        with app.store.transaction() as repo:
            source = repo.upsert_source(server.url("/feed.xml"), kind="feed")
        result = app.poller.poll(source, NOW)
    assert result.report.counts["new"] == 2
    with app.store.transaction() as repo:
        texts = sorted(a.text for a, _ in repo.iter_articles())
    assert texts == ["Teaser 0.", "Teaser 1."]
