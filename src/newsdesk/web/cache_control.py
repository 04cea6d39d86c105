"""Cache-Control on every answer: what a shared cache (this process's page cache, a proxy) may
keep, and what is one reader's own.

A router declares its pages shareable when the app includes it (`dependencies=[SHAREABLE]`);
the middleware then marks a successful anonymous GET of them `public`. HTML pages carry each
reader's form token, so they are `public, no-cache`: the page cache keeps them (and gives every
reader their own token), a proxy must ask again before it reuses one. JSON and Atom carry
nothing personal: `public, max-age` for as long as the page cache keeps them. Everything else
(a logged-in reader, credentials, admin pages, forms, errors) is `private, no-store`. A route
that sets its own Cache-Control (static files) keeps it.
"""

from __future__ import annotations

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE = frozenset({"GET", "HEAD"})
PRIVATE = b"private, no-store"
HTML_PUBLIC = b"public, no-cache"


async def _mark_shareable(request: Request) -> None:
    request.state.shareable = True


SHAREABLE = Depends(_mark_shareable)


class CacheControlMiddleware:
    """Pure ASGI, inside the auth middleware (which sets state user) and the page cache."""

    def __init__(self, app: ASGIApp, max_age: float) -> None:
        self.app = app
        self.public = f"public, max-age={max(0, int(max_age))}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"cache-control" not in names:
                    headers.append((b"cache-control", self._policy(scope, message, headers)))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)

    def _policy(self, scope: Scope, message: Message, headers: list[tuple[bytes, bytes]]) -> bytes:
        state = scope.get("state", {})
        shareable = (
            state.get("shareable", False)
            and state.get("user") is None
            and scope["method"] in SAFE
            and message["status"] == 200
            and not _has(scope["headers"], b"authorization")
            and not _has(headers, b"set-cookie")
        )
        if not shareable:
            return PRIVATE
        kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        return HTML_PUBLIC if kind.startswith(b"text/html") else self.public


def _has(headers: list[tuple[bytes, bytes]], name: bytes) -> bool:
    return any(key.lower() == name for key, _ in headers)
