"""API shapes built on newsdesk.serialize: story and article summaries for lists."""

from __future__ import annotations

from typing import Any

from newsdesk import serialize
from newsdesk.models import Brief
from newsdesk.store import Repo, StorySummary
from newsdesk.store.catalog import ArticleRow


def lead(brief: Brief | None, lines: int = 2) -> str:
    """The first one or two summary sentences of a brief, as one string."""
    if brief is None or not brief.available:
        return ""
    return " ".join(line.text for line in brief.summary[:lines])


def story_item(repo: Repo, s: StorySummary) -> dict[str, Any]:
    brief = repo.get_brief(story_id=s.id)
    return {
        "id": s.id,
        "title": s.title,
        "summary": lead(brief),
        "articles": s.size,
        "sources": s.sources,
        "hashtags": list(brief.hashtags) if brief else [],
        "first_seen": serialize.iso(s.first_seen),
        "last_seen": serialize.iso(s.last_seen),
    }


def article_item(a: ArticleRow) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "published": serialize.iso(a.published),
        "lang": a.lang,
    }
