"""Articles: the filtered list, one article with sightings and brief, and related articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from newsdesk import read, serialize
from newsdesk.dates import utcnow
from newsdesk.related import related_articles
from newsdesk.store import Repo
from newsdesk.web.api.common import COUNTED_UP_TO, PagingDep, RepoDep, counted_page, errors
from newsdesk.web.api.shapes import ArticleList, RelatedList, shaped
from newsdesk.web.deps import derived_of, in_store

router = APIRouter(tags=["articles"])
Filter = Annotated[str | None, Query(max_length=200)]


@router.get(
    "/articles",
    summary="Articles, newest first; filter by source, language or tag",
    response_model=ArticleList,
)
async def list_articles(
    request: Request,
    paging: PagingDep,
    source: Filter = None,
    lang: Filter = None,
    tag: Filter = None,
) -> JSONResponse:
    def read_page(repo: Repo) -> JSONResponse:
        # The page's cards, pictures included (one statement), kept as story cards are
        # (derived.py).
        items = derived_of(request).get(
            ("articles page", source, lang, tag, paging.limit, paging.offset),
            lambda: read.article_cards(
                repo.list_articles(
                    source=source, lang=lang, tag=tag, limit=paging.limit, offset=paging.offset
                )
            ),
        )
        total = derived_of(request).get(
            ("articles", source, lang, tag),
            lambda: repo.count_articles(source=source, lang=lang, tag=tag, at_most=COUNTED_UP_TO),
        )
        return shaped(counted_page(request, paging, items, total))

    return await in_store(request, read_page)


@router.get(
    "/articles/{article_id}",
    summary="One article: text, sightings, story and brief",
    response_model=read.Article,
    responses=errors(404),
)
async def get_article(request: Request, article_id: int) -> JSONResponse:
    def read_article(repo: Repo) -> JSONResponse:
        view = derived_of(request).get(
            ("article", article_id), lambda: read.article(repo, article_id)
        )
        return shaped(view)

    return await in_store(request, read_article)


@router.get(
    "/articles/{article_id}/related",
    summary="Related articles: other coverage of the story, then related stories",
    response_model=RelatedList,
    responses=errors(404),
)
def get_related(
    article_id: int,
    repo: RepoDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> JSONResponse:
    items = related_articles(repo, article_id, utcnow(), limit=limit)
    return shaped({"items": [serialize.related_dict(i) for i in items]})
