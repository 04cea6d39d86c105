"""A story: its brief with citations, coverage by source, a chart, Ask, related stories."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.ask_archive import ask_archive
from newsdesk.dates import utcnow
from newsdesk.models import Brief, SourceAngle, StoredArticle
from newsdesk.related import Related, related_articles
from newsdesk.store import Repo
from newsdesk.web.chart import coverage_chart
from newsdesk.web.deps import AppDep, RepoDep, templates
from newsdesk.web.pages.comments_block import comments_block

router = APIRouter()
MAX_QUESTION = 500


@dataclass(frozen=True, slots=True)
class SourceCoverage:
    source: str
    articles: list[StoredArticle]
    angle: SourceAngle | None


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, repo: RepoDep) -> Response:
    current = repo.resolve_story_id(story_id)
    if current != story_id:
        return RedirectResponse(f"/story/{current}", status_code=301)
    return templates.TemplateResponse(request, "story.html", _context(request, repo, current))


@router.post("/story/{story_id}/ask", response_class=HTMLResponse)
def ask_story(
    request: Request,
    story_id: int,
    app: AppDep,
    repo: RepoDep,
    q: Annotated[str, Form(max_length=MAX_QUESTION)],
) -> Response:
    current = repo.resolve_story_id(story_id)
    answer = ask_archive(repo, q.strip(), story_id=current, llm=app.llm) if q.strip() else None
    context = {"answer": answer, "question": q, "story_id": current}
    if request.headers.get("hx-request") == "true":
        return templates.TemplateResponse(request, "_answer.html", context)
    context.update(_context(request, repo, current))
    return templates.TemplateResponse(request, "story.html", context)


def _context(request: Request, repo: Repo, story_id: int) -> dict[str, object]:
    story = repo.get_story(story_id)
    brief = repo.get_brief(story_id=story_id)
    members = repo.story_members(story_id)
    first, last = repo.story_dates([story_id]).get(story_id, (None, None))
    context: dict[str, object] = {
        "story": story,
        "breadth": repo.story_breadth(story_id),  # the count its front-page card shows
        "first_published": first,  # dated coverage only: None when every article is undated
        "last_published": last,
        "brief": brief,
        "members": members,
        "coverage": _coverage(members, brief),
        "chart": coverage_chart(members),
        "related": _related_stories(repo, members),
        "titles": {a.id: a.title for a in members},
        "sources": {a.id: a.source for a in members},
    }
    context.update(comments_block(request, repo, "story", story_id))
    return context


def _coverage(members: list[StoredArticle], brief: Brief | None) -> list[SourceCoverage]:
    by_source: dict[str, list[StoredArticle]] = defaultdict(list)
    for article in members:
        by_source[article.source].append(article)
    angles = {a.source: a for a in brief.angles} if brief else {}
    groups = [SourceCoverage(s, arts, angles.get(s)) for s, arts in by_source.items()]
    return sorted(groups, key=lambda g: (-len(g.articles), g.source.casefold()))


def _related_stories(repo: Repo, members: list[StoredArticle]) -> list[Related]:
    if not members:
        return []
    found = related_articles(repo, members[0].id, utcnow(), limit=12)
    return [r for r in found if r.kind == "related"][:6]
