"""Rendered pages for anonymous readers, kept a few seconds: the same front page, story or
article rendered once, then served to everyone who is not logged in until it expires.

A news site's readers are mostly anonymous and read the same pages; rendering a story page
costs 10-30 ms of Python, serving a kept copy well under one. A page past its `ttl` is served
once more while one new copy renders in the background (stale-while-revalidate), so a popular
page never makes its readers wait; one unread for `stale` seconds more is rendered afresh.

Only answers that declare themselves shareable (`Cache-Control: public`, see cache_control) are
kept: the route says so, not a list of paths here. What a page holds per reader is its CSRF
token (forms on every page): a kept page is rendered with a placeholder token and each reader
gets a copy with their own. Logged-in readers (their name, their comment controls) and requests
with credentials are always rendered. Any
successful unsafe request (a comment, an admin action) empties this process's cache, so a
writer's change shows at once; what other processes wrote (an ingest from the CLI, another
worker) shows within `ttl` seconds. The shared cache (page_cache_redis, one for every web process
on every host) keeps the same promises everywhere: see its docstring.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("newsdesk.web.page_cache")

# Kinds worth keeping (a shareable static file is served from disk as fast).
CACHED_TYPES = (b"text/html", b"application/json", b"application/atom+xml")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STATIC = "/static/"  # files: streamed from disk, never kept, never worth a lookup
# Background renders of expired pages at a time, per process: each holds the interpreter while
# it renders, and readers of kept pages must not queue behind a crowd of them. An expired page
# read while the slots are taken is served as it is; a later reader schedules its render.
MAX_REFRESHES = 1
# A reader's CSRF token is put in a kept page as is: only the form new_token() makes qualifies.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")

Key = tuple[bytes, bytes, bytes, bytes]  # host, path, query, HX-Request


@dataclass(frozen=True, slots=True)
class Page:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]  # without content-length
    body: bytes  # zlib-compressed when packed
    expires: float
    placeholder: bytes  # what stands for the reader's CSRF token in the body
    generation: int = 0  # the cache's generation when it was rendered
    packed: bool = False

    def content(self) -> bytes:
        return zlib.decompress(self.body) if self.packed else self.body


class PageStore(Protocol):
    """Where the middleware keeps pages: this process's memory (PageCache) or Redis."""

    @property
    def enabled(self) -> bool: ...

    @property
    def placeholder(self) -> bytes: ...

    def lookup(self, key: Key) -> tuple[Page | None, bool]: ...

    def put(
        self, key: Key, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> Page: ...

    def renewed(self, key: Key) -> Page | None:
        """A fresh copy another process kept since this one's went stale; None: render it."""
        ...

    def expire_all(self) -> None: ...

    def clear(self) -> None: ...


class PageCache:
    """A thread-safe LRU of rendered pages with a time limit and a byte budget."""

    def __init__(
        self,
        ttl: float,
        max_bytes: int,
        *,
        stale: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.stale = ttl if stale is None else stale
        self.max_bytes = max_bytes
        self.clock = clock
        self.placeholder = secrets.token_urlsafe(32).encode()  # never in any real page
        self._pages: OrderedDict[Key, Page] = OrderedDict()
        self._bytes = 0
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl > 0 and self.max_bytes > 0

    def get(self, key: Key) -> Page | None:
        """The kept page while it is fresh (younger than ttl), else None."""
        page, fresh = self.lookup(key)
        return page if fresh else None

    def lookup(self, key: Key) -> tuple[Page | None, bool]:
        """(page, fresh): a page past its ttl is still given, not fresh, for `stale` seconds
        more (served while a new copy renders); after that it is gone."""
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None, False
            now = self.clock()
            if page.expires + self.stale <= now:
                self._drop(key)
                return None, False
            self._pages.move_to_end(key)
            return page, page.expires > now and page.generation == self._generation

    def renewed(self, key: Key) -> Page | None:
        return None  # no other process writes here

    def expire_all(self) -> None:
        """Every kept page becomes stale at once (new articles arrived): each is served once
        more while it renders again, as when its ttl runs out."""
        with self._lock:
            self._generation += 1

    def put(self, key: Key, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Page:
        """Keep the page, compressed (unless it is over 1/8 of the budget), and return it.

        Pages are kept compressed: a page of HTML shrinks about 4x at zlib's fastest level,
        which costs ~0.1 ms once, and its reading back ~0.05 ms a hit."""
        packed = zlib.compress(body, 1)
        expires = self.clock() + self.ttl
        page = Page(
            status, tuple(headers), packed, expires, self.placeholder, self._generation, packed=True
        )
        if len(packed) > self.max_bytes // 8:
            return page  # one huge page must not flush everything else
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self._bytes += len(packed)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))
        return page

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)

    def _drop(self, key: Key) -> None:
        page = self._pages.pop(key)
        self._bytes -= len(page.body)


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return b""


