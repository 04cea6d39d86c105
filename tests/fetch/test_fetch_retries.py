"""Retries on 429/5xx with backoff and Retry-After, and per-host politeness."""

from __future__ import annotations

import itertools
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from localserver import Handler, LocalServer, reply
from newsdesk.config import Settings
from newsdesk.errors import FetchError, HTTPStatusError
from newsdesk.fetch import Fetcher, parse_retry_after
from support.fetch import assert_one_line


def _then_ok(server: LocalServer, path: str, failures: list[tuple[int, dict[str, str]]]) -> None:
    """Answer each failure in turn, then 200."""
    queue = list(failures)

    def route(h: Handler) -> None:
        if queue:
            status, headers = queue.pop(0)
            reply(h, status, b"busy", headers)
        else:
            reply(h, 200, b"ok")

    server.routes[path] = route


@pytest.mark.parametrize("seconds", ["0", "1"])
def test_429_with_retry_after_then_success(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float], seconds: str
) -> None:
    _then_ok(server, "/r", [(429, {"Retry-After": seconds})])
    assert fetcher.fetch(server.url("/r"), check_robots=False).content == b"ok"
    assert server.paths() == ["/r", "/r"]
    assert sleeps == [float(seconds)]


def test_5xx_retries_with_doubling_backoff(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    _then_ok(server, "/r", [(502, {}), (500, {})])
    assert fetcher.fetch(server.url("/r"), check_robots=False).content == b"ok"
    assert sleeps == [0.01, 0.02]


def test_503_exhausted_raises_status_error(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    server.routes["/down"] = lambda h: reply(h, 503, b"down")
    with pytest.raises(HTTPStatusError, match="HTTP 503") as err:
        fetcher.fetch(server.url("/down"), check_robots=False)
    assert err.value.status == 503
    assert server.paths() == ["/down"] * 3  # retries=2
    assert len(sleeps) == 2
    assert_one_line(err.value, server.url("/down"))


def test_retry_after_too_long_is_an_error(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    server.routes["/slow"] = lambda h: reply(h, 429, b"", {"Retry-After": "3600"})
    with pytest.raises(HTTPStatusError, match="retry after 3600 s, over the 120 s limit") as err:
        fetcher.fetch(server.url("/slow"), check_robots=False)
    assert err.value.status == 429
    assert server.paths() == ["/slow"]
    assert sleeps == []
    assert_one_line(err.value, server.url("/slow"))


def test_connection_errors_are_retried(server: LocalServer, settings: Settings) -> None:
    # A server that closes the connection without answering, then recovers.
    calls: list[int] = []

    def flaky(h: Handler) -> None:
        calls.append(1)
        if len(calls) == 1:
            h.close_connection = True
            h.wfile.write(b"")  # nothing: the client sees the connection drop
            return
        reply(h, 200, b"ok")

    server.routes["/flaky"] = flaky
    waits: list[float] = []
    with Fetcher(settings, sleep=waits.append) as fetcher:
        assert fetcher.fetch(server.url("/flaky"), check_robots=False).content == b"ok"
    assert len(calls) == 2 and waits == [0.01]


def test_unreachable_port_is_a_fetch_error(settings: Settings) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    waits: list[float] = []
    with (
        Fetcher(settings, sleep=waits.append) as fetcher,
        pytest.raises(FetchError, match="ConnectError") as err,
    ):
        fetcher.fetch(url, check_robots=False)
    assert len(waits) == 2
    assert_one_line(err.value, url)


def test_per_host_delay_is_respected(server: LocalServer, settings: Settings) -> None:
    server.routes["/p"] = lambda h: reply(h, 200, b"ok")
    server.routes["/robots.txt"] = lambda h: reply(h, 200, b"User-agent: *\nAllow: /\n")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    with Fetcher(settings.with_(per_host_delay=0.2), sleep=sleep) as fetcher:
        for _ in range(3):
            fetcher.fetch(server.url("/p"))
    assert server.paths() == ["/robots.txt", "/p", "/p", "/p"]
    assert len(waits) == 3 and all(0 < w <= 0.2 for w in waits)
    starts = [r.at for r in server.requests]
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(starts))


def test_parse_retry_after() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


def test_http_date_retry_after_is_honoured(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    _then_ok(server, "/d", [(503, {"Retry-After": when})])
    assert fetcher.fetch(server.url("/d"), check_robots=False).content == b"ok"
    (slept,) = sleeps
    assert 25 < slept <= 30
