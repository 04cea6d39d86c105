"""Caps that hold against hostile servers: huge, endless, compressed bombs, slow drips."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator

import brotli
import pytest

from localserver import Handler, LocalServer, gzip_bomb, peer_closed, stream_chunked
from newsdesk.config import Settings
from newsdesk.errors import FetchTimeoutError, TooLargeError
from newsdesk.fetch import Fetcher
from support.fetch import assert_one_line

MiB = 1024 * 1024
ZEROS = bytes(MiB)
BOMB_MIB = 1024  # what the bombs would decode to: 1 GiB of zeros


def _brotli_bomb() -> Iterator[bytes]:
    packer = brotli.Compressor(quality=1)
    for _ in range(BOMB_MIB):
        yield packer.process(ZEROS) + packer.flush()
    yield packer.finish()


def _peak_during(call: Callable[[], object]) -> tuple[BaseException, int]:
    tracemalloc.start()
    try:
        call()
    except BaseException as exc:
        _, peak = tracemalloc.get_traced_memory()
        return exc, peak
    finally:
        tracemalloc.stop()
    raise AssertionError("the fetch did not fail")


def test_claimed_two_gigabytes_stops_at_once(server: LocalServer, fetcher: Fetcher) -> None:
    def huge(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(2 * 1024**3))
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            for _ in range(2048):  # 2 GiB at most; the client hangs up long before
                h.wfile.write(ZEROS)
        except OSError:
            return

    server.routes["/huge"] = huge
    started = time.monotonic()
    exc, peak = _peak_during(lambda: fetcher.fetch(server.url("/huge"), check_robots=False))
    assert isinstance(exc, TooLargeError), exc
    assert "Content-Length" in str(exc)
    assert time.monotonic() - started < 2
    assert peak < 4 * MiB
    assert_one_line(exc, server.url("/huge"))


def test_endless_chunked_body_stops_at_the_cap(server: LocalServer, fetcher: Fetcher) -> None:
    def endless() -> Iterator[bytes]:
        for _ in range(100_000):  # bounded, but far past the 1 MiB cap
            yield bytes(16 * 1024)

    server.routes["/endless"] = lambda h: stream_chunked(h, endless(), {})
    exc, peak = _peak_during(lambda: fetcher.fetch(server.url("/endless"), check_robots=False))
    assert isinstance(exc, TooLargeError), exc
    assert peak < 4 * MiB
    assert_one_line(exc, server.url("/endless"))


@pytest.mark.parametrize(
    ("coding", "bomb"), [("gzip", gzip_bomb), ("br", _brotli_bomb)], ids=["gzip", "brotli"]
)
def test_compression_bomb_stops_at_the_cap(
    server: LocalServer, settings: Settings, coding: str, bomb: Callable[[], Iterator[bytes]]
) -> None:
    server.routes["/bomb"] = lambda h: stream_chunked(h, bomb(), {"Content-Encoding": coding})
    capped = settings.with_(max_bytes=10 * MiB)
    started = time.monotonic()
    with Fetcher(capped) as fetcher:
        exc, peak = _peak_during(lambda: fetcher.fetch(server.url("/bomb"), check_robots=False))
    assert isinstance(exc, TooLargeError), exc
    assert "decoded body" in str(exc)
    assert time.monotonic() - started < 10
    assert peak < 3 * 10 * MiB  # the kept parts, their join, and one piece: never the gigabyte
    assert_one_line(exc, server.url("/bomb"))


def test_one_byte_per_second_hits_the_total_deadline(
    server: LocalServer, settings: Settings
) -> None:
    def drip(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(100):
            try:
                h.wfile.write(b"x")
                h.wfile.flush()
            except OSError:
                return
            if peer_closed(h, 1.0):
                return

    server.routes["/drip"] = drip
    quick = settings.with_(total_timeout=1.5, read_timeout=5.0)
    started = time.monotonic()
    with Fetcher(quick) as fetcher, pytest.raises(FetchTimeoutError, match="total deadline") as err:
        fetcher.fetch(server.url("/drip"), check_robots=False)
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 2.5
    assert_one_line(err.value, server.url("/drip"))


def test_headers_dripped_slowly_hit_the_deadline_too(
    server: LocalServer, settings: Settings
) -> None:
    def slow_headers(h: Handler) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 100:
            try:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
            except OSError:
                return
            if peer_closed(h, 0.5):
                return

    server.routes["/slow"] = slow_headers
    quick = settings.with_(total_timeout=1.5, read_timeout=5.0, retries=0)
    started = time.monotonic()
    with Fetcher(quick) as fetcher, pytest.raises(FetchTimeoutError, match="total deadline"):
        fetcher.fetch(server.url("/slow"), check_robots=False)
    assert time.monotonic() - started < 2.5
