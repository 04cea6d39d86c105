"""JSON API under /api/v1: one router per noun, one error shape, an OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi

from newsdesk.web.api import articles, ask, comments, entities, search, sources, stories, tags
from newsdesk.web.api.document import drop_unused_schemas, require_every_field
from newsdesk.web.api.errors import declare_app_errors, install_errors

PREFIX = "/api/v1"
TAGS = [
    {"name": "stories", "description": "Stories: articles of several sources about one event."},
    {"name": "articles", "description": "Articles, their sightings, briefs and related articles."},
    {"name": "search", "description": "Full-text search."},
    {"name": "tags", "description": "Hashtags."},
    {"name": "entities", "description": "People, organisations and places."},
    {"name": "sources", "description": "Subscribed feeds and pages."},
    {"name": "comments", "description": "Comments on articles and stories."},
    {"name": "ask", "description": "Questions answered from the coverage, with citations."},
]

router = APIRouter(prefix=PREFIX)
for _module in (stories, articles, search, tags, entities, sources, comments, ask):
    router.include_router(_module.router)


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request) -> dict[str, Any]:
    """The OpenAPI document of the API routes only (pages are not part of it)."""
    app: FastAPI = request.app
    cached: dict[str, Any] | None = getattr(app.state, "api_openapi", None)
    if cached is None:
        cached = get_openapi(
            title="newsdesk API",
            version="1",
            description='The newsdesk JSON API. Errors: {"error": {"code", "message"}}.',
            routes=app.routes,
            tags=TAGS,
        )
        # Pages are not part of the API (they should be include_in_schema=False anyway).
        paths = cached.get("paths", {})
        cached["paths"] = {p: v for p, v in paths.items() if p.startswith(PREFIX)}
        declare_app_errors(cached)
        require_every_field(cached)
        drop_unused_schemas(cached)
        app.state.api_openapi = cached
    return cached


__all__ = ["PREFIX", "install_errors", "router"]
