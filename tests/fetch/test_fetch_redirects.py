"""Redirects are followed by hand: relative Locations, loops, a cap, and the guard on each hop."""

from __future__ import annotations

import pytest

from localserver import LocalServer, Route, reply
from newsdesk.config import Settings
from newsdesk.errors import BlockedAddressError, TooManyRedirectsError
from newsdesk.fetch import AddressPolicy, Fetcher
from support.fetch import assert_one_line


def _to(location: str) -> Route:
    return lambda h: reply(h, 302, b"", {"Location": location})


def test_relative_redirects_are_resolved(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/a/start"] = _to("../b/next")  # relative to /a/
    server.routes["/b/next"] = _to("/final?x=1")
    server.routes["/final"] = lambda h: reply(h, 200, b"done", {"Content-Type": "text/plain"})
    got = fetcher.fetch(server.url("/a/start"), check_robots=False)
    assert got.content == b"done"
    assert got.url == server.url("/a/start")
    assert got.final_url == server.url("/final?x=1")
    assert server.paths() == ["/a/start", "/b/next", "/final"]


def test_redirect_loop_is_detected(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/ping"] = _to("/pong")
    server.routes["/pong"] = _to("/ping")
    with pytest.raises(TooManyRedirectsError, match="loop") as err:
        fetcher.fetch(server.url("/ping"), check_robots=False)
    assert server.paths() == ["/ping", "/pong"]
    assert_one_line(err.value, server.url("/ping"))


def test_too_many_redirects(server: LocalServer, settings: Settings) -> None:
    for i in range(10):
        server.routes[f"/hop{i}"] = _to(f"/hop{i + 1}")
    with (
        Fetcher(settings.with_(max_redirects=3)) as fetcher,
        pytest.raises(TooManyRedirectsError, match="more than 3 redirects") as err,
    ):
        fetcher.fetch(server.url("/hop0"), check_robots=False)
    assert server.paths() == ["/hop0", "/hop1", "/hop2", "/hop3"]
    assert_one_line(err.value, server.url("/hop0"))


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/"],
)
def test_redirect_to_a_private_address_is_refused(server: LocalServer, target: str) -> None:
    # Loopback is allowed (to reach the test server) but no other private range: the hop to
    # `target` must be refused by the guard before anything connects to it.
    closed = Settings(allow_private_networks=False, per_host_delay=0.0, retries=0)
    policy = AddressPolicy.from_settings(closed, allowed_networks=["127.0.0.0/8"])
    server.routes["/go"] = _to(target)
    with Fetcher(closed, policy=policy) as fetcher, pytest.raises(BlockedAddressError) as err:
        fetcher.fetch(server.url("/go"), check_robots=False)
    assert server.paths() == ["/go"]
    assert "refused" in str(err.value)
    assert target in str(err.value)
    assert_one_line(err.value, server.url("/go"))
