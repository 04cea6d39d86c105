"""Comments on articles and stories: post, reply, edit and delete own, admins hide and unhide.

Bodies are Markdown (CommonMark without raw HTML or images), rendered and then sanitized with the
allowlist in newsdesk.sanitize. A POST from htmx (HX-Request) gets the updated thread partial;
any other POST is redirected back to the page it came from.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markdown_it import MarkdownIt

from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.sanitize import sanitize_html
from newsdesk.store import Repo
from newsdesk.store.comments import KINDS, Comment
from newsdesk.store.users import User
from newsdesk.web import auth
from newsdesk.web.accounts import safe_next
from newsdesk.web.deps import get_app, templates

router = APIRouter()

MAX_CHARS = 5000
RATE_LIMIT = 5  # comments per user per RATE_WINDOW
RATE_WINDOW = timedelta(minutes=1)
# An error page for a browser without htmx: the thread with the message, inside the site layout.
_STANDALONE = (
    '{% extends "base.html" %}{% block content %}{% include "_comments.html" %}{% endblock %}'
)


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def render_markdown(body: str) -> str:
    """Safe HTML for a comment body: Markdown rendered, then allowlist-sanitized."""
    return sanitize_html(_markdown().render(body))


@dataclass
class Node:
    comment: Comment
    replies: list[Node] = field(default_factory=list)


def thread(comments: list[Comment]) -> list[Node]:
    """Comments as a tree of replies, each level oldest first."""
    nodes = {c.id: Node(c) for c in comments}
    roots: list[Node] = []
    for c in comments:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        (parent.replies if parent else roots).append(nodes[c.id])
    return roots


def comments_context(repo: Repo, kind: str, target_id: int, user: User | None) -> dict[str, Any]:
    """What _comments.html needs, for the page of one article or story."""
    return {
        "comments_target": (kind, target_id),
        "comments_thread": thread(repo.comments_on(kind, target_id)),
        "comments_user": user,
        "comments_error": None,
        "comments_draft": "",
        "comments_next": f"/{kind}/{target_id}",  # the page routes: /story/N, /article/N
    }


def _validate(body: str) -> str | None:
    if not body.strip():
        return "A comment cannot be empty."
    if len(body) > MAX_CHARS:
        return (
            f"Your comment has {len(body):,} characters; the limit is {MAX_CHARS:,}. "
            "Shorten it and post again."
        )
    return None


def _answer(
    request: Request,
    kind: str,
    target_id: int,
    next_url: str,
    error: str | None = None,
    status: int = 200,
    draft: str = "",
) -> Response:
    """The thread partial for htmx, a redirect back otherwise (an error page on error)."""
    htmx = request.headers.get("hx-request") == "true"
    if error is None and not htmx:
        return RedirectResponse(safe_next(next_url), status_code=303)
    with get_app(request).store.transaction(readonly=True) as repo:
        context = comments_context(repo, kind, target_id, auth.current_user(request))
    context.update(comments_error=error, comments_draft=draft, comments_next=safe_next(next_url))
    if htmx:
        # htmx swaps 2xx answers only: the message has to come back as one.
        response: Response = templates.TemplateResponse(request, "_comments.html", context)
        return response
    page = templates.env.from_string(_STANDALONE).render(request=request, **context)
    return HTMLResponse(page, status_code=status)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise HTTPException(404, f"Comments are on articles or stories, not {kind!r}.")


def _comment(repo: Repo, comment_id: int) -> Comment:
    try:
        return repo.get_comment(comment_id)
    except NotFoundError:
        raise HTTPException(404, f"No comment {comment_id}.") from None


@router.get("/comments/{kind}/{target_id:int}", response_class=HTMLResponse)
def comments_partial(request: Request, kind: str, target_id: int) -> Response:
    _check_kind(kind)
    with get_app(request).store.transaction(readonly=True) as repo:
        context = comments_context(repo, kind, target_id, auth.current_user(request))
    response: Response = templates.TemplateResponse(request, "_comments.html", context)
    return response


@router.post("/comments/{kind}/{target_id:int}", response_model=None)
def post_comment(
    request: Request,
    kind: str,
    target_id: int,
    user: auth.UserDep,
    body: Annotated[str, Form()] = "",
    parent_id: Annotated[int | None, Form()] = None,
    next: Annotated[str, Form()] = "/",
) -> Response:
    _check_kind(kind)
    error = _validate(body)
    if error is not None:
        return _answer(request, kind, target_id, next, error, 422, body[: MAX_CHARS * 2])
    now = utcnow()
    with get_app(request).store.transaction() as repo:
        try:
            repo.check_comment_target(kind, target_id)
        except NotFoundError:
            raise HTTPException(404, f"There is no {kind} {target_id} to comment on.") from None
        if repo.comments_since(user.id, now - RATE_WINDOW) >= RATE_LIMIT:
            error = f"You can post {RATE_LIMIT} comments a minute: wait a moment and try again."
            return _answer(request, kind, target_id, next, error, 429, body)
        try:
            repo.add_comment(
                kind, target_id, user.id, body, render_markdown(body), now, parent_id=parent_id
            )
        except NotFoundError:
            raise HTTPException(404, "The comment you reply to is not on this page.") from None
    return _answer(request, kind, target_id, next)


@router.post("/comments/{comment_id:int}/edit", response_model=None)
def edit_comment(
    request: Request,
    comment_id: int,
    user: auth.UserDep,
    body: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    with get_app(request).store.transaction() as repo:
        comment = _comment(repo, comment_id)
        if comment.user_id != user.id or comment.deleted:
            raise HTTPException(403, "You can edit only your own comments.")
        error = _validate(body)
        if error is None:
            repo.edit_comment(comment_id, body, render_markdown(body), utcnow())
    return _answer(request, comment.kind, comment.target_id, next, error, 422, "")


@router.post("/comments/{comment_id:int}/delete", response_model=None)
def delete_comment(
    request: Request,
    comment_id: int,
    user: auth.UserDep,
    next: Annotated[str, Form()] = "/",
) -> Response:
    with get_app(request).store.transaction() as repo:
        comment = _comment(repo, comment_id)
        if comment.user_id != user.id and not user.is_admin:
            raise HTTPException(403, "You can delete only your own comments.")
        repo.delete_comment(comment_id)
    return _answer(request, comment.kind, comment.target_id, next)


def _set_hidden(request: Request, comment_id: int, hidden: bool, next_url: str) -> Response:
    with get_app(request).store.transaction() as repo:
        comment = _comment(repo, comment_id)
        repo.set_comment_hidden(comment_id, hidden)
    return _answer(request, comment.kind, comment.target_id, next_url)


@router.post("/comments/{comment_id:int}/hide", response_model=None)
def hide_comment(
    request: Request, comment_id: int, admin: auth.AdminDep, next: Annotated[str, Form()] = "/"
) -> Response:
    return _set_hidden(request, comment_id, True, next)


@router.post("/comments/{comment_id:int}/unhide", response_model=None)
def unhide_comment(
    request: Request, comment_id: int, admin: auth.AdminDep, next: Annotated[str, Form()] = "/"
) -> Response:
    return _set_hidden(request, comment_id, False, next)
