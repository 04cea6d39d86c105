"""The front page: top stories by coverage breadth and freshness, paged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.models import Teaser
from newsdesk.store import StorySummary
from newsdesk.web.deps import RankingDep, RepoDep, templates

router = APIRouter()
PER_PAGE = 20


@dataclass(frozen=True, slots=True)
class StoryCard:
    story: StorySummary
    summary: str
    hashtags: tuple[str, ...]


@router.get("/", response_class=HTMLResponse)
def front_page(
    request: Request,
    repo: RepoDep,
    ranking: RankingDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    rows = ranking.page(repo, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    teasers = repo.story_teasers([row.id for row in rows[:PER_PAGE]])
    cards = []
    for row in rows[:PER_PAGE]:
        teaser = teasers.get(row.id, Teaser())
        cards.append(StoryCard(row, teaser.lead, teaser.hashtags[:5]))
    return templates.TemplateResponse(
        request,
        "home.html",
        {"cards": cards, "page": page, "has_next": len(rows) > PER_PAGE},
    )
