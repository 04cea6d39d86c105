"""Hostile sources end to end: each poll fails in one clear line; the store keeps everything."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler

import pytest

from localserver import gzip_bomb, peer_closed, reply, running_server, stream_chunked
from newsdesk.app import App
from newsdesk.config import Settings
from newsdesk.fetch import AddressPolicy, Fetcher
from newsdesk.pipeline import Poller

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
MiB = 1024 * 1024
GOOD_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>
<item><title>One</title><link>https://news.example/1</link><description>First.</description></item>
<item><title>Two</title><link>https://news.example/2</link><description>Second.</description></item>
</channel></rss>"""
Route = Callable[[BaseHTTPRequestHandler], None]


def bomb(h: BaseHTTPRequestHandler) -> None:
    stream_chunked(
        h, gzip_bomb(), {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}
    )


def two_gigabytes(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", str(2 * 1024 * MiB))
    h.end_headers()
    for _ in range(2048):
        try:
            h.wfile.write(bytes(MiB))
        except OSError:
            return


def endless(h: BaseHTTPRequestHandler) -> None:
    stream_chunked(h, (b"<item>" * 10_000 for _ in range(100_000)), {"Content-Type": "text/xml"})


def drip(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "1000")
    h.end_headers()
    for _ in range(20):
        try:
            h.wfile.write(b"<")
            h.wfile.flush()
        except OSError:
            return
        if peer_closed(h, 1.0):
            return


def loop(h: BaseHTTPRequestHandler) -> None:
    reply(h, 302, b"", {"Location": "/feed.xml"})


def to_private(h: BaseHTTPRequestHandler) -> None:
    reply(h, 302, b"", {"Location": "http://10.0.0.1/feed.xml"})


def fixed(body: bytes) -> Route:
    return lambda h: reply(h, 200, body, {"Content-Type": "application/rss+xml"})


HOSTILE: dict[str, Route] = {
    "not-xml": fixed(b"\x00\x01\x02 this is not a feed \xff\xfe"),
    "html-page": fixed(b"<html><body><p>Down for maintenance</p></body></html>"),
    "dtd": fixed(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<rss version='2.0'><channel><title>&b;</title></channel></rss>"
    ),
    "external-entity": fixed(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss version='2.0'><channel><title>&x;</title></channel></rss>"
    ),
    "gzip-bomb": bomb,
    "two-gigabytes": two_gigabytes,
    "endless": endless,
    "one-byte-per-second": drip,
    "redirect-loop": loop,
    "redirect-to-private": to_private,
    "server-error": lambda h: reply(h, 500, b"oops"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_feed_fails_cleanly_and_store_is_intact(
    app: App, settings: Settings, name: str
) -> None:
    closed = settings.with_(allow_private_networks=False, total_timeout=1.5, max_bytes=MiB)
    loopback_only = AddressPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    with running_server() as server, Fetcher(closed, policy=loopback_only) as fetcher:
        server.routes["/feed.xml"] = fixed(GOOD_FEED)
        poller = Poller(closed.with_(fetch_articles=False), app.store, fetcher, app.ingestor)
        with app.store.transaction() as repo:
            source = repo.upsert_source(server.url("/feed.xml"))
        good = poller.poll(source, NOW)
        assert good.error is None and good.report.counts["new"] == 2

        server.routes["/feed.xml"] = HOSTILE[name]
        bad = poller.poll(good.source, NOW + timedelta(hours=1))

    assert bad.error, "a hostile answer is an error"
    assert "\n" not in bad.error and len(bad.error) < 400
    assert bad.source.error_count == 1 and bad.source.last_error == bad.error
    assert bad.source.next_check and bad.source.next_check > NOW + timedelta(hours=1)
    with app.store.transaction() as repo:
        stats = repo.stats()
        assert (stats.articles, stats.sightings) == (2, 2)
        titles = sorted(a.title for a, _ in repo.iter_articles())
    assert titles == ["One", "Two"]
