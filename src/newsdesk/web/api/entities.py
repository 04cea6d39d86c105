"""Named entities (people, organisations, places) across the archive."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from newsdesk.web.api.common import PagingDep, RepoDep, page

router = APIRouter(tags=["entities"])


@router.get("/entities", summary="Named entities, most mentioned first")
def list_entities(
    request: Request,
    repo: RepoDep,
    paging: PagingDep,
    type: Annotated[str | None, Query(max_length=16, description="PERSON, ORG, PLACE, ...")] = None,
) -> dict[str, Any]:
    rows = repo.list_entities(type=type, limit=paging.limit + 1, offset=paging.offset)
    items = [{"name": e.name, "type": e.type, "articles": e.articles} for e in rows]
    return page(request, paging, items[: paging.limit], more=len(rows) > paging.limit)
