"""Conditional GETs for every answer that carries validators: 304 Not Modified, no body.

A route sets ETag and/or Last-Modified (the Atom feeds do); this middleware, outside the page
cache, compares them with the request's If-None-Match / If-Modified-Since, so a kept page and a
fresh render answer alike. If-None-Match wins when both are sent (RFC 9110, 13.2.2).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE = frozenset({"GET", "HEAD"})
# What a 304 keeps of the 200 it stands for (RFC 9110, 15.4.5): no body, no length, no type.
KEPT_ON_304 = frozenset(
    {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"last-modified", b"vary"}
)


class ConditionalGetMiddleware:
    """Pure ASGI: turns a 200 whose validators match the request's into a 304."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in SAFE:
            await self.app(scope, receive, send)
            return
        asked = {k.lower(): v for k, v in scope["headers"] if k.lower() in _CONDITIONS}
        if not asked:
            await self.app(scope, receive, send)
            return
        unchanged = False

        async def sending(message: Message) -> None:
            nonlocal unchanged
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if message["status"] == 200 and not_modified(asked, headers):
                    unchanged = True
                    kept = [(k, v) for k, v in headers if k.lower() in KEPT_ON_304]
                    message = {**message, "status": 304, "headers": kept}
            elif message["type"] == "http.response.body" and unchanged:
                if message.get("more_body", False):
                    return  # the body of a 304 is dropped
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, sending)


_CONDITIONS = (b"if-none-match", b"if-modified-since")


def not_modified(asked: dict[bytes, bytes], headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request's conditions say the client's copy is current."""
    given = {k.lower(): v for k, v in headers}
    etag = given.get(b"etag")
    if b"if-none-match" in asked:
        if etag is None:
            return False
        wanted = {_weak(tag.strip()) for tag in asked[b"if-none-match"].split(b",")}
        return b"*" in wanted or _weak(etag) in wanted
    since, modified = _when(asked.get(b"if-modified-since")), _when(given.get(b"last-modified"))
    return since is not None and modified is not None and modified <= since


def _weak(tag: bytes) -> bytes:
    """The opaque part of an entity tag: If-None-Match compares weakly (RFC 9110, 8.8.3.2)."""
    return tag[2:] if tag.startswith(b"W/") else tag


def _when(value: bytes | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
