"""Named entities (people, organisations, places) across the archive."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from newsdesk.web.api.common import PagingDep, RepoDep, page
from newsdesk.web.api.shapes import EntityList, shaped

router = APIRouter(tags=["entities"])


@router.get("/entities", summary="Named entities, most mentioned first", response_model=EntityList)
def list_entities(
    request: Request,
    repo: RepoDep,
    paging: PagingDep,
    type: Annotated[str | None, Query(max_length=16, description="PERSON, ORG, PLACE, ...")] = None,
) -> JSONResponse:
    rows = repo.list_entities(type=type, limit=paging.limit + 1, offset=paging.offset)
    items = [{"name": e.name, "type": e.type, "articles": e.articles} for e in rows]
    return shaped(page(request, paging, items[: paging.limit], more=len(rows) > paging.limit))
