"""Typed dependencies for routes: the App, a read-only store transaction, the templates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import contextmanager_in_threadpool
from fastapi.templating import Jinja2Templates

from newsdesk.app import App
from newsdesk.store import Repo
from newsdesk.web.ranking import StoryRanking
from newsdesk.web.store_slots import slots_of
from newsdesk.web.templating import install_filters

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

# The one template environment of the site: every page, form and partial renders with it.
templates = Jinja2Templates(directory=TEMPLATES_DIR)
install_filters(templates)


def get_app(request: Request) -> App:
    """The App that create_app built (app.state.newsdesk)."""
    app: App = request.app.state.newsdesk
    return app


AppDep = Annotated[App, Depends(get_app)]


async def get_repo(request: Request, app: AppDep) -> AsyncIterator[Repo]:
    """A read-only transaction for the request (pages read, they never write), opened once the
    request holds a store slot: see store_slots for the deadlock this avoids."""
    async with slots_of(request.app).held():
        transaction = app.store.transaction(readonly=True)
        async with contextmanager_in_threadpool(transaction) as repo:
            yield repo


RepoDep = Annotated[Repo, Depends(get_repo)]


def get_ranking(request: Request) -> StoryRanking:
    """The front-page ranking that create_app keeps (app.state.ranking)."""
    ranking: StoryRanking = request.app.state.ranking
    return ranking


RankingDep = Annotated[StoryRanking, Depends(get_ranking)]
