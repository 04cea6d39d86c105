"""API shapes built on newsdesk.serialize: story and article summaries for lists."""

from __future__ import annotations

from typing import Any

from newsdesk import serialize
from newsdesk.models import Teaser
from newsdesk.store import Repo, StorySummary
from newsdesk.store.catalog import ArticleRow


def story_items(repo: Repo, rows: list[StorySummary]) -> list[dict[str, Any]]:
    """API list items for stories, their teasers read in one query."""
    teasers = repo.story_teasers([s.id for s in rows])
    return [_story_item(s, teasers.get(s.id, Teaser())) for s in rows]


def _story_item(s: StorySummary, teaser: Teaser) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "summary": teaser.lead,
        "articles": s.size,
        "sources": s.sources,
        "hashtags": list(teaser.hashtags),
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
