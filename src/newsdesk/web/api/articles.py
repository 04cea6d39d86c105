"""Articles: the filtered list, one article with sightings and brief, and related articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from newsdesk import serialize
from newsdesk.dates import utcnow
from newsdesk.related import related_articles
from newsdesk.web.api.common import PagingDep, RepoDep, page
from newsdesk.web.api.shapes import article_item

router = APIRouter(tags=["articles"])
Filter = Annotated[str | None, Query(max_length=200)]


@router.get("/articles", summary="Articles, newest first; filter by source, language or tag")
def list_articles(
    request: Request,
    repo: RepoDep,
    paging: PagingDep,
    source: Filter = None,
    lang: Filter = None,
    tag: Filter = None,
) -> dict[str, Any]:
    rows = repo.list_articles(
        source=source, lang=lang, tag=tag, limit=paging.limit, offset=paging.offset
    )
    total = repo.count_articles(source=source, lang=lang, tag=tag)
    return page(request, paging, [article_item(a) for a in rows], total)


@router.get("/articles/{article_id}", summary="One article: text, sightings, story and brief")
def get_article(article_id: int, repo: RepoDep) -> dict[str, Any]:
    duplicate_of = repo.duplicate_of(article_id)
    article = repo.get_article(article_id)
    canonical = duplicate_of or article_id
    brief = repo.get_brief(article_id=canonical)
    tags, entities = repo.tags_of(canonical)
    data = serialize.article_dict(article, duplicate_of)
    data["story_id"] = repo.story_of(article_id)
    data["tags"] = tags
    data["entities"] = [{"name": n, "type": t} for n, t in entities]
    data["brief"] = serialize.brief_dict(brief) if brief else None
    return data


@router.get(
    "/articles/{article_id}/related",
    summary="Related articles: other coverage of the story, then related stories",
)
def get_related(
    article_id: int,
    repo: RepoDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> dict[str, Any]:
    items = related_articles(repo, article_id, utcnow(), limit=limit)
    return {"items": [serialize.related_dict(i) for i in items]}
