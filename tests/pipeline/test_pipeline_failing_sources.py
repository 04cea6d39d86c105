"""One bad source never stops the others: refused redirects and faulty items are recorded on
their source with backoff, a slow source cannot hold a round past its budget, and Retry-After
is honoured by scheduling, not by sleeping. Real servers on 127.0.0.1, a real SQLite store."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from localserver import (
    LocalServer,
    Route,
    loopback_settings,
    peer_closed,
    reply,
    rss,
    running_server,
)
from newsdesk.app import App, build
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.fetch import AddressPolicy, Fetcher
from newsdesk.pipeline import Poller
from newsdesk.web.background import BackgroundPoller

ODD_TARGETS = ["javascript:alert(1)", "data:text/xml,<rss/>", "feed:http://example.com/x.xml"]
HOLD = 30.0  # seconds a slow route would hold a request; the budgets below are far shorter


def feed_route(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        reply(h, status, body, {"Content-Type": "application/rss+xml", **(headers or {})})

    return route


def subscribe(app: App, *urls: str) -> list[int]:
    with app.store.transaction() as repo:
        return [repo.upsert_source(url, kind="feed").id for url in urls]


def articles(app: App) -> int:
    with app.store.transaction(readonly=True) as repo:
        return repo.stats().articles


def guarded_poller(
    app: App, settings: Settings, sleep: Callable[[float], None] = time.sleep
) -> Poller:
    """A Poller whose fetcher has the SSRF guard on, opened only to loopback (the test server)."""
    guarded = settings.with_(allow_private_networks=False)
    policy = AddressPolicy.from_settings(guarded, allowed_networks=["127.0.0.0/8"])
    fetcher = Fetcher(guarded, policy=policy, sleep=sleep)
    return Poller(guarded, app.store, fetcher, app.ingestor)


@pytest.mark.parametrize("target", ODD_TARGETS)
def test_a_redirect_to_another_scheme_is_recorded_and_the_round_goes_on(
    app: App, settings: Settings, target: str
) -> None:
    with running_server() as server:
        server.routes["/bad.xml"] = lambda h: reply(h, 302, b"", {"Location": target})
        server.routes["/good.xml"] = feed_route(rss(server, "good"))
        bad, good = subscribe(app, server.url("/bad.xml"), server.url("/good.xml"))
        before = utcnow()
        done = guarded_poller(app, settings).poll_due(budget=60)
    assert [r.source.id for r in done.results] == [bad, good]  # the bad one first, then on
    assert articles(app) == 3
    with app.store.transaction(readonly=True) as repo:
        failed, fine = repo.get_source(bad), repo.get_source(good)
    assert failed.error_count == 1 and fine.error_count == 0
    assert failed.last_error and "is not http or https" in failed.last_error
    assert target.split(":")[0] in failed.last_error
    backoff = timedelta(seconds=settings.poll_interval)
    assert failed.next_check and failed.next_check > before + backoff


def test_backoff_grows_with_each_failure(app: App, settings: Settings) -> None:
    with running_server() as server:
        server.routes["/bad.xml"] = lambda h: reply(h, 302, b"", {"Location": "javascript:x"})
        (bad,) = subscribe(app, server.url("/bad.xml"))
        poller = guarded_poller(app, settings)
        with app.store.transaction(readonly=True) as repo:
            source = repo.get_source(bad)
        now = utcnow()
        waits = []
        for _ in range(3):
            source = poller.poll(source, now).source
            assert source.next_check is not None
            waits.append(source.next_check - now)
    assert waits[0] < waits[1] < waits[2] and source.error_count == 3


def test_faulty_items_cost_only_themselves(app: App) -> None:
    with running_server() as server:
        items = "".join(
            f"<item><title>Odd {i}</title><link>{link}</link><description>Odd {i}.</description>"
            "</item>"
            for i, link in enumerate(
                ["http://a.example:99999/x", "http://[::1/x", "javascript:alert(1)", "h t t p://"]
            )
        )
        body = rss(server, "mixed").replace(b"</channel>", items.encode() + b"</channel>")
        server.routes["/mixed.xml"] = feed_route(body)
        server.routes["/good.xml"] = feed_route(rss(server, "good"))
        mixed, good = subscribe(app, server.url("/mixed.xml"), server.url("/good.xml"))
        done = app.poller.poll_due(budget=60)
    assert len(done.results) == 2
    with app.store.transaction(readonly=True) as repo:
        assert repo.get_source(good).error_count == 0
        assert repo.get_source(mixed).last_polled is not None
    assert articles(app) >= 6  # both feeds' good items, whatever became of the odd ones


def test_the_poller_thread_survives_a_bad_source(app: App) -> None:
    with running_server() as server:
        server.routes["/bad.xml"] = lambda h: reply(h, 302, b"", {"Location": "data:,x"})
        server.routes["/good.xml"] = feed_route(rss(server, "good"))
        bad, _ = subscribe(app, server.url("/bad.xml"), server.url("/good.xml"))
        worker = BackgroundPoller(app, every=0.1)
        worker.start()
        try:
            deadline = time.monotonic() + 20
            while articles(app) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert articles(app) == 3
            assert worker.alive
        finally:
            worker.stop()
    with app.store.transaction(readonly=True) as repo:
        assert repo.get_source(bad).error_count == 1


def slow_pages(server: LocalServer, name: str, items: int) -> None:
    """Teaser feed `name` whose item pages hold the request (until the client hangs up)."""
    server.routes[f"/{name}.xml"] = feed_route(rss(server, name, items))
    for i in range(items):

        def hold(h: BaseHTTPRequestHandler) -> None:
            if not peer_closed(h, HOLD):
                reply(h, 200, b"<html><body>late</body></html>", {"Content-Type": "text/html"})

        server.routes[f"/{name}/{i}"] = hold


def test_a_slow_source_cannot_hold_the_round(tmp_path: Path) -> None:
    # Unbounded, the five pages would take 5 x 20 s (the read timeout); the round has 2 s.
    settings = loopback_settings(
        db=str(tmp_path / "news.db"),
        read_timeout=20.0,
        total_timeout=25.0,
        poll_round_seconds=2.0,
        respect_robots=False,
    )
    with build(settings) as app, running_server() as server:
        slow_pages(server, "slow", 5)
        server.routes["/good.xml"] = feed_route(rss(server, "good"))
        slow, good = subscribe(app, server.url("/slow.xml"), server.url("/good.xml"))
        started = time.monotonic()
        first = app.poller.poll_due()
        took = time.monotonic() - started
        second = app.poller.poll_due()
    assert took < 15, f"the round took {took:.1f} s"
    assert [r.source.id for r in first.results] == [slow] and first.left_due == 1
    assert first.results[0].report.counts["new"] == 5  # the feed's own text, nothing lost
    assert [r.source.id for r in second.results] == [good] and second.left_due == 0
    assert articles(app) == 8


def test_retry_after_schedules_the_source_later_without_sleeping(
    app: App, settings: Settings
) -> None:
    sleeps: list[float] = []
    quick = settings.with_(poll_interval=10.0, retries=2, max_retry_after=300.0)
    with running_server() as server:
        server.routes["/busy.xml"] = feed_route(b"busy", 503, {"Retry-After": "120"})
        server.routes["/good.xml"] = feed_route(rss(server, "good"))
        busy, _ = subscribe(app, server.url("/busy.xml"), server.url("/good.xml"))
        before = utcnow()
        done = guarded_poller(app, quick, sleep=sleeps.append).poll_due(budget=60)
        asked = server.paths().count("/busy.xml")
    assert sleeps == [] and asked == 1  # not waited for, not asked again
    assert len(done.results) == 2 and articles(app) == 3
    with app.store.transaction(readonly=True) as repo:
        source = repo.get_source(busy)
    assert source.last_error and "503" in source.last_error
    assert source.next_check and source.next_check >= before + timedelta(seconds=120)


def test_a_slow_source_has_its_own_budget_and_the_round_goes_on(tmp_path: Path) -> None:
    settings = loopback_settings(
        db=str(tmp_path / "news.db"),
        read_timeout=20.0,
        total_timeout=25.0,
        poll_round_seconds=60.0,
        poll_source_seconds=1.5,
        respect_robots=False,
    )
    with build(settings) as app, running_server() as server:
        slow_pages(server, "slow", 5)
        server.routes["/good.xml"] = feed_route(rss(server, "good"))
        slow, good = subscribe(app, server.url("/slow.xml"), server.url("/good.xml"))
        started = time.monotonic()
        done = app.poller.poll_due()
        took = time.monotonic() - started
    assert took < 15, f"the round took {took:.1f} s"
    assert [r.source.id for r in done.results] == [slow, good] and done.left_due == 0
    assert articles(app) == 8  # the slow feed's own text, and the good feed
