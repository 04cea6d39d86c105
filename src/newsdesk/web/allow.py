"""OPTIONS and 405 name every verb a path allows (the Allow header), from the app's routes.

Starlette answers a method a route lacks with 405 naming that one route's methods: GET
/sources and POST /sources are two routes, so a 405 on either named half of them, and OPTIONS
was a 405 too. This middleware asks every route whether the path is its own.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FILE_METHODS = frozenset({"GET", "HEAD"})  # what a mounted static directory answers
PROBED = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


class AllowMiddleware:
    """Pure ASGI: OPTIONS on a known path is a 204 with Allow; every 405 gets the full Allow."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allowed = allowed_methods(scope)
            if allowed:
                headers = [(b"allow", allowed.encode()), (b"content-length", b"0")]
                await send({"type": "http.response.start", "status": 204, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = allowed_methods(scope)
                if allowed:
                    kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    message = {**message, "headers": [*kept, (b"allow", allowed.encode())]}
            await send(message)

        await self.app(scope, receive, sending)


def allowed_methods(scope: Scope) -> str:
    """ "GET, OPTIONS, POST" for the request's path; "" when no route has it.

    Each method is tried against the app's routes as the router would (included routers
    answer for their own routes); a mounted static directory answers GET and HEAD only."""
    methods: set[str] = set()
    routes: list[BaseRoute] = scope["app"].router.routes
    for method in PROBED:
        trial = {**scope, "method": method}
        for route in routes:
            if route.matches(trial)[0] is Match.FULL:
                if not isinstance(route, Mount) or method in FILE_METHODS:
                    methods.add(method)
                break
    return ", ".join(sorted(methods | {"OPTIONS"})) if methods else ""
