"""Comments on an article or a story: read them, or post one with an API token."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from newsdesk import serialize
from newsdesk.dates import utcnow
from newsdesk.store import Repo
from newsdesk.store.comments import Comment
from newsdesk.web.api import shapes
from newsdesk.web.api.common import AppDep, RepoDep, errors
from newsdesk.web.auth import TokenUserDep
from newsdesk.web.comments import MAX_CHARS, RATE_LIMIT, RATE_WINDOW, render_markdown

router = APIRouter(tags=["comments"])
Kind = Literal["article", "story"]


class NewComment(BaseModel):
    kind: Kind
    target_id: int
    body: str = Field(min_length=1, max_length=MAX_CHARS)
    parent_id: int | None = None


def comment_dict(c: Comment) -> dict[str, Any]:
    gone = c.deleted or c.hidden
    return {
        "id": c.id,
        "kind": c.kind,
        "target_id": c.target_id,
        "parent_id": c.parent_id,
        "user": None if c.deleted else c.user_name,
        "body": None if gone else c.body,
        "html": None if gone else c.html,  # Markdown rendered, then allowlist-sanitized
        "created_at": serialize.iso(c.created_at),
        "edited_at": serialize.iso(c.edited_at),
        "hidden": c.hidden,
        "deleted": c.deleted,
    }


def _check_target(repo: Repo, kind: str, target_id: int) -> None:
    repo.check_comment_target(kind, target_id)  # NotFoundError: 404


@router.get(
    "/comments",
    summary="Comments on an article or a story, oldest first",
    response_model=shapes.CommentList,
    responses=errors(404),
)
def list_comments(
    repo: RepoDep,
    kind: Annotated[Kind, Query(description="article or story")],
    target_id: Annotated[int, Query(description="The article or story id.")],
) -> JSONResponse:
    _check_target(repo, kind, target_id)
    return shapes.shaped({"items": [comment_dict(c) for c in repo.comments_on(kind, target_id)]})


@router.post(
    "/comments",
    status_code=201,
    summary="Post a comment or a reply (API token)",
    response_model=shapes.Comment,
    responses=errors(404, 429),
)
def post_comment(body: NewComment, user: TokenUserDep, app: AppDep) -> JSONResponse:
    if not body.body.strip():
        raise HTTPException(422, "a comment cannot be empty")
    now = utcnow()
    with app.store.transaction() as repo:
        _check_target(repo, body.kind, body.target_id)
        if repo.comments_since(user.id, now - RATE_WINDOW) >= RATE_LIMIT:
            raise HTTPException(429, f"at most {RATE_LIMIT} comments a minute: try again soon")
        comment_id = repo.add_comment(
            body.kind,
            body.target_id,
            user.id,
            body.body,
            render_markdown(body.body),
            now,
            parent_id=body.parent_id,
        )
        return shapes.shaped(comment_dict(repo.get_comment(comment_id)), status_code=201)
