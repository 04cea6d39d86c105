"""The front page: top stories by coverage breadth and freshness, paged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.store import Repo, StorySummary
from newsdesk.web import derived
from newsdesk.web.deps import RankingDep, derived_of, in_store, templates
from newsdesk.web.personal_marks import card_marks, ranked_page

router = APIRouter()
PER_PAGE = 20


@router.get("/", response_class=HTMLResponse)
async def front_page(
    request: Request,
    ranking: RankingDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    def render(repo: Repo) -> HTMLResponse:
        def ranked(limit: int, offset: int) -> list[StorySummary]:
            return ranking.page(repo, limit=limit, offset=offset)

        rows = ranked_page(request, repo, ranked, page, PER_PAGE)
        cards = derived.story_cards(derived_of(request), repo, rows[:PER_PAGE])
        context = {"cards": cards, "page": page, "has_next": len(rows) > PER_PAGE}
        context["marks"] = card_marks(request, repo, cards)
        return templates.TemplateResponse(request, "home.html", context)

    return await in_store(request, render)
