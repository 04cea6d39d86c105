"""Browsing pages: a tag, an entity (who's who across stories), a source (and its polling)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.models import SourceRecord, WhoEntry
from newsdesk.store import Repo, StoryRow
from newsdesk.web.deps import RepoDep, templates

router = APIRouter()
PER_PAGE = 30
PageQuery = Annotated[int, Query(ge=1, le=10_000)]


@dataclass(frozen=True, slots=True)
class EntityStory:
    story: StoryRow
    who: WhoEntry | None
    updated: datetime | None  # its latest dated coverage


@router.get("/tag/{tag}", response_class=HTMLResponse)
def tag_page(request: Request, tag: str, repo: RepoDep, page: PageQuery = 1) -> HTMLResponse:
    rows = repo.articles_by_tag(tag, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    if not rows and page == 1:
        raise HTTPException(404, f"no articles tagged #{tag.lstrip('#')}")
    context = {"tag": tag.lstrip("#"), "articles": rows[:PER_PAGE], "page": page}
    context["has_next"] = len(rows) > PER_PAGE
    return templates.TemplateResponse(request, "tag.html", context)


@router.get("/entity/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str, repo: RepoDep) -> HTMLResponse:
    articles = repo.articles_by_entity(name, limit=PER_PAGE)
    if not articles:
        raise HTTPException(404, f"nobody called {name} in the archive")
    context = {
        "name": name,
        "types": repo.entity_types(name),
        "stories": _entity_stories(repo, name),
        "articles": articles,
    }
    return templates.TemplateResponse(request, "entity.html", context)


@router.get("/source/{name:path}", response_class=HTMLResponse)
def source_page(request: Request, name: str, repo: RepoDep, page: PageQuery = 1) -> HTMLResponse:
    rows = repo.articles_by_source(name, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    feeds = _feeds_named(repo, name)
    if not rows and not feeds and page == 1:
        raise HTTPException(404, f"no source called {name}")
    context = {
        "name": name,
        "articles": rows[:PER_PAGE],
        "count": repo.count_by_source(name),
        "feeds": feeds,
        "page": page,
        "has_next": len(rows) > PER_PAGE,
    }
    return templates.TemplateResponse(request, "source.html", context)


def _entity_stories(repo: Repo, name: str) -> list[EntityStory]:
    out = []
    ids = repo.stories_of_entity(name, limit=20)
    dates = repo.story_dates(ids)
    for story_id in ids:
        brief = repo.get_brief(story_id=story_id)
        who = next((w for w in brief.who if w.name == name), None) if brief else None
        last = dates[story_id][1] if story_id in dates else None
        out.append(EntityStory(repo.get_story(story_id), who, last))
    return out


def _feeds_named(repo: Repo, name: str) -> list[SourceRecord]:
    return [s for s in repo.list_sources() if name in (s.title, s.url, s.site_url)]
