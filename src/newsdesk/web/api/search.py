"""Full-text search over canonical articles, with filters and [marked] snippets."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from newsdesk import serialize
from newsdesk.store import Repo
from newsdesk.web.api.common import PagingDep, page
from newsdesk.web.deps import derived_of, in_store

router = APIRouter(tags=["search"])


@router.get("/search", summary="Full-text search with filters and highlighted snippets")
async def search(
    request: Request,
    paging: PagingDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="The words to find.")],
    source: Annotated[str | None, Query(max_length=200)] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    since: Annotated[datetime | None, Query(description="Published at or after.")] = None,
    until: Annotated[datetime | None, Query(description="Published before.")] = None,
) -> dict[str, Any]:

    def read_page(repo: Repo) -> dict[str, Any]:
        start, end = serialize.aware(since), serialize.aware(until)
        hits = derived_of(request).get(
            ("search api", q, source, lang, start, end, paging.limit, paging.offset),
            lambda: repo.search(
                q,
                source=source,
                lang=lang,
                since=start,
                until=end,
                limit=paging.limit + 1,
                offset=paging.offset,
            ),
        )
        items = [serialize.hit_dict(h) for h in hits[: paging.limit]]
        body = page(request, paging, items, more=len(hits) > paging.limit)
        body["query"] = q
        return body

    return await in_store(request, read_page)
