"""The site's error pages: an HTML route never answers with raw JSON.

A page (any path but the API, the feeds, pictures, static files and /metrics) that fails answers
with the site's own page for the error, keeping its status: 404 for a missing thing or a path
that is not one (/article/abc), 400 for a bad query value, 403, 405 (with Allow), 500, and 503
(with Retry-After) when the store is busy. A logged-out visitor of a page that needs an account
is sent (303) to /login?next=<the page>. The other paths keep their own answers: the API and
the feeds their JSON error shape (newsdesk.web.api.errors, installed after these handlers, hands
every other path back to them), pictures and files FastAPI's.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from newsdesk.errors import NotFoundError, StoreBusyError
from newsdesk.web.deps import templates
from newsdesk.web.security import HEADERS as SECURITY_HEADERS
from newsdesk.web.store_slots import RETRY_AFTER

log = logging.getLogger(__name__)

# Paths that are not pages: their errors are not pages either.
NOT_PAGES = ("/api/", "/feeds/", "/img/", "/static/")
NOT_PAGE_PATHS = frozenset({"/metrics"})
LOGIN = "/login"
TITLES = {
    400: "Bad request",
    401: "Log in first",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    422: "Cannot do that",
    500: "Something went wrong",
    503: "Busy",
}
MESSAGES = {
    400: "Part of this address is not a value this page understands.",
    401: "This page is for logged-in readers.",
    403: "You may not see this page.",
    404: "There is nothing at this address.",
    405: "This page cannot be reached that way.",
    422: "The form could not be read.",
    500: "The server could not show this page. Try again in a moment.",
    503: "The server is busy. Try again in a few seconds.",
}
TEMPLATES = {403: "403.html", 404: "404.html"}  # the rest share error.html
BARE = frozenset({500, 503})  # the store may be why: the page asks nothing of it


def is_page(request: Request) -> bool:
    """Whether an error on this path is answered with a page."""
    path = request.url.path
    return not path.startswith(NOT_PAGES) and path not in NOT_PAGE_PATHS


def error_page(
    request: Request, status: int, detail: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """The site's page for an error, with its status."""
    context = {
        "status": status,
        "title": TITLES.get(status) or HTTPStatus(status).phrase,
        "detail": detail or MESSAGES.get(status) or HTTPStatus(status).phrase,
        "bare": status in BARE,
        "login_next": _here(request) if status == 401 else None,
    }
    page = TEMPLATES.get(status, "error.html")
    response: Response = templates.TemplateResponse(
        request, page, context, status_code=status, headers=headers
    )
    return response


def _here(request: Request) -> str:
    """The page to come back to after logging in: this one for a GET, else the page the form
    was on (a same-site Referer), else the front page."""
    if request.method in ("GET", "HEAD"):
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def login_url(next_path: str) -> str:
    return f"{LOGIN}?next={quote(next_path, safe='/')}"


async def on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not is_page(request):
        return await http_exception_handler(request, exc)
    if exc.status_code == 401 and request.method in ("GET", "HEAD"):
        return RedirectResponse(login_url(_here(request)), status_code=303)
    headers = dict(exc.headers or {})
    headers.pop("WWW-Authenticate", None)  # a page asks for a login form, not a token
    # Starlette's own "Method Not Allowed" says less than ours
    plain = isinstance(exc.detail, str) and exc.status_code != 405
    detail = exc.detail if plain else None
    return error_page(request, exc.status_code, detail, headers or None)


async def on_invalid(request: Request, exc: Exception) -> Response:
    """A page's path that is not one of its ids is a 404; a bad query value a 400; a form that
    cannot be read a 422. The message names the parameter."""
    assert isinstance(exc, RequestValidationError)
    if not is_page(request):
        return await request_validation_exception_handler(request, exc)
    where = {str(p["loc"][0]) for p in exc.errors() if p.get("loc")}
    if "path" in where:
        return error_page(request, 404)
    status = 422 if where == {"body"} else 400
    return error_page(request, status, _validation_message(exc))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors()[:3]:
        loc = [str(p) for p in problem.get("loc", ()) if p not in ("query", "body", "header")]
        parts.append(f"{'.'.join(loc) or 'request'}: {problem.get('msg', 'invalid')}")
    return "A value this page cannot use (" + "; ".join(parts) + ")."


async def on_not_found(request: Request, exc: Exception) -> Response:
    return await on_http(request, HTTPException(404, str(exc).removeprefix("store: ")))


async def on_busy(request: Request, exc: Exception) -> Response:
    headers = {"Retry-After": str(RETRY_AFTER)}
    if not is_page(request):
        message = "503 Service Unavailable: the server is busy. Try again in a few seconds."
        return PlainTextResponse(message, 503, headers=headers)
    return error_page(request, 503, headers=headers)


async def on_crash(request: Request, exc: Exception) -> Response:
    """Any exception no other handler took. Starlette answers it outside every middleware, so
    the security headers are set here."""
    log.error("unhandled error on %s", request.url.path, exc_info=exc)
    headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
    if not is_page(request):
        return PlainTextResponse("Internal Server Error", 500, headers=headers)
    try:
        return error_page(request, 500, headers=headers)
    except Exception:  # the page itself could not be drawn: say it plainly
        log.exception("the 500 page failed on %s", request.url.path)
        return PlainTextResponse(MESSAGES[500], 500, headers=headers)


def install(app: FastAPI) -> None:
    """Register the page handlers; call before the API's install_errors, which hands every path
    outside /api/ and /feeds/ back to these."""
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(NotFoundError, on_not_found)
    app.add_exception_handler(StoreBusyError, on_busy)
    app.add_exception_handler(Exception, on_crash)