class PageCacheMiddleware:
    """Pure ASGI, inside AuthMiddleware (which has set state user and csrf_secret)."""

    def __init__(self, app: ASGIApp, cache: PageStore) -> None:
        self.app = app
        self.cache = cache
        self._rendering: dict[Key, asyncio.Future[Page | None]] = {}
        self._refreshes: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.cache.enabled:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method in UNSAFE:
            await self.app(scope, receive, self._clearing(scope, send))
            return
        secret = scope.get("state", {}).get("csrf_secret")
        if (
            method != "GET"
            or scope["state"].get("user") is not None
            or scope["path"].startswith(STATIC)
            or _header(scope, b"authorization")
            or (secret and not _TOKEN.fullmatch(secret))
        ):
            await self.app(scope, receive, send)
            return
        key = (
            _header(scope, b"host"),
            scope["path"].encode(),
            scope["query_string"],
            _header(scope, b"hx-request"),
        )
        page, fresh = self.cache.lookup(key)
        status = b"hit" if fresh else b"stale"
        if (
            page is not None
            and not fresh
            and key not in self._rendering
            and len(self._refreshes) < MAX_REFRESHES
        ):
            self._refresh_later(scope, key)  # this reader gets the kept copy meanwhile
        if page is None and key in self._rendering:  # wait for the render under way
            page = await asyncio.shield(self._rendering[key])
        if page is None:
            page, status = await self._render_once(scope, receive, key), b"miss"
        body = page.content().replace(page.placeholder, (secret or "").encode())
        headers = [
            *page.headers,
            (b"content-length", str(len(body)).encode()),
            (b"x-page-cache", status),
        ]
        await send({"type": "http.response.start", "status": page.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _refresh_later(self, scope: Scope, key: Key) -> None:
        """Render the page again in the background, as an anonymous reader with no cookies."""
        clean: Scope = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k in (b"host", b"hx-request")],
            "state": {"user": None, "csrf_secret": ""},
        }

        async def nothing() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def refresh() -> None:
            try:
                if self.cache.renewed(key) is None:  # rendered again elsewhere meanwhile?
                    await self._render_once(clean, nothing, key)
            except Exception:  # the stale copy stays until it is too old; the next reader retries
                log.exception("refreshing a kept page failed")

        task = asyncio.get_running_loop().create_task(refresh())
        self._refreshes.add(task)
        task.add_done_callback(self._refreshes.discard)

    async def _render_once(self, scope: Scope, receive: Receive, key: Key) -> Page:
        """Render, letting requests for the same page that come meanwhile wait for this one
        (50 readers of a page that just expired cost one render, not 50). Waiters get the page
        only when it was kept; otherwise (an error, a cookie) each renders its own."""
        waiting: asyncio.Future[Page | None] = asyncio.get_running_loop().create_future()
        self._rendering[key] = waiting
        kept = None
        try:
            page, keep = await self._render(scope, receive, key)
            kept = page if keep else None
            return page
        finally:
            del self._rendering[key]
            waiting.set_result(kept)

    async def _render(self, scope: Scope, receive: Receive, key: Key) -> tuple[Page, bool]:
        """Render with the placeholder token in place of the reader's; keep the page when it
        may be kept (and say so). Streamed bodies are gathered: cached routes send one piece."""
        state = scope["state"]
        secret = state.get("csrf_secret")
        state["csrf_secret"] = self.cache.placeholder.decode()
        collected = _Collected()
        try:
            await self.app(scope, receive, collected.send)
        finally:
            state["csrf_secret"] = secret
        headers = [(k, v) for k, v in collected.headers if k.lower() != b"content-length"]
        body = b"".join(collected.chunks)
        if _keepable(collected.status, headers):
            return self.cache.put(key, collected.status, headers, body), True
        return Page(collected.status, tuple(headers), body, 0.0, self.cache.placeholder), False

    def _clearing(self, scope: Scope, send: Send) -> Send:
        async def sending(message: Message) -> None:
            # A reader's own write (a follow, a save: web/personal_marks.PERSONAL_WRITE) changes
            # no page an anonymous reader gets: the kept pages stay.
            personal = scope.get("state", {}).get("personal_write", False)
            if (
                message["type"] == "http.response.start"
                and message["status"] < 400
                and not personal
            ):
                self.cache.clear()
            await send(message)

        return sending


class _Collected:
    """What the app sent: status, headers and body chunks."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))


def _keepable(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    """A 200 that says `Cache-Control: public` (and nothing private), sets no cookie, and is
    HTML, JSON or Atom."""
    if status != 200:
        return False
    kind = b""
    public = False
    for name, value in headers:
        lower = name.lower()
        if lower == b"set-cookie":
            return False
        if lower == b"cache-control":
            directives = {d.strip().lower() for d in value.split(b",")}
            if directives & {b"private", b"no-store"}:
                return False
            public = b"public" in directives
        if lower == b"content-type":
            kind = value
    return public and kind.startswith(CACHED_TYPES)
