"""Search: full text and meaning (hybrid), one result per story, with source, language, date and
section filters; matches shown as <mark>, and which side found each result."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.config import Settings
from newsdesk.pipeline.enrich import EMBEDDING_MODEL
from newsdesk.store import Repo
from newsdesk.store.ann import VectorIndex, index_for
from newsdesk.web.deps import derived_of, get_app, in_store, templates
from newsdesk.web.personal_marks import follow_button, read_articles
from newsdesk.web.section_bar import SectionBar

router = APIRouter()
PER_PAGE = 20
Text = Annotated[str, Query(max_length=500)]
SearchMode = Literal["hybrid", "text"]


def search_index(settings: Settings) -> VectorIndex:
    """This process's ANN index over the store's article vectors (shared by page and API)."""
    return index_for(settings.db_url, settings.vector_index, EMBEDDING_MODEL)


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    q: Text = "",
    source: Text = "",
    lang: Text = "",
    since: Text = "",
    until: Text = "",
    section: Text = "",
    mode: SearchMode = "hybrid",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    errors: list[str] = []
    start, end = _day(since, "since", errors), _day(until, "until", errors)
    app = get_app(request)
    index = search_index(app.settings)
    bar: SectionBar = request.app.state.sections

    def render(repo: Repo | None) -> HTMLResponse:
        hits = []
        if repo is not None:
            wanted = bar.name_of(app.store, section) or section.strip() if section.strip() else ""
            filters = (source.strip(), lang.strip(), wanted)
            # Answers given while the vector index is still being built are kept apart.
            key = ("search page", q, mode, index.ready, *filters, start, end, page)
            hits = derived_of(request).get(
                key,
                lambda: repo.search_stories(
                    q,
                    index=index,
                    mode=mode,
                    source=filters[0] or None,
                    lang=filters[1] or None,
                    section=filters[2] or None,
                    since=start,
                    until=end,
                    limit=PER_PAGE,
                    offset=(page - 1) * PER_PAGE,
                ),
            )
        context = {
            "q": q,
            "source": source,
            "lang": lang,
            "since": since,
            "until": until,
            "section": section,
            "sections": [link.name for link in bar.links(app.store)],
            "mode": mode,
            "hits": hits[:PER_PAGE],
            "has_next": len(hits) > PER_PAGE,
            "page": page,
            "errors": errors,
            "warming": mode == "hybrid" and repo is not None and not index.ready,
        }
        if repo is not None:
            context["follow"] = follow_button(request, repo, "search", q.strip(), q.strip())
            shown = [s.hit.article_id for s in hits[:PER_PAGE]]
            context["read_ids"] = read_articles(request, repo, shown)
        response = templates.TemplateResponse(request, "search.html", context)
        if context["warming"]:  # words only for now: no cache may keep this answer
            response.headers["cache-control"] = "no-store"
        return response

    if not q.strip():
        return render(None)  # the empty form reads nothing
    return await in_store(request, render)


def _day(value: str, label: str, errors: list[str]) -> datetime | None:
    if not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{label}: not a date (YYYY-MM-DD), ignored")
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
