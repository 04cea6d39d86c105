"""A section's page and Atom feed: its stories (or a country's), ranked like the front page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.section_names import slug
from newsdesk.store import Repo, StorySummary
from newsdesk.web import atom, derived
from newsdesk.web.deps import RepoDep, derived_of, get_app, in_store, templates
from newsdesk.web.personal_marks import card_marks, follow_button, ranked_page
from newsdesk.web.section_bar import SectionBar

router = APIRouter()
PER_PAGE = 20


def _section(request: Request, name: str) -> str:
    bar: SectionBar = request.app.state.sections
    found = bar.name_of(get_app(request).store, name)
    if found is None:
        raise HTTPException(404, f"no section called {name}")
    return found


@router.get("/section/{name}", response_class=HTMLResponse)
async def section_page(
    request: Request,
    name: str,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    def render(repo: Repo) -> HTMLResponse:
        section = _section(request, name)

        def ranked(limit: int, offset: int) -> list[StorySummary]:
            return repo.list_stories(limit=limit, offset=offset, section=section)

        rows = ranked_page(request, repo, ranked, page, PER_PAGE)
        cards = derived.story_cards(derived_of(request), repo, rows[:PER_PAGE])
        context = {
            "marks": card_marks(request, repo, cards),
            "follow": follow_button(request, repo, "section", section, section),
            "section": section,
            "slug": slug(section),
            "cards": cards,
            "page": page,
            "has_next": len(rows) > PER_PAGE,
        }
        return templates.TemplateResponse(request, "section.html", context)

    return await in_store(request, render)


@router.get("/feeds/section/{name}.atom", summary="A section's top stories as Atom")
def section_feed(request: Request, name: str, repo: RepoDep) -> Response:
    section = _section(request, name)
    rows = repo.list_stories(limit=atom.ENTRIES, section=section)
    return atom.render(
        request,
        f"urn:newsdesk:section:{slug(section)}",
        f"newsdesk: {section}",
        f"/section/{slug(section)}",
        atom.story_entries(repo, rows),
    )
