"""Happy paths: content, headers sent and captured, conditional GET, decoded encodings."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from datetime import UTC

import brotli
import pytest

from localserver import Handler, LocalServer, reply
from newsdesk.config import Settings
from newsdesk.errors import FetchError, HTTPStatusError
from newsdesk.fetch import Fetcher, build_client
from support.fetch import assert_one_line

PAGE = "<html><body><p>Grüße aus Köln</p></body></html>".encode()
ETAG = '"v1-abc"'
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


def _page(h: Handler) -> None:
    reply(
        h,
        200,
        PAGE,
        {
            "Content-Type": 'Text/HTML; Charset="UTF-8"',
            "ETag": ETAG,
            "Last-Modified": LAST_MODIFIED,
        },
    )


def test_happy_path_fills_every_field(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/page"] = _page
    got = fetcher.fetch(server.url("/page"))
    assert got.url == got.final_url == server.url("/page")
    assert got.status == 200
    assert got.content == PAGE
    assert got.content_type == "text/html"
    assert got.charset == "utf-8"
    assert got.etag == ETAG
    assert got.last_modified == LAST_MODIFIED
    assert got.fetched_at.tzinfo is not None and got.fetched_at.utcoffset() == UTC.utcoffset(None)
    assert got.not_modified is False


def test_sends_user_agent_and_accept_encoding(
    server: LocalServer, fetcher: Fetcher, settings: Settings
) -> None:
    server.routes["/page"] = _page
    fetcher.fetch(server.url("/page"), check_robots=False)
    (seen,) = server.requests
    assert seen.headers["user-agent"] == settings.user_agent
    assert seen.headers["accept-encoding"] == "gzip, deflate, br"
    assert "if-none-match" not in seen.headers


def test_missing_content_type_is_empty(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/bare"] = lambda h: reply(h, 200, b"x")
    got = fetcher.fetch(server.url("/bare"), check_robots=False)
    assert (got.content_type, got.charset, got.etag, got.last_modified) == ("", None, None, None)


def test_conditional_get_gives_not_modified(server: LocalServer, fetcher: Fetcher) -> None:
    def conditional(h: Handler) -> None:
        if h.headers.get("If-None-Match") == ETAG:
            reply(h, 304, b"", {"ETag": ETAG})
        else:
            _page(h)

    server.routes["/feed"] = conditional
    first = fetcher.fetch(server.url("/feed"), check_robots=False)
    again = fetcher.fetch(
        server.url("/feed"),
        etag=first.etag,
        last_modified=first.last_modified,
        check_robots=False,
    )
    assert again.not_modified and again.status == 304 and again.content == b""
    assert again.etag == ETAG
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == ETAG
    assert sent["if-modified-since"] == LAST_MODIFIED


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
        ("br", brotli.compress),
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
    ],
)
def test_content_is_decoded(
    server: LocalServer, fetcher: Fetcher, coding: str, encode: Callable[[bytes], bytes]
) -> None:
    body = PAGE * 1000
    server.routes["/z"] = lambda h: reply(h, 200, encode(body), {"Content-Encoding": coding})
    assert fetcher.fetch(server.url("/z"), check_robots=False).content == body


def test_corrupt_gzip_is_a_fetch_error(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/bad"] = lambda h: reply(
        h, 200, b"not gzip at all", {"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="cannot decode") as err:
        fetcher.fetch(server.url("/bad"), check_robots=False)
    assert_one_line(err.value, server.url("/bad"))


def test_unknown_encoding_is_a_fetch_error(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/x"] = lambda h: reply(h, 200, b"??", {"Content-Encoding": "compress"})
    with pytest.raises(FetchError, match="unsupported Content-Encoding"):
        fetcher.fetch(server.url("/x"), check_robots=False)


def test_client_error_is_not_retried(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(HTTPStatusError, match="HTTP 404") as err:
        fetcher.fetch(server.url("/missing"), check_robots=False)
    assert err.value.status == 404
    assert server.paths() == ["/missing"]
    assert_one_line(err.value, server.url("/missing"))


def test_a_shared_client_is_left_open(server: LocalServer, settings: Settings) -> None:
    server.routes["/page"] = _page
    with build_client(settings) as client:
        with Fetcher(settings, client=client) as one:
            one.fetch(server.url("/page"), check_robots=False)
        assert not client.is_closed  # the pipeline owns it
        with Fetcher(settings, client=client) as two:
            assert two.fetch(server.url("/page"), check_robots=False).content == PAGE
