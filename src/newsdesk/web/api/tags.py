"""Tags (hashtags) with how many articles carry each."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from newsdesk.web.api.common import PagingDep, RepoDep, page

router = APIRouter(tags=["tags"])


@router.get("/tags", summary="Tags, most used first")
def list_tags(request: Request, repo: RepoDep, paging: PagingDep) -> dict[str, Any]:
    rows = repo.list_tags(limit=paging.limit, offset=paging.offset)
    items = [{"tag": t.name, "articles": t.articles} for t in rows]
    return page(request, paging, items, repo.count_tags())
