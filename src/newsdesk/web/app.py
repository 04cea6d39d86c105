"""The FastAPI app factory: build the App once, mount static files, include every router."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.web import accounts, atom, auth, comments, errors, images
from newsdesk.web.allow import AllowMiddleware
from newsdesk.web.api import install_errors
from newsdesk.web.api import router as api_router
from newsdesk.web.background import BackgroundPoller
from newsdesk.web.cache_control import SHAREABLE, CacheControlMiddleware
from newsdesk.web.conditional import ConditionalGetMiddleware
from newsdesk.web.derived import Derived
from newsdesk.web.page_cache import PageCacheMiddleware
from newsdesk.web.page_cache_redis import SharedPageCache, page_cache_for
from newsdesk.web.pages import (
    admin_sources,
    admin_status,
    app_passwords,
    article,
    browse,
    digest,
    home,
    personal,
    search,
    section,
    story,
)
from newsdesk.web.ranking import StoryRanking
from newsdesk.web.reader_api import fever_router, greader_router
from newsdesk.web.section_bar import SectionBar
from newsdesk.web.security import SecurityHeadersMiddleware
from newsdesk.web.static_files import PREFIX as STATIC_PREFIX
from newsdesk.web.static_files import FingerprintedStatic

# Every router, in one place, and whether its pages are the same for every anonymous reader
# (shareable: Cache-Control public, kept by the page cache). Pages last: their paths are the
# most general.
ROUTERS = (
    (accounts.router, False),
    (comments.router, False),
    (api_router, True),
    (atom.router, True),
    (admin_sources.router, False),
    (admin_status.router, False),
    (images.router, False),  # sets its own Cache-Control
    (greader_router, False),  # feed-reader apps: one reader's items, never shared
    (fever_router, False),
    (app_passwords.router, False),
    (digest.router, False),  # one reader's: settings, private feed, unsubscribe
    (personal.router, False),  # one reader's: /for-you, /saved, /following, follow and save
    (home.router, True),
    (story.router, True),
    (article.router, True),
    (browse.router, True),
    (section.router, True),
    (search.router, True),
)
GZIP_MIN_BYTES = 1000  # smaller answers gain little and cost a header
# A 22 KB story page: 5.2 KB in 0.13 ms at level 5; level 9 saves 2% more for 1.5x the time
# (benchmarks/http_compression.py).
GZIP_LEVEL = 5
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
        app.state.images = images.ImageProxy(settings, newsdesk.store)
        app.state.ranking = StoryRanking()
        app.state.sections = SectionBar()
        app.state.derived = Derived()

        def news_arrived() -> None:  # kept pages and the ranking renew on their next read
            app.state.ranking.expire()
            app.state.sections.expire()
            app.state.derived.expire()
            app.state.page_cache.expire_all()

        def news_elsewhere() -> None:  # another process stored news: read the store again
            app.state.ranking.expire()
            app.state.sections.expire()
            app.state.derived.expire()

        if isinstance(app.state.page_cache, SharedPageCache):
            app.state.page_cache.on_news_elsewhere = news_elsewhere

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
            app.state.images.close()
            newsdesk.close()
            sys.setswitchinterval(switch_interval)

    app = FastAPI(title="newsdesk", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.mount(STATIC_PREFIX, FingerprintedStatic(), name="static")
    for router, shareable in ROUTERS:
        app.include_router(router, dependencies=[SHAREABLE] if shareable else None)
    app.state.page_cache = page_cache_for(settings)  # this process's memory, or Redis
    # Innermost first: Cache-Control is set before the page cache reads it.
    app.add_middleware(CacheControlMiddleware, max_age=settings.page_cache_seconds)
    app.add_middleware(PageCacheMiddleware, cache=app.state.page_cache)  # inside auth's
    app.add_middleware(ConditionalGetMiddleware)  # outside the page cache: kept pages too
    auth.install(app)  # request.state.user and the CSRF check
    app.add_middleware(AllowMiddleware)  # OPTIONS needs no user
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    errors.install(app)  # the site's error pages
    install_errors(app)  # last: the API's one error shape under /api/ and /feeds/
    return app
