"""Full-text search with source, language and date filters; matches shown as <mark>."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsdesk.store import Repo
from newsdesk.web.deps import derived_of, in_store, templates
from newsdesk.web.personal_marks import follow_button

router = APIRouter()
PER_PAGE = 20
Text = Annotated[str, Query(max_length=500)]


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    q: Text = "",
    source: Text = "",
    lang: Text = "",
    since: Text = "",
    until: Text = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    errors: list[str] = []
    start, end = _day(since, "since", errors), _day(until, "until", errors)

    def render(repo: Repo | None) -> HTMLResponse:
        hits = []
        if repo is not None:
            key = ("search page", q, source.strip(), lang.strip(), start, end, page)
            hits = derived_of(request).get(
                key,
                lambda: repo.search(
                    q,
                    source=source.strip() or None,
                    lang=lang.strip() or None,
                    since=start,
                    until=end,
                    limit=PER_PAGE + 1,
                    offset=(page - 1) * PER_PAGE,
                ),
            )
        context = {
            "q": q,
            "source": source,
            "lang": lang,
            "since": since,
            "until": until,
            "hits": hits[:PER_PAGE],
            "has_next": len(hits) > PER_PAGE,
            "page": page,
            "errors": errors,
        }
        if repo is not None:
            context["follow"] = follow_button(request, repo, "search", q.strip(), q.strip())
        return templates.TemplateResponse(request, "search.html", context)

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
