"""Tags (hashtags) with how many articles carry each."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from newsdesk.web.api.common import PagingDep, RepoDep, page
from newsdesk.web.api.shapes import TagList, shaped

router = APIRouter(tags=["tags"])


@router.get("/tags", summary="Tags, most used first", response_model=TagList)
def list_tags(request: Request, repo: RepoDep, paging: PagingDep) -> JSONResponse:
    rows = repo.list_tags(limit=paging.limit, offset=paging.offset)
    items = [{"tag": t.name, "articles": t.articles} for t in rows]
    return shaped(page(request, paging, items, repo.count_tags()))
