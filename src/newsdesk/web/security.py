"""Headers on every response: a strict CSP (no inline script or style), no framing, and
Retry-After on every 429 and 503."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.web.store_slots import RETRY_AFTER as BUSY_RETRY_AFTER

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",  # pictures come through /img/, the image proxy
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)

# Every "too many requests" and "busy" answer says when to come back; a route that knows better
# (a rate window, a lock) sets its own. Rate windows and lockouts here are a minute or more.
RETRY_AFTER = {429: b"60", 503: str(BUSY_RETRY_AFTER).encode()}


class SecurityHeadersMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): sets the headers, replacing any a route set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                wait = RETRY_AFTER.get(message["status"])
                if wait is not None and not any(k.lower() == b"retry-after" for k, _ in kept):
                    kept.append((b"retry-after", wait))
                message["headers"] = kept + list(HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
