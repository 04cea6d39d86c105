"""Stories: the front page list and one story with its brief and coverage."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from newsdesk import serialize
from newsdesk.web.api.common import PagingDep, RepoDep, page
from newsdesk.web.api.shapes import story_items
from newsdesk.web.deps import RankingDep

router = APIRouter(tags=["stories"])


@router.get("/stories", summary="Top stories, broadest and freshest first")
def list_stories(
    request: Request, repo: RepoDep, ranking: RankingDep, paging: PagingDep
) -> dict[str, Any]:
    rows = ranking.page(repo, limit=paging.limit, offset=paging.offset)
    items = story_items(repo, rows)
    return page(request, paging, items, repo.count_stories())


@router.get("/stories/{story_id}", summary="One story: its brief and its coverage")
def get_story(story_id: int, repo: RepoDep) -> dict[str, Any]:
    current = repo.resolve_story_id(story_id)
    row = repo.get_story(current)
    members = repo.story_members(current)
    brief = repo.get_brief(story_id=current)
    first, last = repo.story_dates([current]).get(current, (None, None))
    coverage = []
    for m in members:
        link = repo.story_link(m.id)
        coverage.append(
            {
                "id": m.id,
                "source": m.source,
                "title": m.title,
                "url": m.url,
                "published": serialize.iso(m.published),
                "why": link.reason if link else None,
            }
        )
    return {
        "id": current,
        "title": row.title,
        "articles": row.size,
        # Dated coverage only: null when every article is undated.
        "first_seen": serialize.iso(first),
        "last_seen": serialize.iso(last),
        "brief": serialize.brief_dict(brief) if brief else None,
        "coverage": coverage,
    }
