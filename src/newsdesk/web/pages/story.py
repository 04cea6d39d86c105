"""A story: its brief with citations, coverage by source, a chart, Ask, related stories."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk import read
from newsdesk.ask_archive import ask_archive
from newsdesk.dates import utcnow
from newsdesk.models import Brief, SourceAngle
from newsdesk.read import CoverageItem, CoveragePage
from newsdesk.related import Related, related_articles
from newsdesk.store import Repo
from newsdesk.web import auth
from newsdesk.web.chart import coverage_chart
from newsdesk.web.deps import AppDep, RepoDep, derived_of, in_store, templates
from newsdesk.web.pages.comments_block import comments_block
from newsdesk.web.personal_marks import read_articles, remember, save_state

router = APIRouter()
MAX_QUESTION = 500
PageQuery = Annotated[int, Query(ge=1, le=10_000, description="Page of the coverage.")]


@dataclass(frozen=True, slots=True)
class SourceCoverage:
    source: str
    articles: list[CoverageItem]
    angle: SourceAngle | None


@router.get("/story/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: int, page: PageQuery = 1) -> Response:
    seen: list[int] = []  # the story's articles as the reader saw them

    def render(repo: Repo) -> Response:
        view = derived_of(request).get(
            ("story", story_id, page),
            lambda: read.story(repo, story_id, offset=(page - 1) * read.COVERAGE_PAGE),
        )
        if view.id != story_id:  # an alias: the story was merged into another
            suffix = f"?page={page}" if page > 1 else ""
            return RedirectResponse(f"/story/{view.id}{suffix}", status_code=301)
        context = _context(request, repo, view, page)
        context.update(save_state(request, repo, "story", view.id))
        seen.append(view.articles)
        return templates.TemplateResponse(request, "story.html", context)

    response = await in_store(request, render)
    user = auth.current_user(request)
    if user is not None and seen:  # opened: read, with the coverage it had ("N new since")
        now = utcnow()
        remember(
            request, response, user, lambda r, u: r.mark_story_read(u.id, story_id, seen[0], now)
        )
    return response


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
    context: dict[str, object] = {"answer": answer, "question": q, "story_id": current}
    if request.headers.get("hx-request") == "true":
        return templates.TemplateResponse(request, "_answer.html", context)
    context.update(_context(request, repo, read.story(repo, current), 1))
    return templates.TemplateResponse(request, "story.html", context)


def _context(request: Request, repo: Repo, view: read.Story, page: int) -> dict[str, object]:
    """The story page's context for page `page` of the story's coverage (view holds it)."""
    story_id = view.id
    coverage = view.coverage
    derived = derived_of(request)
    context: dict[str, object] = {
        "story": view,
        "brief": view.brief,
        "coverage": _by_source(list(coverage.items), view.brief),
        "chart": derived.get(
            ("story chart", story_id), lambda: coverage_chart(repo.story_points(story_id))
        ),
        "related": derived_of(request).get(
            ("related to story", story_id),
            lambda: _related_stories(repo, story_id, coverage),
        ),
        "sources": derived.get(
            ("story cites", story_id), lambda: read.cited_sources(repo, view.brief)
        ),
        "page": page,
        "has_next": coverage.next_offset is not None,
        "read_ids": read_articles(request, repo, [a.id for a in coverage.items]),
    }
    context.update(comments_block(request, repo, "story", story_id))
    return context


def _by_source(items: list[CoverageItem], brief: Brief | None) -> list[SourceCoverage]:
    """This page's coverage grouped by source, the source with the most articles first."""
    by_source: dict[str, list[CoverageItem]] = defaultdict(list)
    for article in items:
        by_source[article.source].append(article)
    angles = {a.source: a for a in brief.angles} if brief else {}
    groups = [SourceCoverage(s, arts, angles.get(s)) for s, arts in by_source.items()]
    return sorted(groups, key=lambda g: (-len(g.articles), g.source.casefold()))


def _related_stories(repo: Repo, story_id: int, coverage: CoveragePage) -> list[Related]:
    """Other stories related to the story's first article (its own coverage left unread)."""
    if coverage.offset == 0:
        first = coverage.items[0].id if coverage.items else None
    else:
        head = repo.story_coverage(story_id, limit=1)
        first = head[0].id if head else None
    if first is None:
        return []
    found = related_articles(repo, first, utcnow(), limit=12, coverage=False)
    return [r for r in found if r.kind == "related"][:6]
