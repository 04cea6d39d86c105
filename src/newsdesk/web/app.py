"""The FastAPI app factory: build the App once, mount static files, include every router."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.errors import NotFoundError
from newsdesk.web import accounts, atom, auth, comments
from newsdesk.web.api import install_errors
from newsdesk.web.api import router as api_router
from newsdesk.web.background import BackgroundPoller
from newsdesk.web.deps import STATIC_DIR, templates
from newsdesk.web.page_cache import PageCache, PageCacheMiddleware
from newsdesk.web.pages import admin_sources, article, browse, home, search, story
from newsdesk.web.ranking import StoryRanking
from newsdesk.web.security import SecurityHeadersMiddleware

# Every router, in one place. Pages last: their paths are the most general.
ROUTERS = (
    accounts.router,
    comments.router,
    api_router,
    atom.router,
    admin_sources.router,
    home.router,
    story.router,
    article.router,
    browse.router,
    search.router,
)
SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005
HOUSEKEEPING_EVERY = 600.0  # seconds between purges of expired sessions when not polling


def create_app(settings: Settings, *, poll_every: float | None = None) -> FastAPI:
    """The web app over a store built from settings; poll_every (seconds) polls sources too."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Hand the interpreter back to the event loop every 1 ms, not 5: a page rendering in a
        # worker thread otherwise holds up every kept page waiting to be sent. Restored on exit:
        # the interval is the whole process's.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        newsdesk = build(settings)
        app.state.newsdesk = newsdesk
        app.state.ranking = StoryRanking()

        def news_arrived() -> None:  # kept pages and the ranking renew on their next read
            app.state.ranking.expire()
            app.state.page_cache.expire_all()

        # Always running: it purges expired sessions; it polls sources when poll_every is set.
        background = BackgroundPoller(
            newsdesk,
            poll_every or HOUSEKEEPING_EVERY,
            poll=poll_every is not None,
            on_new=news_arrived,
        )
        background.start()
        try:
            yield
        finally:
            background.stop()
            newsdesk.close()
            sys.setswitchinterval(switch_interval)

    app = FastAPI(title="newsdesk", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.state.page_cache = PageCache(
        settings.page_cache_seconds,
        settings.page_cache_mb << 20,
        stale=settings.page_cache_stale_seconds,
    )
    app.add_middleware(PageCacheMiddleware, cache=app.state.page_cache)  # inside auth's
    auth.install(app)  # request.state.user and the CSRF check
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    install_errors(app)  # last: the API's one error shape under /api/ and /feeds/
    return app


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


async def _not_found(request: Request, exc: Exception) -> Response:
    return await _http_error(request, StarletteHTTPException(404, str(exc)))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code not in (403, 404) or not _wants_html(request):
        return await http_exception_handler(request, exc)
    page = "404.html" if exc.status_code == 404 else "403.html"
    return templates.TemplateResponse(
        request, page, {"detail": exc.detail}, status_code=exc.status_code
    )
