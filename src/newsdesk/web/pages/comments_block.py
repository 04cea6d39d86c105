"""The comments block on article and story pages, filled by W2's helper when it is there."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from newsdesk.store import Repo
from newsdesk.web import comments


def comments_block(request: Request, repo: Repo, kind: str, target_id: int) -> dict[str, Any]:
    """The template context _comments.html needs for ("article" | "story", id)."""
    context: dict[str, Any] = {"comments_target": (kind, target_id)}
    helper = getattr(comments, "comments_context", None)
    if helper is not None:
        user = getattr(request.state, "user", None)
        context.update(helper(repo, kind, target_id, user))
    return context
