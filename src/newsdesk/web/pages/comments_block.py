"""The comments block on article and story pages."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from newsdesk.store import Repo
from newsdesk.web import auth, comments


def comments_block(request: Request, repo: Repo, kind: str, target_id: int) -> dict[str, Any]:
    """The template context _comments.html needs for ("article" | "story", id)."""
    context: dict[str, Any] = {"comments_target": (kind, target_id)}
    context.update(comments.comments_context(repo, kind, target_id, auth.current_user(request)))
    return context
