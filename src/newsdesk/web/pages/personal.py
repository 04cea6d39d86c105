"""A reader's own pages and buttons: /for-you, /saved, /following, and the follow, mute, save
and mark-unread forms on the other pages (POST with the CSRF token; htmx swaps the buttons, a
browser without JavaScript is sent back to the page it came from).

Every route here is for a logged-in reader (an anonymous GET is sent to the login page with
next): none is shareable, so none is kept by the page cache, and their writes leave the kept
anonymous pages alone (PERSONAL_WRITE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk import read
from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.read import ArticleCard, StoryCard
from newsdesk.read.for_you import followed_summaries
from newsdesk.store import Repo
from newsdesk.store.personal_tables import FOLLOW_KINDS, SAVED_KINDS
from newsdesk.web import auth
from newsdesk.web.accounts import safe_next
from newsdesk.web.deps import get_app, templates
from newsdesk.web.personal_marks import PERSONAL_WRITE, FollowButton, card_marks, read_articles

router = APIRouter()
PER_PAGE = 20
MAX_VALUE = 500  # characters of a followed value (a search query is the longest)
MAX_SAVED = 200
ACTIONS = ("follow", "mute", "unfollow")
KIND_TITLES = {
    "person": "People",
    "organization": "Organizations",
    "place": "Places",
    "tag": "Tags",
    "section": "Sections",
    "source": "Sources",
    "search": "Searches",
}
Text = Annotated[str, Form(max_length=MAX_VALUE)]


@dataclass(frozen=True, slots=True)
class SavedEntry:
    """One saved item on /saved: a story card or an article card, and when it was saved."""

    kind: str
    story: StoryCard | None
    article: ArticleCard | None
    saved_at: datetime


@router.get("/for-you", response_class=HTMLResponse)
def for_you_page(
    request: Request,
    user: auth.UserDep,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    with get_app(request).store.transaction(readonly=True) as repo:
        follows = repo.follows_of(user.id, muted=False)
        rows = followed_summaries(repo, user.id, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
        cards = read.story_cards(repo, rows[:PER_PAGE])
        context = {
            "cards": cards,
            "marks": card_marks(request, repo, cards),
            "follows": follows,
            "page": page,
            "has_next": len(rows) > PER_PAGE,
        }
    return templates.TemplateResponse(request, "for_you.html", context)


@router.get("/following", response_class=HTMLResponse)
def following_page(request: Request, user: auth.UserDep) -> HTMLResponse:
    with get_app(request).store.transaction(readonly=True) as repo:
        rows = repo.follows_of(user.id)
    groups = [
        (title, [f for f in rows if f.kind == kind and not f.muted])
        for kind, title in KIND_TITLES.items()
    ]
    context = {
        "groups": [(title, follows) for title, follows in groups if follows],
        "mutes": [f for f in rows if f.muted],
    }
    return templates.TemplateResponse(request, "following.html", context)


@router.get("/saved", response_class=HTMLResponse)
def saved_page(request: Request, user: auth.UserDep) -> HTMLResponse:
    with get_app(request).store.transaction(readonly=True) as repo:
        entries = _saved_entries(repo, user.id)
        stories = [e.story for e in entries if e.story is not None]
        context = {
            "entries": entries,
            "marks": card_marks(request, repo, stories),
            "read_ids": read_articles(request, repo, [e.article.id for e in entries if e.article]),
        }
    return templates.TemplateResponse(request, "saved.html", context)


@router.post("/follow", response_model=None, dependencies=[PERSONAL_WRITE])
def follow(
    request: Request,
    user: auth.UserDep,
    kind: Text = "",
    value: Text = "",
    label: Text = "",
    action: Annotated[str, Form()] = "follow",
    next: Annotated[str, Form()] = "/",
) -> Response:
    value, label = value.strip(), label.strip() or value.strip()
    if kind not in FOLLOW_KINDS or not value or action not in ACTIONS:
        raise HTTPException(422, f"Follow what? kind must be one of {', '.join(FOLLOW_KINDS)}.")
    with get_app(request).store.transaction() as repo:
        if action == "unfollow":
            repo.unfollow(user.id, kind, value)
            state = None
        else:
            repo.follow(user.id, kind, value, label, utcnow(), muted=action == "mute")
            state = "muted" if action == "mute" else "followed"
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(safe_next(next), status_code=303)
    button = FollowButton(kind, value, label, state, True)
    context = {"follow": button, "follow_next": safe_next(next)}
    return templates.TemplateResponse(request, "_follow.html", context)


@router.post("/saved/{kind}/{target_id}", response_model=None, dependencies=[PERSONAL_WRITE])
def save(
    request: Request,
    kind: str,
    target_id: int,
    user: auth.UserDep,
    action: Annotated[str, Form()] = "save",
    next: Annotated[str, Form()] = "/saved",
) -> Response:
    if kind not in SAVED_KINDS or action not in ("save", "unsave"):
        raise HTTPException(404, "Save an article or a story.")
    with get_app(request).store.transaction() as repo:
        if kind == "story":
            try:
                target_id = repo.resolve_story_id(target_id)
            except NotFoundError:
                raise HTTPException(404, f"There is no story {target_id}.") from None
        elif not repo.article_heads([target_id]):
            raise HTTPException(404, f"There is no article {target_id}.")
        if action == "save":
            repo.save_item(user.id, kind, target_id, utcnow())
        else:
            repo.unsave_item(user.id, kind, target_id)
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(safe_next(next), status_code=303)
    context = {
        "save_kind": kind,
        "save_id": target_id,
        "save_saved": action == "save",
        "save_next": safe_next(next),
    }
    return templates.TemplateResponse(request, "_save.html", context)


@router.post("/read/article/{article_id}", response_model=None, dependencies=[PERSONAL_WRITE])
def mark_read(
    request: Request,
    article_id: int,
    user: auth.UserDep,
    action: Annotated[str, Form()] = "unread",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Mark an article unread (or read again) from its page: the feed-reader apps see it too.
    Without JavaScript the browser goes to next, not back to the article (opening it is
    reading it)."""
    if action not in ("read", "unread"):
        raise HTTPException(422, "Mark it read or unread.")
    with get_app(request).store.transaction() as repo:
        if not repo.article_heads([article_id]):
            raise HTTPException(404, f"There is no article {article_id}.")
        if action == "read":
            repo.mark_articles_read(user.id, [article_id], utcnow())
        else:
            repo.mark_articles_unread(user.id, [article_id])
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(safe_next(next), status_code=303)
    context = {"read_id": article_id, "read_read": action == "read", "read_next": safe_next(next)}
    return templates.TemplateResponse(request, "_read.html", context)


def _saved_entries(repo: Repo, user_id: int) -> list[SavedEntry]:
    """The reader's saved stories and articles, newest first: stories merged since are shown
    as the story that absorbed them, items gone from the store are left out."""
    saved = repo.saved_of(user_id, limit=MAX_SAVED)
    story_ids: dict[int, int] = {}
    for kind, target, _ in saved:
        if kind == "story":
            try:
                story_ids[target] = repo.resolve_story_id(target)
            except NotFoundError:
                continue
    stories = {c.id: c for c in read.story_cards_for(repo, list(story_ids.values()))}
    article_ids = [target for kind, target, _ in saved if kind == "article"]
    articles = {c.id: c for c in read.article_cards_for(repo, article_ids)}
    entries: list[SavedEntry] = []
    shown_stories: set[int] = set()  # two saved stories merged since are one
    for kind, target, saved_at in saved:
        current = story_ids.get(target)
        if kind == "story" and current in stories and current not in shown_stories:
            shown_stories.add(current)
            entries.append(SavedEntry(kind, stories[current], None, saved_at))
        elif kind == "article" and target in articles:
            entries.append(SavedEntry(kind, None, articles[target], saved_at))
    return entries
