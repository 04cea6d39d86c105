"""What every API module shares: the app and repo dependencies, paging, and the page shape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from newsdesk.web.api.errors import errors
from newsdesk.web.deps import AppDep, RepoDep

__all__ = ["MAX_LIMIT", "AppDep", "Paging", "PagingDep", "RepoDep", "errors", "page"]
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Paging:
    """`?limit=&offset=`: limit 1..100 (20 by default), offset from 0."""

    limit: int
    offset: int


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
) -> Paging:
    """The Paging a request asks for (async: a plain dependency costs a worker thread)."""
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


def page(
    request: Request,
    paging: Paging,
    items: Sequence[dict[str, Any]],
    total: int | None = None,
    *,
    more: bool | None = None,
) -> dict[str, Any]:
    """{items, limit, offset, total, next}: next is the URL of the following page, or null.

    Without a total, `more` says whether a next page exists (ask for limit + 1 rows to know).
    """
    if more is None:
        more = total is not None and paging.offset + len(items) < total
    following = None
    if more:
        following = str(
            request.url.include_query_params(
                limit=paging.limit, offset=paging.offset + paging.limit
            )
        )
    body: dict[str, Any] = {"items": list(items), "limit": paging.limit, "offset": paging.offset}
    if total is not None:
        body["total"] = total
    body["next"] = following
    return body
