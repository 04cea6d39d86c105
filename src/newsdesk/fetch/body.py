"""Reading a response body under the byte cap (raw and decoded) and the total deadline."""

from __future__ import annotations

import time

import httpx

from newsdesk.errors import FetchError, FetchTimeoutError, TooLargeError
from newsdesk.fetch.decode import DecodeError, make_decoder


def read_body(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """The decoded body, or TooLargeError as soon as raw or decoded bytes pass `max_bytes`."""
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise TooLargeError(
            f"fetch: {url}: Content-Length {int(declared)} is over the {max_bytes}-byte cap", url
        )
    try:
        decoder = make_decoder(response.headers.get("Content-Encoding", ""))
    except DecodeError as exc:
        raise FetchError(f"fetch: {url}: {exc}", url) from None
    parts: list[bytes] = []
    raw_total = 0
    total = 0

    def keep(piece: bytes) -> None:
        nonlocal total
        total += len(piece)
        if total > max_bytes:
            raise TooLargeError(
                f"fetch: {url}: the decoded body passed the {max_bytes}-byte cap", url
            )
        parts.append(piece)

    try:
        for chunk in response.iter_raw():
            raw_total += len(chunk)
            if raw_total > max_bytes:
                raise TooLargeError(f"fetch: {url}: the body passed the {max_bytes}-byte cap", url)
            if time.monotonic() > deadline:
                raise FetchTimeoutError(f"fetch: {url}: the total deadline passed", url)
            for piece in decoder.feed(chunk):
                keep(piece)
        for piece in decoder.flush():
            keep(piece)
    except DecodeError as exc:
        encoding = response.headers.get("Content-Encoding", "")
        raise FetchError(f"fetch: {url}: cannot decode the {encoding} body ({exc})", url) from None
    return b"".join(parts)
