"""Accounts on the web: session cookies, CSRF tokens, roles; the rules are newsdesk.accounts.

Sessions: a random token in an HttpOnly, SameSite=Lax cookie (Secure on https); the store keeps
only its SHA-256. Each session has its own CSRF secret; a visitor without a session gets a random
one in its own cookie, so the login and register forms are protected too. Every POST, PUT, PATCH
or DELETE outside /api/ must carry it as the form field `csrf_token` (or the X-CSRF-Token header),
or it is refused with 403. The API under /api/ ignores cookies: it authenticates with
`Authorization: Bearer <token>` only (require_token_user), so CSRF cannot reach it; so do the
feed-reader apps' APIs (COOKIELESS, newsdesk.web.reader_api), with app passwords.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.accounts import new_token, token_hash
from newsdesk.dates import utcnow
from newsdesk.errors import StoreBusyError
from newsdesk.store.users import User
from newsdesk.web.deps import get_app
from newsdesk.web.store_slots import slots_of

SESSION_COOKIE = "newsdesk_session"
CSRF_COOKIE = "newsdesk_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = b"x-csrf-token"
SESSION_DAYS = 30
MAX_FORM_BYTES = 1024 * 1024
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Paths whose requests carry their own credentials (an API token, a feed-reader app's password):
# no session cookie is read for them and no CSRF token is asked.
COOKIELESS = ("/api/", "/reader/", "/accounts/ClientLogin", "/fever/")
# Paths whose address carries its own secret, so a forged request cannot name it: they take
# POSTs without a CSRF token (a mail client's one-click unsubscribe, RFC 8058, has none).
CSRF_EXEMPT = ("/digest/unsubscribe/",)


# -- sessions -------------------------------------------------------------------------------------


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def start_session(request: Request, response: Response, user: User) -> None:
    """Log user in: a new session row and its cookie."""
    token, now = new_token(), utcnow()
    with get_app(request).store.transaction() as repo:
        repo.create_session(
            token_hash(token), user.id, new_token(), now, now + timedelta(days=SESSION_DAYS)
        )
    _cookie(response, request, SESSION_COOKIE, token, SESSION_DAYS * 86400)


def end_session(request: Request, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with get_app(request).store.transaction() as repo:
            repo.delete_session(token_hash(token))
    response.delete_cookie(SESSION_COOKIE, path="/")


def client_ip(request: Request) -> str:
    """The address login throttling counts failures for."""
    return request.client.host if request.client else "unknown"


# -- dependencies ---------------------------------------------------------------------------------


def current_user(request: Request) -> User | None:
    """The logged-in user (set by the middleware), or None."""
    return getattr(request.state, "user", None)


def require_user(user: Annotated[User | None, Depends(current_user)]) -> User:
    if user is None:
        raise HTTPException(401, "Log in first.")
    return user


def require_admin(user: Annotated[User, Depends(require_user)]) -> User:
    if not user.is_admin:
        raise HTTPException(403, "Only admins can do that.")
    return user


# Declared in the OpenAPI document (securitySchemes), so clients and tests know to send it.
BEARER = HTTPBearer(auto_error=False, description="An API token: `newsdesk user token NAME`.")


def require_token_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> User:
    """The owner of the API token in `Authorization: Bearer <token>`; 401 otherwise."""
    token = credentials.credentials.strip() if credentials is not None else ""
    user = None
    if token:
        with get_app(request).store.transaction(readonly=True) as repo:
            user = repo.token_user(token_hash(token))
    if user is None:
        raise HTTPException(
            401, "A valid API token is required.", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


UserDep = Annotated[User, Depends(require_user)]
AdminDep = Annotated[User, Depends(require_admin)]
TokenUserDep = Annotated[User, Depends(require_token_user)]


# -- middleware -----------------------------------------------------------------------------------


def _cookies(scope: Scope) -> dict[str, str]:
    return Request(scope).cookies


def _plain(status: int, message: str) -> list[Message]:
    body = message.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    return [
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": body},
    ]


class AuthMiddleware:
    """Sets request.state.user and request.state.csrf_secret; refuses unsafe requests without
    a valid CSRF token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        state["user"] = None
        if scope["path"].startswith(COOKIELESS):
            state["csrf_secret"] = ""
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        token = cookies.get(SESSION_COOKIE)
        try:  # in a worker thread, holding a store slot: the event loop never waits on the pool
            found = None
            if token:
                found = await slots_of(scope["app"]).run(self._session, scope, token, utcnow())
        except StoreBusyError:
            for m in _plain(503, "503 Service Unavailable: the server is busy. Try again soon."):
                await send(m)
            return
        new_anon = None
        if found is not None:
            state["user"], state["csrf_secret"] = found
        elif cookies.get(CSRF_COOKIE):
            state["csrf_secret"] = cookies[CSRF_COOKIE]
        else:
            state["csrf_secret"] = new_anon = new_token()
        if scope["method"] in UNSAFE and not scope["path"].startswith(CSRF_EXEMPT):
            replay = await self._checked(scope, receive, send, state["csrf_secret"], new_anon)
            if replay is None:
                return
            receive = replay
        await self.app(scope, receive, self._with_cookie(scope, send, new_anon))

    @staticmethod
    def _session(scope: Scope, token: str | None, now: datetime) -> tuple[User, str] | None:
        if not token:
            return None
        with get_app(Request(scope)).store.transaction(readonly=True) as repo:
            return repo.session_user(token_hash(token), now)

    async def _checked(
        self, scope: Scope, receive: Receive, send: Send, secret: str, new_anon: str | None
    ) -> Receive | None:
        """A receive replaying the body when the token is valid; None once it answered 403/413."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_FORM_BYTES:
                for m in _plain(413, "The form is too large (over 1 MB)."):
                    await send(m)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        sent = Request(scope).headers.get(CSRF_HEADER.decode(), "")
        if not sent:
            form = await Request(scope, replay).form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else ""
            await form.close()
        if new_anon is not None or not hmac.compare_digest(sent.encode(), secret.encode()):
            refusal = (
                "403 Forbidden: this form's security token (CSRF) is missing or out of date. "
                "Go back, reload the page and submit it again."
            )
            for m in _plain(403, refusal):
                await send(m)
            return None
        return replay

    @staticmethod
    def _with_cookie(scope: Scope, send: Send, new_anon: str | None) -> Send:
        if new_anon is None:
            return send
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        cookie = f"{CSRF_COOKIE}={new_anon}; Path=/; HttpOnly; SameSite=Lax{secure}"

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        return sending


def install(app: FastAPI) -> None:
    """Give the app its auth middleware (call once); templates read the CSRF token through
    templating's csrf_token global."""
    app.add_middleware(AuthMiddleware)
