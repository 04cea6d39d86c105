"""What every API module shares: the app and repo dependencies, paging, and the page shape."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BeforeValidator

from newsdesk.web.api.errors import errors
from newsdesk.web.deps import AppDep, RepoDep

__all__ = [
    "COUNTED_UP_TO",
    "MAX_LIMIT",
    "AppDep",
    "IsoTime",
    "Paging",
    "PagingDep",
    "RepoDep",
    "counted_page",
    "errors",
    "page",
]
MAX_LIMIT = 100
# A list's total is exact up to this; past it the count stops (total_exact false): an exact
# count of a million articles reads a million index entries.
COUNTED_UP_TO = 10_000
_ISO_DAY = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_only(value: object) -> object:
    """A time in a query is ISO 8601, as the schema says: pydantic would also take a number
    ("3854") as seconds since 1970, which the schema refuses."""
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("not an ISO 8601 date or date-time (YYYY-MM-DD[THH:MM[:SS]][+HH:MM])")
    return value


IsoTime = Annotated[datetime, BeforeValidator(_iso_only)]


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
    items: Sequence[Any],
    total: int | None = None,
    *,
    exact: bool = True,
    more: bool | None = None,
) -> dict[str, Any]:
    """{items, limit, offset, total, total_exact, next}: next is the URL of the following page,
    or null. A total that is a lower bound (exact False: a count that stopped) assumes a next
    page while pages are full.

    Without a total, `more` says whether a next page exists (ask for limit + 1 rows to know).
    """
    if more is None:
        more = total is not None and (
            paging.offset + len(items) < total or (not exact and len(items) == paging.limit)
        )
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
        body["total_exact"] = exact
    body["next"] = following
    return body


def counted_page(
    request: Request, paging: Paging, items: Sequence[Any], counted: int
) -> dict[str, Any]:
    """page() for a total counted with at_most=COUNTED_UP_TO: past it, the total reads
    COUNTED_UP_TO and total_exact false."""
    exact = counted <= COUNTED_UP_TO
    return page(request, paging, items, min(counted, COUNTED_UP_TO), exact=exact)
