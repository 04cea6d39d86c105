"""What a logged-in reader sees of their own on shared pages: the follow and mute buttons, a
story card's "read" mark, "N new since you read" flag and Save button, an article's "Read" mark
on the lists that show it, and the writes a page view makes (a story or article opened is read).

Only for logged-in readers: their pages are never kept by the page cache (page_cache.py) and
are marked private (cache_control.py). An anonymous reader gets the same page as everyone (a
"Log in to follow" link), which the page cache keeps as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import anyio.to_thread
from fastapi import Depends, Request, Response
from starlette.background import BackgroundTask

from newsdesk.read import StoryCard
from newsdesk.read.for_you import muted_among, split_follows
from newsdesk.store import Repo, StorySummary
from newsdesk.store.users import User
from newsdesk.web import auth
from newsdesk.web.deps import get_app
from newsdesk.web.store_slots import slots_of
from newsdesk.web.templating import csrf_token

log = logging.getLogger("newsdesk.web.personal")

# An entity's follow kind, from its most used type (the store's PERSON, ORG, PLACE).
ENTITY_KIND = {"PERSON": "person", "ORG": "organization", "PLACE": "place"}
MUTED_DEPTH = 400  # ranked rows read to page around a reader's mutes (the ranking's own DEPTH)


@dataclass(frozen=True, slots=True)
class FollowButton:
    """The follow and mute buttons of one key (kind, value); state: None, followed or muted."""

    kind: str
    value: str
    label: str
    state: str | None
    logged_in: bool


@dataclass(frozen=True, slots=True)
class CardMark:
    """A logged-in reader's own marks on one story card, and what its Save form needs."""

    read: bool
    new: int  # articles that joined the story since the reader opened it
    saved: bool
    csrf: str


async def _mark_personal(request: Request) -> None:
    request.state.personal_write = True


# A route whose writes change nothing an anonymous page shows (a follow, a save): its POSTs
# leave the shared page cache as it is (page_cache.PageCacheMiddleware reads the flag).
PERSONAL_WRITE = Depends(_mark_personal)


def entity_kind(types: Sequence[str]) -> str:
    """The follow kind of an entity with these types (most used first): person by default."""
    return next((ENTITY_KIND[t] for t in types if t in ENTITY_KIND), "person")


def follow_button(request: Request, repo: Repo, kind: str, value: str, label: str) -> FollowButton:
    """The buttons for kind:value as this reader sees them: one query when logged in."""
    user = auth.current_user(request)
    if user is None:
        return FollowButton(kind, value, label, None, False)
    found = repo.follow_of(user.id, kind, value)
    state = None if found is None else "muted" if found.muted else "followed"
    return FollowButton(kind, value, label, state, True)


def card_marks(request: Request, repo: Repo, cards: Sequence[StoryCard]) -> dict[int, CardMark]:
    """story id -> the reader's marks for these story cards; empty for an anonymous reader.
    Two queries."""
    user = auth.current_user(request)
    ids = [card.id for card in cards]
    if user is None or not ids:
        return {}
    reads = repo.story_reads_of(user.id, ids)
    saved = repo.saved_among(user.id, "story", ids)
    token = csrf_token(request)
    marks: dict[int, CardMark] = {}
    for card in cards:
        story_id, size = card.id, card.articles
        seen = reads.get(story_id)
        new = max(0, size - seen[1]) if seen is not None else 0
        marks[story_id] = CardMark(seen is not None, new, story_id in saved, token)
    return marks


def read_articles(request: Request, repo: Repo, article_ids: Iterable[int]) -> frozenset[int]:
    """Which of these articles the logged-in reader has read, for the quiet "Read" marks on a
    page's article lists: one query for the whole page; none, and nothing marked, when
    anonymous (the page every reader shares stays as it was)."""
    user = auth.current_user(request)
    wanted = list(dict.fromkeys(article_ids))
    if user is None or not wanted:
        return frozenset()
    return frozenset(repo.read_article_ids(user.id, wanted))


def ranked_page(
    request: Request,
    repo: Repo,
    ranked: Callable[[int, int], list[StorySummary]],
    page: int,
    per_page: int,
) -> list[StorySummary]:
    """Page `page` of a ranking (ranked(limit, offset): the front page's, a section's) and one
    row more when there is a next page, less the stories this reader muted: the ranking is
    read from its top so that a muted story does not shift the pages after it, one page more
    than asked for, twice as deep while mutes leave too few (to MUTED_DEPTH rows; deeper, a
    page only loses its muted stories)."""
    start, end = (page - 1) * per_page, page * per_page + 1
    user = auth.current_user(request)
    mutes = split_follows(repo.follows_of(user.id))[1] if user is not None else []
    if not mutes:
        return ranked(end - start, start)
    if end > MUTED_DEPTH:
        rows = ranked(end - start, start)
        hidden = muted_among(repo, mutes, [r.id for r in rows])
        return [r for r in rows if r.id not in hidden]
    depth = min(MUTED_DEPTH, end + per_page)
    while True:  # at most log2(MUTED_DEPTH / per_page) + 1 rounds
        rows = ranked(depth, 0)
        hidden = muted_among(repo, mutes, [r.id for r in rows])
        kept = [r for r in rows if r.id not in hidden]
        if len(kept) >= end or len(rows) < depth or depth >= MUTED_DEPTH:
            return kept[start:end]
        depth = min(MUTED_DEPTH, depth * 2)


def save_state(request: Request, repo: Repo, kind: str, target_id: int) -> dict[str, object]:
    """The context _save.html needs for an article or story page (empty when anonymous)."""
    user = auth.current_user(request)
    if user is None:
        return {}
    return {
        "save_kind": kind,
        "save_id": target_id,
        "save_saved": repo.is_saved(user.id, kind, target_id),
        "save_next": f"/{kind}/{target_id}",
    }


def read_state(request: Request, article_id: int, back: str) -> dict[str, object]:
    """The context _read.html needs on an article page (empty when anonymous): the article is
    read, since opening it marks it read; back is where Mark unread takes a browser without
    JavaScript (its story or source: reloading the article would mark it read again)."""
    if auth.current_user(request) is None:
        return {}
    return {"read_id": article_id, "read_read": True, "read_next": back}


def remember(
    request: Request, response: Response, user: User, work: Callable[[Repo, User], None]
) -> None:
    """Run work(repo, user) in its own write transaction once the page has been sent (a story
    opened is read): the reader never waits for the write, which waits for the store's writer
    lock while an ingest holds it. A failure is logged; the page was served either way."""
    store = get_app(request).store

    def run() -> None:
        with store.transaction() as repo:
            work(repo, user)

    async def later() -> None:
        try:
            async with slots_of(request.app).held():
                await anyio.to_thread.run_sync(run)
        except Exception:  # a read mark is not worth an error page the reader already left
            log.exception("storing what %s read failed", user.name)

    if response.background is not None:  # never drop a task the route had set
        raise ValueError("the response already has a background task")
    response.background = BackgroundTask(later)
