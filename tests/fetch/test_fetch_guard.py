"""The SSRF guard, both ways: closed, nothing private is reached; open, the test server is."""

from __future__ import annotations

import pytest

from localserver import LocalServer, reply
from newsdesk.config import Settings
from newsdesk.errors import BlockedAddressError, FetchError
from newsdesk.fetch import AddressPolicy, Fetcher, build_client, check_url
from support.fetch import assert_one_line

CLOSED = Settings(allow_private_networks=False, per_host_delay=0.0, retries=0)

# Spellings of loopback and private hosts that must never be connected to.
SPELLINGS = [
    "127.0.0.1",
    "localhost",
    "[::1]",
    "2130706433",
    "0x7f.1",
    "017700000001",
    "127.1",
    "[::ffff:127.0.0.1]",
    "0.0.0.0",
    "10.0.0.1",
    "169.254.169.254",
]


@pytest.mark.parametrize("host", SPELLINGS)
def test_closed_guard_refuses_before_connecting(server: LocalServer, host: str) -> None:
    url = f"http://{host}:{server.port}/"
    server.routes["/"] = lambda h: reply(h, 200, b"secret")
    with pytest.raises(BlockedAddressError) as err:
        check_url(url, CLOSED)
    assert_one_line(err.value, url)
    with Fetcher(CLOSED) as fetcher, pytest.raises(BlockedAddressError):
        fetcher.fetch(url)
    assert server.connections == 0


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # carrier-grade NAT
        "169.254.169.254",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "0.0.0.0",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 carrying 127.0.0.1
        "2001:0:7f00:1::",  # Teredo
        "fe80::1%eth0",
    ],
)
def test_policy_refuses_non_public_addresses(address: str) -> None:
    assert AddressPolicy().refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_policy_allows_public_addresses(address: str) -> None:
    assert AddressPolicy().refusal(address) is None


def test_allowed_networks_open_only_those_ranges() -> None:
    policy = AddressPolicy.from_settings(CLOSED, allowed_networks=["127.0.0.0/8"])
    assert policy.refusal("127.0.0.1") is None
    assert policy.refusal("::ffff:127.0.0.1") is None
    assert policy.refusal("10.0.0.1") is not None


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "//example.com/no-scheme",
        "http://user:secret@127.0.0.1/",
        "http:///no-host",
    ],
)
def test_bad_urls_are_refused(url: str, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError) as err:
        check_url(url, CLOSED)
    assert not isinstance(err.value, BlockedAddressError)
    assert_one_line(err.value, url)
    with pytest.raises(FetchError):
        fetcher.fetch(url)


def test_open_guard_reaches_the_test_server(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/"] = lambda h: reply(h, 200, b"hello")
    assert check_url(server.url("/"), fetcher.settings) == server.url("/")
    assert fetcher.fetch(server.url("/"), check_robots=False).content == b"hello"


def test_connect_time_check_catches_what_the_precheck_let_through(
    server: LocalServer, settings: Settings
) -> None:
    # The Fetcher's own check is open but the client's backend is closed: this is what DNS
    # rebinding looks like (the name resolved to a public address first, then to loopback).
    # The connection must be refused by the backend, on the address actually dialled.
    server.routes["/"] = lambda h: reply(h, 200, b"secret")
    with (
        build_client(CLOSED) as client,
        Fetcher(settings, client=client) as fetcher,
        pytest.raises(BlockedAddressError, match="at connect time") as err,
    ):
        fetcher.fetch(server.url("/"), check_robots=False)
    assert_one_line(err.value, server.url("/"))
    assert server.connections == 0
