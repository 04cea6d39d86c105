"""Stories: the front page list and one story with its brief and coverage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from newsdesk import read
from newsdesk.store import Repo
from newsdesk.web import derived
from newsdesk.web.api.common import COUNTED_UP_TO, PagingDep, counted_page, errors
from newsdesk.web.api.shapes import StoryList, shaped
from newsdesk.web.deps import RankingDep, derived_of, in_store

router = APIRouter(tags=["stories"])


@router.get(
    "/stories", summary="Top stories, broadest and freshest first", response_model=StoryList
)
async def list_stories(request: Request, ranking: RankingDep, paging: PagingDep) -> JSONResponse:
    def read_page(repo: Repo) -> JSONResponse:
        rows = ranking.page(repo, limit=paging.limit, offset=paging.offset)
        items = derived.story_cards(derived_of(request), repo, rows)
        total = derived_of(request).get(
            ("stories",), lambda: repo.count_stories(at_most=COUNTED_UP_TO)
        )
        return shaped(counted_page(request, paging, items, total))

    return await in_store(request, read_page)


@router.get(
    "/stories/{story_id}",
    summary="One story: its brief and one page of its coverage (oldest first)",
    response_model=read.Story,
    responses=errors(404),
)
async def get_story(
    story_id: int,
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=read.MAX_COVERAGE_PAGE, description="Coverage articles per page.")
    ] = read.COVERAGE_PAGE,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Coverage articles to skip.")] = 0,
) -> JSONResponse:
    """The story's counts, dates and brief cover all its articles; `coverage` holds the page
    asked for, with `next_offset` (null on the last page) and a `Link: <...>; rel="next"`."""

    def read_story(repo: Repo) -> JSONResponse:
        view = read.story(repo, story_id, offset=offset, limit=limit)
        headers = {}
        following = view.coverage.next_offset
        if following is not None:
            url = request.url.include_query_params(limit=view.coverage.limit, offset=following)
            headers["Link"] = f'<{url}>; rel="next"'
        return shaped(view, headers=headers)

    return await in_store(request, read_story)
