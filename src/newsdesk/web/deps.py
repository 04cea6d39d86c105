"""Typed dependencies for routes: the App, a read-only store transaction, the templates.

A dependency that is a plain function costs a worker thread per request (FastAPI runs it in
one): the ones that never block are async. The reading pages and API routes that run most
(front page, story, article, search, the API lists and items) are async and do all their work in
one worker thread with in_store: the transaction, the reads and the rendering, one thread hop
per request instead of one each for opening the transaction, the route and closing it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.concurrency import contextmanager_in_threadpool
from fastapi.templating import Jinja2Templates

from newsdesk.app import App
from newsdesk.store import Repo
from newsdesk.web.derived import Derived
from newsdesk.web.ranking import StoryRanking
from newsdesk.web.store_slots import slots_of
from newsdesk.web.templating import install_filters

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

# The one template environment of the site: every page, form and partial renders with it.
templates = Jinja2Templates(directory=TEMPLATES_DIR)
# The templates ship with the package: no stat() of every template file on every render.
templates.env.auto_reload = False
install_filters(templates)


T = TypeVar("T")


def get_app(request: Request) -> App:
    """The App that create_app built (app.state.newsdesk)."""
    app: App = request.app.state.newsdesk
    return app


async def _app(request: Request) -> App:
    return get_app(request)


AppDep = Annotated[App, Depends(_app)]


async def get_repo(request: Request, app: AppDep) -> AsyncIterator[Repo]:
    """A read-only transaction for the request (pages read, they never write), opened once the
    request holds a store slot: see store_slots for the deadlock this avoids."""
    async with slots_of(request.app).held():
        transaction = app.store.transaction(readonly=True)
        async with contextmanager_in_threadpool(transaction) as repo:
            yield repo


RepoDep = Annotated[Repo, Depends(get_repo)]


async def in_store(request: Request, work: Callable[[Repo], T]) -> T:
    """work(repo) in one worker thread inside one read-only transaction, opened once the request
    holds a store slot (as get_repo) and only when work first reads (a page whose reads were all
    kept, see derived, costs no round trip): what it returns or raises is the route's."""
    store = get_app(request).store

    def run() -> T:
        with ExitStack() as stack:
            lazy = _OnFirstRead(lambda: stack.enter_context(store.transaction(readonly=True)))
            return work(cast(Repo, lazy))

    async with slots_of(request.app).held():
        return await anyio.to_thread.run_sync(run)


class _OnFirstRead:
    """Stands for a Repo, opening it on first use."""

    def __init__(self, open_repo: Callable[[], Repo]) -> None:
        self._open = open_repo
        self._repo: Repo | None = None

    def __getattr__(self, name: str) -> Any:
        if self._repo is None:
            self._repo = self._open()
        return getattr(self._repo, name)


async def get_ranking(request: Request) -> StoryRanking:
    """The front-page ranking that create_app keeps (app.state.ranking)."""
    ranking: StoryRanking = request.app.state.ranking
    return ranking


RankingDep = Annotated[StoryRanking, Depends(get_ranking)]


def derived_of(request: Request) -> Derived:
    """The derived values that create_app keeps (app.state.derived)."""
    derived: Derived = request.app.state.derived
    return derived
