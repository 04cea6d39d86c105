"""Search: full text and meaning fused (or full text only), one result per story, with filters
and [marked] snippets."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from newsdesk import serialize
from newsdesk.store import Repo
from newsdesk.web.api.common import IsoTime, PagingDep, page
from newsdesk.web.api.shapes import OpenPage, SearchHit, shaped
from newsdesk.web.deps import derived_of, get_app, in_store
from newsdesk.web.pages.search import search_index

router = APIRouter(tags=["search"])


class StorySearchHit(SearchHit):
    """One story (or lone article) that matches: its best article, then the story's part."""

    story_id: int | None = Field(description="The story of the article; null if it has none.")
    others: int = Field(description="The story's other articles.")
    matched: list[Literal["text", "semantic"]] = Field(
        description="Which side found the article: its words (text), its meaning (semantic)."
    )
    similarity: float | None = Field(description="Cosine to the query, when semantic matched.")


class StorySearchResults(OpenPage[StorySearchHit]):
    """Stories matching the query, best first, and the query and mode they answer."""

    query: str
    mode: Literal["hybrid", "text"]


@router.get(
    "/search",
    summary="Search by words and meaning, one result per story, with filters and snippets",
    response_model=StorySearchResults,
)
async def search(
    request: Request,
    paging: PagingDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="The words to find.")],
    source: Annotated[str | None, Query(max_length=200)] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    since: Annotated[IsoTime | None, Query(description="Published at or after.")] = None,
    until: Annotated[IsoTime | None, Query(description="Published before.")] = None,
    section: Annotated[
        str | None, Query(max_length=100, description="The story's section or country.")
    ] = None,
    mode: Annotated[
        Literal["hybrid", "text"],
        Query(description="hybrid: words and meaning fused; text: words only."),
    ] = "hybrid",
) -> JSONResponse:
    index = search_index(get_app(request).settings)

    def read_page(repo: Repo) -> JSONResponse:
        start, end = serialize.aware(since), serialize.aware(until)
        key = ("search api", q, mode, index.ready, source, lang, section, start, end)
        hits = derived_of(request).get(
            (*key, paging.limit, paging.offset),
            lambda: repo.search_stories(
                q,
                index=index,
                mode=mode,
                source=source,
                lang=lang,
                section=section,
                since=start,
                until=end,
                limit=paging.limit,
                offset=paging.offset,
            ),
        )
        items = [serialize.story_hit_dict(h) for h in hits[: paging.limit]]
        body = page(request, paging, items, more=len(hits) > paging.limit)
        body["query"] = q
        body["mode"] = mode
        response = shaped(body)
        if mode == "hybrid" and not index.ready:  # words only for now: no cache may keep it
            response.headers["cache-control"] = "no-store"
        return response

    return await in_store(request, read_page)
