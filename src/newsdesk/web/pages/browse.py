"""Browsing pages: a tag, an entity (who's who across stories), a source (and its polling)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk import read
from newsdesk.models import WhoEntry
from newsdesk.read import StoryCard
from newsdesk.store import Repo
from newsdesk.web.deps import RepoDep, templates
from newsdesk.web.personal_marks import card_marks, entity_kind, follow_button, read_articles

router = APIRouter()
PER_PAGE = 30
PageQuery = Annotated[int, Query(ge=1, le=10_000)]


@dataclass(frozen=True, slots=True)
class EntityStory:
    card: StoryCard
    who: WhoEntry | None  # the entity's entry in the story's who's who


@router.get("/tag/{tag}", response_class=HTMLResponse)
def tag_page(request: Request, tag: str, repo: RepoDep, page: PageQuery = 1) -> HTMLResponse:
    rows = repo.articles_by_tag(tag, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    if not rows and page == 1:
        raise HTTPException(404, f"no articles tagged #{tag.lstrip('#')}")
    context: dict[str, object] = {"tag": tag.lstrip("#"), "page": page}
    bare = tag.lstrip("#")
    context["follow"] = follow_button(request, repo, "tag", bare, "#" + bare)
    context["articles"] = cards = read.article_cards(rows[:PER_PAGE])
    context["read_ids"] = read_articles(request, repo, [a.id for a in cards])
    context["has_next"] = len(rows) > PER_PAGE
    return templates.TemplateResponse(request, "tag.html", context)


@router.get("/entity/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str, repo: RepoDep) -> HTMLResponse:
    articles = repo.articles_by_entity(name, limit=PER_PAGE)
    if not articles:
        raise HTTPException(404, f"nobody called {name} in the archive")
    types = repo.entity_types(name)
    stories = _entity_stories(repo, name)
    cards = read.article_cards(articles)
    context = {
        "name": name,
        "types": types,
        "follow": follow_button(request, repo, entity_kind(types), name, name),
        "stories": stories,
        "marks": card_marks(request, repo, [s.card for s in stories]),
        "articles": cards,
        "read_ids": read_articles(request, repo, [a.id for a in cards]),
    }
    return templates.TemplateResponse(request, "entity.html", context)


@router.get("/source/{name:path}", response_class=HTMLResponse)
def source_page(request: Request, name: str, repo: RepoDep, page: PageQuery = 1) -> HTMLResponse:
    view = read.source(repo, name, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    if not view.items and not view.feeds and page == 1:
        raise HTTPException(404, f"no source called {name}")
    context = {"name": name, "source": view, "page": page}
    context["follow"] = follow_button(request, repo, "source", name, name)
    context["has_next"] = view.next_offset is not None
    context["read_ids"] = read_articles(request, repo, [a.id for a in view.items])
    return templates.TemplateResponse(request, "source.html", context)


def _entity_stories(repo: Repo, name: str) -> list[EntityStory]:
    """The stories naming the entity, with its role in each: a fixed number of queries."""
    cards = read.story_cards_for(repo, repo.stories_of_entity(name, limit=20))
    briefs = repo.story_briefs([c.id for c in cards])
    out = []
    for card in cards:
        brief = briefs.get(card.id)
        who = next((w for w in brief.who if w.name == name), None) if brief else None
        out.append(EntityStory(card, who))
    return out
