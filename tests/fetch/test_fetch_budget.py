"""A fetch's time budget bounds every attempt and wait; with wait_retry_after=False a server's
Retry-After ends the fetch at once and is handed back to the caller to schedule."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest

from localserver import LocalServer, peer_closed, reply
from newsdesk.errors import FetchTimeoutError, HTTPStatusError
from newsdesk.fetch import Fetcher

HOLD = 30.0  # seconds the slow route would hold; the budget is far shorter


def test_retry_after_is_handed_back_not_slept(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    server.routes["/busy"] = lambda h: reply(h, 503, b"", {"Retry-After": "120"})
    with pytest.raises(HTTPStatusError, match="retry after 120 s") as err:
        fetcher.fetch(server.url("/busy"), check_robots=False, wait_retry_after=False)
    assert err.value.retry_after == 120.0 and err.value.status == 503
    assert sleeps == [] and server.paths() == ["/busy"]


def test_the_budget_bounds_a_slow_answer(server: LocalServer, fetcher: Fetcher) -> None:
    def slow(h: BaseHTTPRequestHandler) -> None:
        if not peer_closed(h, HOLD):
            reply(h, 200, b"late")

    server.routes["/slow"] = slow
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetcher.fetch(server.url("/slow"), check_robots=False, budget=1.0)
    assert time.monotonic() - started < 4.0  # the read timeout alone would allow 5 s per try


def test_a_spent_budget_fetches_nothing(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchTimeoutError, match="time budget of 0 s ran out"):
        fetcher.fetch(server.url("/x"), check_robots=False, budget=0.0)
    assert server.paths() == []
